public import SluiceModel
internal import SluiceXML

/// `<drop/>`: stop mediation; answers the client with an empty 202 when nothing was sent.
public struct DropMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "drop"

    public init() {}

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> DropMediator? {
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        return DropMediator()
    }

    func write(to writer: XMLWriter) {
        writer.element("drop")
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        CompiledDropMediator()
    }
}

/// `<drop/>` ready to run: ends the run with `.drop`.
struct CompiledDropMediator: CompiledMediator {
    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        .stop(.drop)
    }
}

extension MediatorNode {
    /// `<drop/>`.
    public static var drop: MediatorNode { MediatorNode(DropMediator()) }
}
