/// One `<resource>` of an API: which requests it takes and the sequences that mediate them.
public struct APIResource: Sendable, Hashable {
    /// Upper-case HTTP methods (`methods="GET POST"`); empty means every method.
    public var methods: [String]
    public var dispatcher: ResourceDispatcher
    /// `protocol`: `http`, `https`, or nil for both.
    public var protocolRestriction: String?
    /// `content-type` and `user-agent` filters, as Synapse reads them.
    public var contentType: String?
    public var userAgent: String?
    public var inSequence: SequenceSlot?
    public var outSequence: SequenceSlot?
    public var faultSequence: SequenceSlot?
    /// Sluice's `auth-type` attribute: how the gateway authenticates calls to this resource
    /// (`None`, `Application`, `Application User`, `Any`, as WSO2's publisher names them). Nil means `Any`.
    public var authType: String?
    /// Sluice's `throttling-tier` attribute: the resource-level tier (res-tiers.xml / advanced policy name).
    public var throttlingTier: String?
    /// Sluice's `scopes` attribute (space separated): OAuth2 scopes a token must carry.
    public var scopes: [String]
    @DiagnosticOnly public var location: SourceLocation?

    public init(
        methods: [String] = [],
        dispatcher: ResourceDispatcher = .none,
        protocolRestriction: String? = nil,
        contentType: String? = nil,
        userAgent: String? = nil,
        inSequence: SequenceSlot? = nil,
        outSequence: SequenceSlot? = nil,
        faultSequence: SequenceSlot? = nil,
        authType: String? = nil,
        throttlingTier: String? = nil,
        scopes: [String] = [],
        location: SourceLocation? = nil
    ) {
        self.methods = methods
        self.dispatcher = dispatcher
        self.protocolRestriction = protocolRestriction
        self.contentType = contentType
        self.userAgent = userAgent
        self.inSequence = inSequence
        self.outSequence = outSequence
        self.faultSequence = faultSequence
        self.authType = authType
        self.throttlingTier = throttlingTier
        self.scopes = scopes
        self.location = location
    }
}

/// How a resource matches the request path below the API's context.
public enum ResourceDispatcher: Sendable, Hashable {
    /// `uri-template="/orders/{id}"` (RFC 6570 level 1).
    case uriTemplate(URITemplate)
    /// `url-mapping="/menu"`, `"/items/*"`, `"*.json"` (servlet style).
    case urlMapping(URLMapping)
    /// Neither attribute: the resource takes every path.
    case none
}

/// An in, out or fault sequence of a resource: inline mediators or a reference to a named sequence.
public enum SequenceSlot: Sendable, Hashable {
    case inline([MediatorNode])
    /// `inSequence="name"` attribute.
    case key(String)
}
