public import SluiceModel
internal import SluiceXML

/// `<switch source="xpath|json-eval(...)"><case regex="...">...</case>*<default>...</default>?</switch>`: runs the
/// first case whose regex matches the whole string value of the source (Java `Matcher.matches`), else the default.
public struct SwitchMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "switch"

    public var source: SynapseExpression
    public var cases: [Case]
    /// `<default>`: nil when absent (Synapse keeps only the first one).
    public var defaultCase: [MediatorNode]?

    public init(source: SynapseExpression, cases: [Case], defaultCase: [MediatorNode]? = nil) {
        self.source = source
        self.cases = cases
        self.defaultCase = defaultCase
    }

    /// `<case regex="...">mediators</case>`.
    public struct Case: Sendable, Hashable {
        public var regex: String
        public var mediators: [MediatorNode]

        public init(regex: String, mediators: [MediatorNode]) {
            self.regex = regex
            self.mediators = mediators
        }
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> SwitchMediator? {
        reader.ignoreText(in: element)
        let source = reader.required("source", of: element).flatMap {
            reader.expression($0, attribute: "source", of: element)
        }
        var cases: [Case] = []
        var defaultCase: [MediatorNode]?
        var ok = true
        for child in element.childElements {
            if reader.isSynapse(child, named: "case") {
                guard let regex = reader.required("regex", of: child) else {
                    ok = false
                    continue
                }
                cases.append(Case(regex: regex, mediators: reader.readMediators(in: child)))
            } else if reader.isSynapse(child, named: "default") {
                if defaultCase != nil {
                    reader.report("<switch> takes one <default>", at: child)
                    ok = false
                }
                defaultCase = reader.readMediators(in: child)
            } else {
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        guard ok, let source else { return nil }
        return SwitchMediator(source: source, cases: cases, defaultCase: defaultCase)
    }

    func write(to writer: XMLWriter) {
        writer.element("switch", ["source": source.source], namespaces: source.namespaces) {
            for item in cases {
                writer.element("case", ["regex": item.regex]) { writer.mediators(item.mediators) }
            }
            if let defaultCase {
                writer.element("default") { writer.mediators(defaultCase) }
            }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        var compiledCases: [(SharedRegex, [any CompiledMediator])] = []
        for item in cases {
            compiledCases.append((try compilation.regex(item.regex), try compilation.compile(item.mediators)))
        }
        return CompiledSwitchMediator(
            source: try compilation.expression(source),
            cases: compiledCases,
            defaultCase: try compilation.compile(defaultCase ?? [])
        )
    }
}

/// `<switch>` ready to run.
struct CompiledSwitchMediator: CompiledMediator {
    let source: CompiledExpression
    let cases: [(regex: SharedRegex, mediators: [any CompiledMediator])]
    let defaultCase: [any CompiledMediator]

    var readsBody: Bool {
        source.readsBody || defaultCase.anyReadsBody || cases.contains { $0.mediators.anyReadsBody }
    }

    var references: [MediationReference] {
        defaultCase.allReferences + cases.flatMap(\.mediators.allReferences)
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        // A source that yields nothing goes to the default case, as in Synapse.
        if let text = try source.string(&context) {
            for item in cases where item.regex.matches(text) {
                return .enter(item.mediators)
            }
        }
        return .enter(defaultCase)
    }
}

extension MediatorNode {
    /// A `<switch>` node.
    public static func `switch`(_ mediator: SwitchMediator) -> MediatorNode { MediatorNode(mediator) }
}
