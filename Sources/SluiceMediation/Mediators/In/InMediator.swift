public import SluiceModel
internal import SluiceXML

/// `<in>mediators</in>`: runs its mediators only in the request (in) flow (WSO2's stock `main` sequence splits on it).
public struct InMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "in"

    public var mediators: [MediatorNode]

    public init(_ mediators: [MediatorNode]) {
        self.mediators = mediators
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> InMediator? {
        InMediator(reader.readMediators(in: element))
    }

    func write(to writer: XMLWriter) {
        writer.element("in") { writer.mediators(mediators) }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        CompiledInMediator(mediators: try compilation.compile(mediators))
    }
}

/// `<in>` ready to run: enters its mediators in the request (in) flow, passes otherwise.
struct CompiledInMediator: CompiledMediator {
    let mediators: [any CompiledMediator]

    var readsBody: Bool { mediators.anyReadsBody }
    var references: [MediationReference] { mediators.allReferences }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        !context.isResponse ? .enter(mediators) : .proceed
    }
}

extension MediatorNode {
    /// An `<in>` node.
    public static func `in`(_ mediators: [MediatorNode]) -> MediatorNode { MediatorNode(InMediator(mediators)) }
}
