public import SluiceModel
internal import SluiceXML

/// `<call [blocking=]><endpoint .../></call>`: invoke an endpoint and continue the same sequence with its response;
/// without an endpoint, the message's WS-Addressing `To` (as `<send/>` does).
public struct CallMediator: MediatorConfiguration, SynapseMediator {
    public static let elementName = "call"

    public var endpoint: EndpointDefinition?
    public var blocking: Bool

    public init(endpoint: EndpointDefinition? = nil, blocking: Bool = false) {
        self.endpoint = endpoint
        self.blocking = blocking
    }

    static func read(from element: XMLElementNode, reader: ArtifactReader) -> CallMediator? {
        let (endpoint, ok) = reader.readOptionalEndpointChild(of: element)
        let blocking = reader.flag("blocking", of: element, default: false)
        guard ok else { return nil }
        return CallMediator(endpoint: endpoint, blocking: blocking)
    }

    /// Omits `blocking="false"`.
    func write(to writer: XMLWriter) {
        writer.element("call", ["blocking": blocking ? "true" : nil]) {
            if let endpoint { writer.endpoint(endpoint) }
        }
    }

    func compile(_ compilation: inout MediatorCompilation) throws(MediationCompileError) -> any CompiledMediator {
        guard let endpoint else {
            // Synapse's CallMediator without an endpoint sends where the message's To says (the implicit endpoint):
            // a `default` endpoint, which faults with the reason when the message has no HTTP(S) To.
            let implicit = EndpointLeaf(name: nil, target: .messageTo)
            return CompiledCallMediator(endpoint: .fixed(ResolvedEndpoint(name: nil, kind: .leaf(implicit))))
        }
        if let dynamicKey = try DynamicEndpointKey.of(endpoint, in: compilation) {
            return CompiledCallMediator(endpoint: .dynamic(dynamicKey))
        }
        return try compilation.resolve(endpoint).callMediator()
    }
}

/// `<call>` ready to run: hands the gateway the endpoint; the sequence resumes after it with the response.
struct CompiledCallMediator: CompiledMediator {
    enum Target: Sendable {
        case fixed(ResolvedEndpoint)
        /// `<endpoint key-expression=>`: chosen per message.
        case dynamic(DynamicEndpointKey)
    }

    let endpoint: Target

    var readsBody: Bool {
        if case .dynamic(let key) = endpoint { return key.readsBody }
        return false
    }

    func mediate(_ context: inout MessageContext) throws(MediationFault) -> MediatorOutcome {
        switch endpoint {
        case .fixed(let endpoint):
            return .yield(.call(endpoint))
        case .dynamic(let key):
            let endpoint = try key.endpoint(for: &context, mediator: "call")
            if endpoint.isRecipientList { return try endpoint.callMediator().mediate(&context) }
            return .yield(.call(endpoint))
        }
    }
}

extension MediatorNode {
    /// A `<call>` node.
    public static func call(_ mediator: CallMediator) -> MediatorNode { MediatorNode(mediator) }
}
