/// What the throttle needs to know about one request. Scopes are built at deploy time; the caller part comes from
/// the authentication handler.
public struct ThrottleRequest: Sendable {
    /// `context:version`.
    public var apiScope: String
    /// The API-level policy (`APILevelPolicy` / `apiThrottlingPolicy`), looked up in res-tiers.
    public var apiTier: String?
    /// `context:version:METHOD:uri-template`.
    public var resourceScope: String
    /// The resource's `throttling-tier`, looked up in res-tiers.
    public var resourceTier: String?
    /// Hard limits of the backend in requests per second (`productionMaxCount` / `sandboxMaxCount`).
    public var hardLimitPerSecond: Int64?
    public var caller: Caller

    public init(
        apiScope: String,
        apiTier: String? = nil,
        resourceScope: String,
        resourceTier: String? = nil,
        hardLimitPerSecond: Int64? = nil,
        caller: Caller
    ) {
        self.apiScope = apiScope
        self.apiTier = apiTier
        self.resourceScope = resourceScope
        self.resourceTier = resourceTier
        self.hardLimitPerSecond = hardLimitPerSecond
        self.caller = caller
    }

    /// Who is calling.
    public enum Caller: Sendable, Hashable {
        /// An auth-None resource: counted per client IP against the `Unauthenticated` subscription tier.
        case anonymous(clientIP: String)
        /// A token's application, its subscription tier for this API, its own tier, and the end user.
        case application(id: String, subscriptionTier: String, applicationTier: String, user: String)
    }
}
