public import AsyncHTTPClient
public import Logging
public import NIOCore
public import ServiceLifecycle
public import SluiceAnalytics
public import SluiceJWT
public import SluiceMediation
public import SluiceModel
public import SluiceSecurity
import SluiceSynapse
public import SluiceThrottling

/// Everything a gateway node needs for WSO2's handler chain, built once at start-up: the handler registry to
/// give `GatewayService`, the throttle, the usage rollups, raw-event queue and metrics, and the background services
/// (usage batch writer and retention, tier reloader) to add to the node's `ServiceGroup`.
///
/// ```swift
/// let handlers = try APIManagerGatewayHandlers(
///     repositoryPath: repository,
///     keyValidation: .immediate { keyManager.validationService.validate($0) },
///     usageRepository: storage,
///     logger: logger
/// )
/// services += handlers.services
/// GatewayService(configuration: configuration, logger: logger, handlerRegistry: handlers.registry)
/// ```
public struct APIManagerGatewayHandlers: Sendable {
    /// Every WSO2 handler class name on top of `GatewayHandlerRegistry.standard`.
    public let registry: GatewayHandlerRegistry
    public let throttle: ThrottleEngine
    /// The per-minute usage rollups waiting for storage; nil without a usage repository.
    public let usageRollups: UsageRollupAggregator?
    /// The raw usage events waiting for storage; nil without a usage repository or with raw events off.
    public let usageQueue: UsageEventQueue?
    /// The Prometheus metrics; `metrics.render()` is the `/metrics` body.
    public let metrics: UsageMetrics
    /// API lifecycle states the publisher reports, for BLOCKED checks.
    public let statuses: APIStatusRegistry
    /// The usage batch writer and retention, and the tier reloader (a cluster node adds its counter sync).
    public var services: [any Service]
    /// The `<class name=>` mediators, with `BotDetectionMediator` writing into ``botAccesses``.
    public let classMediators: ClassMediatorRegistry
    /// The bot trap's records waiting for storage; nil without a bot-access repository.
    public let botAccesses: BotAccessQueue?

    /// Builds the components.
    /// - Parameters:
    ///   - repositoryPath: The repository folder (tier files in `conf/`).
    ///   - keyValidation: The key manager.
    ///   - usageRepository: Where usage is written; nil keeps only the metrics.
    ///   - usage: Raw-event sampling and retention.
    ///   - usageQueueCapacity: Raw events buffered at most before they are dropped.
    ///   - statuses: Lifecycle states; a new empty registry by default.
    ///   - throttleCounters: Where throttle counts live: this process by default, shared in a cluster.
    ///   - additionalServices: Services the key validation needs (a remote key manager's revocation feed).
    ///   - backendJWT: Makes the JWT sent to backends (`JWTConfiguration`); nil sends none.
    ///   - metricsBackend: Where usage and throttle decisions are counted (the node's, rendered at `/metrics`).
    ///   - botAccessRepository: Where the bot trap's records are written; nil logs them only.
    ///   - logger: For the background services.
    /// - Throws: `SynapseDiagnostics` when a tier file does not parse.
    public init(
        repositoryPath: String,
        keyValidation: KeyValidationSource,
        usageRepository: (any UsageRepository)?,
        usage: UsageSettings = UsageSettings(),
        usageQueueCapacity: Int = 10_000,
        statuses: APIStatusRegistry = APIStatusRegistry(),
        throttleCounters: any ThrottleCounterStore = LocalCounterStore(),
        additionalServices: [any Service] = [],
        backendJWT: BackendJWTIssuer? = nil,
        metricsBackend: PrometheusMetricsBackend = PrometheusMetricsBackend(),
        botAccessRepository: (any BotAccessRepository)? = nil,
        logger: Logger
    ) throws {
        let conf = repositoryPath + "/conf"
        let catalog = ThrottleTierCatalog(try TierConfigReader.readAll(confDirectory: conf))
        var throttle = ThrottleEngine(catalog: catalog, store: throttleCounters)
        throttle.decisionMetrics = ThrottleDecisionMetrics(factory: metricsBackend.factory)
        self.throttle = throttle
        let rollups = usageRepository.map { _ in UsageRollupAggregator() }
        let queue = usageRepository.flatMap { _ in
            usage.rawEventSampleRate > 0 ? UsageEventQueue(capacity: usageQueueCapacity) : nil
        }
        usageRollups = rollups
        usageQueue = queue
        metrics = UsageMetrics(backend: metricsBackend)
        self.statuses = statuses
        let recorder = UsageRecorder(rollups: rollups, queue: queue, rawEventRate: usage.rawEventSampleRate, metrics: metrics)
        var registry = GatewayHandlerRegistry.apiManager(
            keyValidation: keyValidation,
            throttle: throttle,
            usage: recorder,
            statuses: statuses,
            backendJWT: backendJWT,
            keyValidationMetrics: KeyValidationMetrics(factory: metricsBackend.factory)
        )
        registry.throttleCounters = ThrottleMediatorCounters(store: throttleCounters)
        self.registry = registry
        var services = additionalServices
        services.append(TierReloadService(confDirectory: conf, catalog: catalog, logger: logger))
        if let usageRepository {
            services.append(UsageBatchWriter(rollups: rollups, queue: queue, repository: usageRepository, logger: logger))
            services.append(
                UsageRetentionService(
                    repository: usageRepository,
                    rollupRetention: .seconds(Int64(max(1, usage.rollupRetentionDays)) * 86_400),
                    rawEventRetention: .seconds(Int64(max(1, usage.rawEventRetentionDays)) * 86_400),
                    logger: logger
                )
            )
        }
        // Bot-trap records travel as usage does: a bounded queue on the request path, a background writer.
        let botAccesses = botAccessRepository.map { _ in BotAccessQueue() }
        if let botAccesses, let botAccessRepository {
            services.append(BotAccessWriter(queue: botAccesses, repository: botAccessRepository, logger: logger))
        }
        self.botAccesses = botAccesses
        classMediators = .standard(clock: .system, botAccesses: botAccesses)
        self.services = services
    }

