public import SluiceModel
internal import SluiceXML

/// `<scatter-gather [parallel-execution=] target="body|variable" [target-variable=] result-content-type="JSON|XML"
/// [result-enclosing-element=]><aggregation expression= [condition=] [timeout=ms] [min-messages=] [max-messages=]/>
/// <sequence>...</sequence>+</scatter-gather>` (WSO2 Micro Integrator 4.4): a copy of the message runs each sequence
/// (together, or one after another), the `expression` of each result is gathered into a JSON array or under an XML
/// root element, and the message goes on after the mediator with that in its body or in a variable.
public struct ScatterGatherMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "scatter-gather"

    public var parallelExecution: Bool
    public var target: ResultTarget
    public var contentType: ResultContentType
    public var sequences: [[MediatorNode]]
    public var aggregation: Aggregation

    public enum ResultTarget: Sendable, Hashable {
        /// The gathered results replace the payload of the last message gathered.
        case body
        /// The gathered results go into a variable of the original message, which goes on.
        case variable(String)
    }

    public enum ResultContentType: Sendable, Hashable {
        case json
        /// Each result is an element of this root element.
        case xml(rootElement: String)
    }

    /// `<aggregation>`.
    public struct Aggregation: Sendable, Hashable {
        /// What each result contributes (usually `${payload}` or an XPath).
        public var expression: SynapseExpression
        /// A result is gathered only when this gives `true`.
        public var condition: SynapseExpression?
        /// Milliseconds to wait for the results; 0 waits for all of them.
        public var timeoutMilliseconds: Int
        public var minimumMessages: MessageCountLimit?
        public var maximumMessages: MessageCountLimit?

        public init(
            expression: SynapseExpression,
            condition: SynapseExpression? = nil,
            timeoutMilliseconds: Int = 0,
            minimumMessages: MessageCountLimit? = nil,
            maximumMessages: MessageCountLimit? = nil
        ) {
            self.expression = expression
            self.condition = condition
            self.timeoutMilliseconds = timeoutMilliseconds
            self.minimumMessages = minimumMessages
            self.maximumMessages = maximumMessages
        }
    }

    public init(
        parallelExecution: Bool = true,
        target: ResultTarget,
        contentType: ResultContentType,
        sequences: [[MediatorNode]],
        aggregation: Aggregation
    ) {
        self.parallelExecution = parallelExecution
        self.target = target
        self.contentType = contentType
        self.sequences = sequences
        self.aggregation = aggregation
    }

    // MARK: - XML

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> ScatterGatherMediator? {
        reader.ignoreText(in: element)
        var ok = true
        func refuse(_ message: String) {
            reader.report(message, at: element)
            ok = false
        }
        let contentType: ResultContentType?
        switch element.attribute("result-content-type") {
        case "JSON": contentType = .json
        case "XML":
            if let root = element.attribute("result-enclosing-element"), !root.allSatisfy(\.isWhitespace) {
                contentType = .xml(rootElement: root)
            } else {
                refuse("<scatter-gather result-content-type=\"XML\"> needs a 'result-enclosing-element' attribute")
                contentType = nil
            }
        case nil:
            refuse("missing required attribute 'result-content-type' on <scatter-gather>")
            contentType = nil
        case let other?:
            refuse("'result-content-type' of <scatter-gather> must be JSON or XML, not '\(other)'")
            contentType = nil
        }
        let target: ResultTarget?
        switch element.attribute("target") {
        case "body": target = .body
        case "variable":
            if let name = reader.required("target-variable", of: element) { target = .variable(name) } else { target = nil }
        case nil:
            refuse("missing required attribute 'target' on <scatter-gather>")
            target = nil
        case let other?:
            refuse("'target' of <scatter-gather> must be body or variable, not '\(other)'")
            target = nil
        }
        var sequences: [[MediatorNode]] = []
        var aggregation: Aggregation?
        var sawAggregation = false
        for child in element.childElements {
            if reader.isSynapse(child, named: "sequence") {
                sequences.append(reader.readMediators(in: child))
            } else if reader.isSynapse(child, named: "aggregation"), !sawAggregation {
                sawAggregation = true
                aggregation = readAggregation(child, reader: reader)
                if aggregation == nil { ok = false }
            } else {
                reader.ignoreUnknown(child, in: element)
            }
        }
        if sequences.isEmpty { refuse("<scatter-gather> needs at least one <sequence>") }
        if !sawAggregation { refuse("<scatter-gather> needs an <aggregation> element") }
        // ScatterGatherMediatorFactory reads only "false" as sequential.
        let parallel = element.attribute("parallel-execution") != "false"
        guard ok, let contentType, let target, let aggregation else { return nil }
        return ScatterGatherMediator(
            parallelExecution: parallel,
            target: target,
            contentType: contentType,
            sequences: sequences,
            aggregation: aggregation
        )
    }

    private static func readAggregation(_ element: XMLElementNode, reader: ArtifactReader) -> Aggregation? {
        reader.rejectChildren(of: element)
        guard let text = reader.required("expression", of: element),
            let expression = reader.expression(text, attribute: "expression", of: element)
        else { return nil }
        var ok = true
        var condition: SynapseExpression?
        if let text = element.attribute("condition") {
            condition = reader.expression(text, attribute: "condition", of: element)
            ok = ok && condition != nil
        }
        var timeout = 0
        if let text = element.attribute("timeout") {
            if let value: Int = reader.integer(text, named: "timeout", in: element) { timeout = value } else { ok = false }
        }
        var limits: [MessageCountLimit?] = [nil, nil]
        for (slot, name) in ["min-messages", "max-messages"].enumerated() {
            guard let text = element.attribute(name) else { continue }
            guard let limit = MessageCountLimit.read(text, named: name, of: element, reader: reader) else {
                ok = false
                continue
            }
            limits[slot] = limit
        }
        guard ok else { return nil }
        return Aggregation(
            expression: expression,
            condition: condition,
            timeoutMilliseconds: timeout,
            minimumMessages: limits[0],
            maximumMessages: limits[1]
        )
    }

    func write(to writer: XMLWriter) {
        var rootElement: String?
        if case .xml(let root) = contentType { rootElement = root }
        var variable: String?
        if case .variable(let name) = target { variable = name }
        writer.element(
            "scatter-gather",
            [
                "parallel-execution": parallelExecution ? nil : "false",
                "target": variable == nil ? "body" : "variable",
                "target-variable": variable,
                "result-content-type": rootElement == nil ? "JSON" : "XML",
                "result-enclosing-element": rootElement,
            ]
        ) {
            let namespaces = aggregation.expression.namespaces.merging(aggregation.condition?.namespaces ?? [:]) { a, _ in a }
            writer.element(
                "aggregation",
                [
                    "expression": aggregation.expression.source,
                    "condition": aggregation.condition?.source,
                    "timeout": aggregation.timeoutMilliseconds == 0 ? nil : String(aggregation.timeoutMilliseconds),
                    "min-messages": aggregation.minimumMessages?.text,
                    "max-messages": aggregation.maximumMessages?.text,
                ],
                namespaces: namespaces
            )
            for sequence in sequences { writer.element("sequence") { writer.mediators(sequence) } }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try CompiledScatterGatherMediator(self, compilation: &compilation)
    }
}

extension MediatorNode {
    /// A `<scatter-gather>` node.
    public static func scatterGather(_ mediator: ScatterGatherMediator) -> MediatorNode { MediatorNode(mediator) }
}
