public import SluiceModel
internal import SluiceXML

/// `<iterate expression= [attachPath=] [preservePayload=] [continueParent=] [sequential=] [id=]><target/></iterate>`:
/// splits the message by an XPath (elements) or a `json-eval` path (array elements); each part becomes its own
/// message running the target. Parts run in parallel unless `sequential`; the original message stops here unless
/// `continueParent`.
public struct IterateMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "iterate"

    public var expression: SynapseExpression
    /// With `preservePayload`: where each part is attached in a copy of the whole payload.
    public var attachPath: SynapseExpression?
    public var preservePayload: Bool
    public var continueParent: Bool
    public var sequential: Bool
    /// Matches the `aggregate` that collects the parts.
    public var id: String?
    public var target: SplitTarget

    public init(
        expression: SynapseExpression,
        target: SplitTarget,
        attachPath: SynapseExpression? = nil,
        preservePayload: Bool = false,
        continueParent: Bool = false,
        sequential: Bool = false,
        id: String? = nil
    ) {
        self.expression = expression
        self.target = target
        self.attachPath = attachPath
        self.preservePayload = preservePayload
        self.continueParent = continueParent
        self.sequential = sequential
        self.id = id
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> IterateMediator? {
        reader.ignoreText(in: element)
        let expression = reader.required("expression", of: element).flatMap {
            reader.expression($0, attribute: "expression", of: element)
        }
        var attachPath: SynapseExpression?
        var ok = true
        if let text = element.attribute("attachPath") {
            attachPath = reader.expression(text, attribute: "attachPath", of: element)
            if attachPath == nil { ok = false }
        }
        let preservePayload = reader.flag("preservePayload", of: element, default: false)
        // IterateMediatorFactory's default attach path is `$` for a JSON path (the part replaces the whole body, as
        // without preservePayload) and `.` for an XPath, evaluated on the envelope: each part is appended to the
        // SOAP Envelope element itself, after the Body (see `compile`).
        var target: SplitTarget?
        for child in element.childElements {
            if reader.isSynapse(child, named: "target"), target == nil {
                target = SplitTarget.read(child, reader: reader)
                if target == nil { ok = false }
            } else {
                reader.reportUnknown(child, in: element)
                ok = false
            }
        }
        if target == nil && ok {
            reader.report("<iterate> needs a <target>", at: element)
            ok = false
        }
        guard ok, let expression, let target else { return nil }
        return IterateMediator(
            expression: expression,
            target: target,
            attachPath: attachPath,
            preservePayload: preservePayload,
            continueParent: reader.flag("continueParent", of: element, default: false),
            sequential: reader.flag("sequential", of: element, default: false),
            id: element.attribute("id")
        )
    }

    func write(to writer: XMLWriter) {
        writer.element(
            "iterate",
            [
                "id": id, "expression": expression.source, "attachPath": attachPath?.source,
                "preservePayload": preservePayload ? "true" : nil, "continueParent": continueParent ? "true" : nil,
                "sequential": sequential ? "true" : nil,
            ],
            namespaces: expression.namespaces.merging(attachPath?.namespaces ?? [:]) { first, _ in first }
        ) {
            target.write(to: writer)
        }
    }

    /// The SOAP Envelope element, which Synapse's default XPath attach path `.` selects.
    static let envelopeAttachPath = SynapseExpression(source: "/*", kind: .xpath("/*"))

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        let compiled = try compilation.path(expression, usedFor: "iterate path")
        var attach = try attachPath.map { path throws(MediationCompileError) in try compilation.path(path, usedFor: "iterate path") }
        if preservePayload, attach == nil, case .xpath = compiled.kind {
            // Synapse's default `.` selects the envelope: the part goes after the Body, where a SOAP message keeps
            // it and a plain XML message (written from the Body) leaves it out.
            attach = try compilation.path(Self.envelopeAttachPath, usedFor: "iterate path")
        }
        return CompiledIterateMediator(
            expression: compiled,
            attachPath: preservePayload ? attach : nil,
            split: SplitSettings(id: id, sequential: sequential, continueParent: continueParent),
            target: try target.compile(&compilation)
        )
    }
}

extension MediatorNode {
    /// An `<iterate>` node.
    public static func iterate(_ mediator: IterateMediator) -> MediatorNode { MediatorNode(mediator) }
}