    /// The components of a `sluice server` node: with the in-process key manager when the node runs one
    /// (`localKeyValidation`), else with the remote key manager at `keyManagerURL` (cache and revocation feed).
    /// - Parameters:
    ///   - repositoryPath: The repository folder.
    ///   - localKeyValidation: The in-process key manager, when this node runs it.
    ///   - keyManagerURL: The remote key manager's management app (api-manager.xml).
    ///   - adminUsername: Admin user for the remote key manager's internal endpoints.
    ///   - adminPassword: Its password.
    ///   - timestampSkew: identity.xml's `TimestampSkew`, for JWTs a split gateway checks itself.
    ///   - usageRepository: Where usage goes, when this node has the database.
    ///   - usage: Raw-event sampling and retention.
    ///   - eventLoopGroup: Where remote lookups complete.
    ///   - logger: For the background services.
    ///   - keyManagerClient: The HTTP client reaching a remote key manager.
    ///   - backendJWT: Makes the JWT sent to backends; nil sends none.
    ///   - botAccessRepository: Where the bot trap's records go, when this node has the database.
    /// - Throws: ``APIManagerGatewayHandlers/ConfigurationError`` when no key manager is reachable from the
    ///   settings; `SynapseDiagnostics` for tier files that do not parse.
    public static func node(
        repositoryPath: String,
        localKeyValidation: KeyValidationSource?,
        keyManagerURL: String?,
        adminUsername: String,
        adminPassword: String?,
        timestampSkew: Int64 = 300,
        usageRepository: (any UsageRepository)?,
        usage: UsageSettings = UsageSettings(),
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        keyManagerClient: HTTPClient = .shared,
        backendJWT: BackendJWTIssuer? = nil,
        metricsBackend: PrometheusMetricsBackend = PrometheusMetricsBackend(),
        botAccessRepository: (any BotAccessRepository)? = nil
    ) throws -> APIManagerGatewayHandlers {
        if let localKeyValidation {
            return try APIManagerGatewayHandlers(
                repositoryPath: repositoryPath, keyValidation: localKeyValidation, usageRepository: usageRepository,
                usage: usage, backendJWT: backendJWT, metricsBackend: metricsBackend,
                botAccessRepository: botAccessRepository, logger: logger
            )
        }
        guard let keyManagerURL, let adminPassword else { throw ConfigurationError.noKeyManager }
        let remote = KeyValidationSource.remote(
            baseURL: keyManagerURL, username: adminUsername, password: adminPassword, timestampSkew: timestampSkew,
            eventLoopGroup: eventLoopGroup, logger: logger, client: keyManagerClient, metricsFactory: metricsBackend.factory
        )
        return try APIManagerGatewayHandlers(
            repositoryPath: repositoryPath, keyValidation: remote.source, usageRepository: usageRepository,
            usage: usage, additionalServices: remote.services, backendJWT: backendJWT, metricsBackend: metricsBackend,
            botAccessRepository: botAccessRepository, logger: logger
        )
    }

    /// Why the handlers of a node cannot be built.
    public enum ConfigurationError: Error, Sendable, CustomStringConvertible {
        /// A gateway without a local key manager needs the key manager's URL and admin credentials.
        case noKeyManager

        public var description: String {
            "a gateway-only node needs the key manager URL and the admin password (api-manager.xml or SLUICE_ADMIN_PASSWORD)"
        }
    }
}
