public import SluiceModel
internal import SluiceXML

/// `<out>mediators</out>`: runs its mediators only in the response (out) flow (WSO2's stock `main` sequence splits on it).
public struct OutMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "out"

    public var mediators: [MediatorNode]

    public init(_ mediators: [MediatorNode]) {
        self.mediators = mediators
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> OutMediator? {
        OutMediator(reader.readMediators(in: element))
    }

    func write(to writer: XMLWriter) {
        writer.element("out") { writer.mediators(mediators) }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        CompiledOutMediator(mediators: try compilation.compile(mediators))
    }
}

/// `<out>` ready to run: enters its mediators in the response (out) flow, passes otherwise.
struct CompiledOutMediator: CompiledMediator {
    let mediators: [any CompiledMediator]

    var readsBody: Bool { mediators.anyReadsBody }
    var references: [MediationReference] { mediators.allReferences }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        context.isResponse ? .enter(mediators) : .proceed
    }
}

extension MediatorNode {
    /// An `<out>` node.
    public static func out(_ mediators: [MediatorNode]) -> MediatorNode { MediatorNode(OutMediator(mediators)) }
}
