public import SluiceModel
internal import SluiceXML

/// `<send [receive=] [buildmessage=]>[<endpoint .../>]</send>`: forward to an endpoint (or, without one, reply to
/// the client from the out flow).
public struct SendMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "send"

    /// Inline endpoint or `<endpoint key="..."/>`; nil sends to the implicit target (the client in the out flow,
    /// `To` header otherwise).
    public var endpoint: EndpointDefinition?
    /// `receive="seq"`: the sequence that handles the response instead of the out sequence.
    public var receive: String?
    public var buildMessage: Bool

    public init(endpoint: EndpointDefinition? = nil, receive: String? = nil, buildMessage: Bool = false) {
        self.endpoint = endpoint
        self.receive = receive
        self.buildMessage = buildMessage
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> SendMediator? {
        let (endpoint, ok) = reader.readOptionalEndpointChild(of: element)
        let buildMessage = reader.flag("buildmessage", of: element, default: false)
        guard ok else { return nil }
        return SendMediator(endpoint: endpoint, receive: element.attribute("receive"), buildMessage: buildMessage)
    }

    /// Omits `buildmessage="false"`.
    func write(to writer: XMLWriter) {
        writer.element("send", ["receive": receive, "buildmessage": buildMessage ? "true" : nil]) {
            if let endpoint { writer.endpoint(endpoint) }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        if let receive { compilation.referSequence(receive) }
        if let dynamicKey = try DynamicEndpointKey.of(endpoint, in: compilation) {
            return CompiledSendMediator(endpoint: nil, dynamicKey: dynamicKey, receive: receive)
        }
        guard let endpoint else { return CompiledSendMediator(endpoint: nil, dynamicKey: nil, receive: receive) }
        return try compilation.resolve(endpoint).sendMediator(receive: receive)
    }
}

/// `<send>` ready to run: hands the gateway the endpoint to forward to. Without an endpoint, a request whose
/// WS-Addressing `To` was set to an HTTP(S) address (`<header name="To" value=...>`) goes there, as Synapse's
/// implicit endpoint does; anything else is sent back to the client.
struct CompiledSendMediator: CompiledMediator {
    let endpoint: ResolvedEndpoint?
    /// `<endpoint key-expression=>`: the endpoint is chosen per message.
    let dynamicKey: DynamicEndpointKey?
    let receive: String?

    var readsBody: Bool { dynamicKey?.readsBody ?? false }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        if let dynamicKey {
            let endpoint = try dynamicKey.endpoint(for: &context, mediator: "send")
            if endpoint.isRecipientList { return try endpoint.sendMediator(receive: receive).mediate(&context) }
            return .yield(.send(endpoint, receive: receive))
        }
        if endpoint == nil, !context.isResponse, context[property: SynapseProperty.response]?.stringValue != "true",
            let destination = context.addressingDestination
        {
            let leaf = EndpointLeaf(name: nil, target: .address(uri: destination))
            return .yield(.send(ResolvedEndpoint(name: nil, kind: .leaf(leaf)), receive: receive))
        }
        return .yield(.send(endpoint, receive: receive))
    }
}

extension MediatorNode {
    /// A `<send>` node.
    public static func send(_ mediator: SendMediator) -> MediatorNode { MediatorNode(mediator) }
}
