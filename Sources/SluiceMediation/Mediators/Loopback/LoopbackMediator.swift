public import SluiceModel
internal import SluiceXML

/// `<loopback/>`: leave the in flow and go to the out flow with the current message.
public struct LoopbackMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "loopback"

    public init() {}

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> LoopbackMediator? {
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        return LoopbackMediator()
    }

    func write(to writer: XMLWriter) {
        writer.element("loopback")
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        CompiledLoopbackMediator()
    }
}

/// `<loopback/>` ready to run: ends the run with `.loopback`.
struct CompiledLoopbackMediator: CompiledMediator {
    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        .stop(.loopback)
    }
}

extension MediatorNode {
    /// `<loopback/>`.
    public static var loopback: MediatorNode { MediatorNode(LoopbackMediator()) }
}
