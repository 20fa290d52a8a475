public import SluiceModel
internal import SluiceXML

/// `<sequence key="name"/>` inside a sequence: run a named sequence, then go on.
public struct SequenceMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "sequence"

    /// The named sequence to run.
    public var key: String

    public init(key: String) {
        self.key = key
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> SequenceMediator? {
        reader.rejectText(in: element)
        reader.rejectChildren(of: element)
        guard let key = reader.required("key", of: element) else { return nil }
        return SequenceMediator(key: key)
    }

    func write(to writer: XMLWriter) {
        writer.element("sequence", ["key": key])
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        try compilation.requireSequence(key)
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

extension MediatorNode {
    /// A `<sequence key=>` node.
    public static func sequence(key: String) -> MediatorNode { MediatorNode(SequenceMediator(key: key)) }
}
