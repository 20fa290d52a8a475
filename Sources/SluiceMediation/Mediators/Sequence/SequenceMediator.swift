public import SluiceModel
internal import SluiceXML

/// `<sequence key="name"/>` inside a sequence: run a named sequence, then go on. A key written
/// `{expression}` (Synapse's dynamic key) names the sequence per message.
public struct SequenceMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "sequence"

    /// The named sequence to run, or `{expression}`.
    public var key: String
    /// The expression of a dynamic key.
    public var keyExpression: SynapseExpression?

    public init(key: String, keyExpression: SynapseExpression? = nil) {
        self.key = key
        self.keyExpression = keyExpression
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> SequenceMediator? {
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        guard let key = reader.required("key", of: element) else { return nil }
        guard let text = DynamicKey.expressionText(key) else { return SequenceMediator(key: key) }
        guard let expression = reader.expression(text, attribute: "key", of: element) else { return nil }
        return SequenceMediator(key: key, keyExpression: expression)
    }

    func write(to writer: XMLWriter) {
        writer.element("sequence", ["key": key], namespaces: keyExpression?.namespaces ?? [:])
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        if let keyExpression { return CompiledDynamicSequenceMediator(key: try compilation.expression(keyExpression)) }
        compilation.referSequence(key)
        return CompiledSequenceMediator(key: key)
    }
}

/// `<sequence key=>` ready to run: enters the named sequence (looked up in the deployed program).
struct CompiledSequenceMediator: CompiledMediator {
    let key: String

    var readsBody: Bool { false }
    var references: [MediationReference] { [.sequence(key)] }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        .enterSequence(key)
    }
}

/// `<sequence key="{expression}"/>` ready to run: the expression's value names the sequence, looked up in the
/// deployed program when the message gets here; a name nothing deployed has faults (Synapse's "cannot be found"),
/// so the fault sequence answers.
struct CompiledDynamicSequenceMediator: CompiledMediator {
    let key: CompiledExpression

    /// Any deployed sequence may be chosen, so the body is buffered as for one that reads it.
    var readsBody: Bool { true }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        guard let name = try key.evaluate(&context).stringValue?.trimmingWhitespace(), !name.isEmpty else {
            throw MediationFault.mediatorFailed("sequence", "the dynamic key \(key.source) gave no sequence name")
        }
        return .enterSequence(name)
    }
}

extension MediatorNode {
    /// A `<sequence key=>` node.
    public static func sequence(key: String) -> MediatorNode { MediatorNode(SequenceMediator(key: key)) }
}
