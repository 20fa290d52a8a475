public import SluiceModel
internal import SluiceXML

/// `<filter source= regex=>` or `<filter xpath=>`, with `<then>`/`<else>` (or direct children as `then`).
public struct FilterMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "filter"

    public var condition: Condition
    public var then: [MediatorNode]
    public var otherwise: [MediatorNode]

    public init(condition: Condition, then: [MediatorNode], otherwise: [MediatorNode] = []) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
    }

    public enum Condition: Sendable, Hashable {
        /// The source's string value must match the regex entirely (Java `Matcher.matches`).
        case sourceMatches(source: SynapseExpression, regex: String)
        /// The XPath's boolean value.
        case xpath(SynapseExpression)
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> FilterMediator? {
        let condition = readCondition(element, reader: reader)
        let children = element.childElements
        func isBranch(_ child: XMLElementNode) -> Bool {
            reader.isSynapse(child, named: "then") || reader.isSynapse(child, named: "else")
        }
        var then: [MediatorNode] = []
        var otherwise: [MediatorNode] = []
        if !children.contains(where: isBranch) {
            then = reader.readMediators(in: element)
        } else {
            reader.ignoreText(in: element)
            var seen: Set<String> = []
            for child in children {
                guard isBranch(child) else {
                    reader.report(
                        "<filter> with <then>/<else> cannot also hold '<\(child.qualifiedName)>' directly",
                        at: child
                    )
                    continue
                }
                if !seen.insert(child.localName).inserted {
                    reader.report("<filter> has more than one <\(child.localName)>", at: child)
                }
                let mediators = reader.readMediators(in: child)
                if child.localName == "then" { then = mediators } else { otherwise = mediators }
            }
        }
        guard let condition else { return nil }
        return FilterMediator(condition: condition, then: then, otherwise: otherwise)
    }

    private static func readCondition(_ element: XMLElementNode, reader: ArtifactReader) -> Condition? {
        switch (element.attribute("source"), element.attribute("regex"), element.attribute("xpath")) {
        case (let source?, let regex?, nil):
            guard let expression = reader.expression(source, attribute: "source", of: element) else { return nil }
            return .sourceMatches(source: expression, regex: regex)
        case (nil, nil, let xpath?):
            guard let expression = reader.expression(xpath, attribute: "xpath", of: element) else { return nil }
            return .xpath(expression)
        default:
            reader.report("<filter> needs either 'source' and 'regex', or 'xpath'", at: element)
            return nil
        }
    }

    /// Writes `<then>` and, when not empty, `<else>`.
    func write(to writer: XMLWriter) {
        let content = {
            writer.element("then") { writer.mediators(then) }
            if !otherwise.isEmpty {
                writer.element("else") { writer.mediators(otherwise) }
            }
        }
        switch condition {
        case .sourceMatches(let source, let regex):
            writer.element(
                "filter",
                ["source": source.source, "regex": regex],
                namespaces: source.namespaces,
                content: content
            )
        case .xpath(let xpath):
            writer.element("filter", ["xpath": xpath.source], namespaces: xpath.namespaces, content: content)
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        CompiledFilterMediator(
            condition: try CompiledFilterCondition(condition, compilation: compilation),
            then: try compilation.compile(then),
            otherwise: try compilation.compile(otherwise)
        )
    }
}

extension MediatorNode {
    /// A `<filter>` node.
    public static func filter(_ mediator: FilterMediator) -> MediatorNode { MediatorNode(mediator) }
}
