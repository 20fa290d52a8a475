import SluiceModel

/// An API ready to serve: its handler chain and resources with compiled sequences.
public struct CompiledAPI: Sendable {
    /// The artifact it was compiled from.
    public let definition: SynapseAPI
    /// The handlers in request order.
    public let handlers: GatewayHandlerChain
    /// The resources in document order (the gateway dispatches to the first that matches).
    public let resources: [CompiledResource]
    /// References to sequences, endpoints, templates or local entries that nothing deployed defines: the API
    /// deployed and a message reaching one faults (deployment warnings).
    public let unresolvedReferences: [MediationCompileError]
}

/// One resource with its sequences resolved.
public struct CompiledResource: Sendable {
    /// The resource as written (methods, dispatcher, content-type filters...).
    public let definition: APIResource
    /// The in sequence; nil when the resource has none.
    public let inSequence: CompiledSequence?
    /// The out sequence; nil when the resource has none (the response goes back unchanged).
    public let outSequence: CompiledSequence?
    /// The fault sequence: the resource's own, else the deployed `fault`, else the built-in one.
    public let faultSequence: CompiledSequence

    /// True when the request body must be read before the in sequence runs.
    public var inSequenceReadsBody: Bool { inSequence?.readsBody ?? false }
    /// True when the response body must be read before the out sequence runs.
    public var outSequenceReadsBody: Bool { outSequence?.readsBody ?? false }
}
