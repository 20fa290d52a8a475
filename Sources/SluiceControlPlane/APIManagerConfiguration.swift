public import SluiceModel

/// Settings of the publisher, devportal and admin REST APIs.
public struct APIManagerConfiguration: Sendable {
    /// The largest JSON body accepted, in bytes (API definitions can be large).
    public var maximumBodySize: Int
    /// The tiers known without any administrator policy (the tier files); administrator policies add to and
    /// override them.
    public var builtInTiers: [TierLevel: TierSet]
    /// The tier of the `DefaultApplication` self-signup creates.
    public var defaultApplicationTier: String
    /// Called after a throttling policy was created, changed or deleted, so gateways apply it without a restart
    /// (connect it to `ThrottleTierCatalog.upsert/remove`).
    public var onThrottlingPolicyChange: (@Sendable (ThrottlingPolicyChange) -> Void)?
    /// Called with every deny policy after one was created, enabled, disabled or deleted, so this node's gateway
    /// applies them from the next call (connect it to `BlockingConditionRegistry.replace`).
    public var onBlockingConditionsChange: (@Sendable ([BlockingCondition]) -> Void)?
    /// Called after an API's lifecycle state changed and was stored (context, version, new state), so the
    /// gateway's `APIStatusRegistry` refuses a BLOCKED API at once (connect it to `setState`).
    public var onLifecycleChange: (@Sendable (_ context: String, _ version: String, _ state: APILifecycleState) -> Void)?
    /// Compiles a publisher's hand-edited API source as this node's gateway would (handler classes, class
    /// mediators, named sequences and endpoints) after it parsed: the first problem (nil when it compiles) and
    /// the deployment warnings (references nothing deployed defines). Nil (a node without a gateway) checks the
    /// source with the parser only.
    public var checkAPISource: (@Sendable (SynapseAPI) -> APISourceCompilation)?
    /// Resets the application-level throttle counters of one application and user on this node's gateway
    /// (WSO2's `reset-throttle-policy`); false when they cannot be reset here (no gateway in this node, or counters
    /// shared by a cluster). Nil: a node without a gateway.
    public var resetApplicationThrottle: (@Sendable (_ applicationID: String, _ user: String) -> Bool)?
    /// Where the gateways serve APIs, as WSO2's `Default` environment shows it to the portals and apictl.
    public var gateway: GatewayAddress

    /// A gateway's host and ports (WSO2's defaults: localhost, 8280, 8243).
    public struct GatewayAddress: Sendable, Hashable {
        public var host: String
        public var httpPort: Int
        public var httpsPort: Int

        public init(host: String = "localhost", httpPort: Int = 8280, httpsPort: Int = 8243) {
            self.host = host
            self.httpPort = httpPort
            self.httpsPort = httpsPort
        }
    }

    /// Creates a configuration; the built-in tiers default to WSO2's tier files.
    public init(
        maximumBodySize: Int = 1 << 20,
        builtInTiers: [TierLevel: TierSet] = Dictionary(
            uniqueKeysWithValues: TierLevel.allCases.map { ($0, TierSet.wso2Defaults($0)) }
        ),
        defaultApplicationTier: String = "Unlimited",
        onThrottlingPolicyChange: (@Sendable (ThrottlingPolicyChange) -> Void)? = nil,
        onLifecycleChange: (@Sendable (_ context: String, _ version: String, _ state: APILifecycleState) -> Void)? = nil,
        onBlockingConditionsChange: (@Sendable ([BlockingCondition]) -> Void)? = nil,
        checkAPISource: (@Sendable (SynapseAPI) -> APISourceCompilation)? = nil,
        resetApplicationThrottle: (@Sendable (_ applicationID: String, _ user: String) -> Bool)? = nil,
        gateway: GatewayAddress = GatewayAddress()
    ) {
        self.resetApplicationThrottle = resetApplicationThrottle
        self.gateway = gateway
        self.onLifecycleChange = onLifecycleChange
        self.onBlockingConditionsChange = onBlockingConditionsChange
        self.checkAPISource = checkAPISource
        self.maximumBodySize = maximumBodySize
        self.builtInTiers = builtInTiers
        self.defaultApplicationTier = defaultApplicationTier
        self.onThrottlingPolicyChange = onThrottlingPolicyChange
    }
}

/// What compiling a hand-edited API source as the gateway would found.
public struct APISourceCompilation: Sendable {
    /// A place in the source and what is there.
    public typealias Note = (line: Int, column: Int, message: String)
    /// Why the gateway would not deploy it; nil when it would.
    public var problem: Note?
    /// What deploys but faults when a message reaches it (the deployment's warnings).
    public var warnings: [Note]

    public init(problem: Note? = nil, warnings: [Note] = []) {
        self.problem = problem
        self.warnings = warnings
    }
}

/// A change of the throttling policies, as the admin API reports it to the gateways.
public enum ThrottlingPolicyChange: Sendable, Hashable {
    /// A policy was created or replaced.
    case upserted(ThrottleTier, level: TierLevel)
    /// A policy was deleted.
    case removed(name: String, level: TierLevel)
}
