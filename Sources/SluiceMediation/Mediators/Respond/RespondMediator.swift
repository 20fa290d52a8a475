public import SluiceModel
internal import SluiceXML

/// `<respond/>`: send the current message back to the client.
public struct RespondMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "respond"

    public init() {}

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> RespondMediator? {
        reader.ignoreText(in: element)
        reader.rejectChildren(of: element)
        return RespondMediator()
    }

    func write(to writer: XMLWriter) {
        writer.element("respond")
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        CompiledRespondMediator()
    }
}

/// `<respond/>` ready to run: ends the run with `.respond`, giving back the message's throttle concurrency places
/// as it goes, as Synapse's `Axis2Sender.sendBack` does (`handleConcurrentThrottleCount`), not when the exchange
/// later drops the context.
struct CompiledRespondMediator: CompiledMediator {
    var readsBody: Bool { false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        if !context.concurrencyPermits.isEmpty { context.concurrencyPermits.removeAll() }
        return .stop(.respond)
    }
}

extension MediatorNode {
    /// `<respond/>`.
    public static var respond: MediatorNode { MediatorNode(RespondMediator()) }
}
