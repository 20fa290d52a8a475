public import Logging
public import ServiceLifecycle
public import SluiceAnalytics
public import SluiceMediation
import SluiceModel
public import SluiceSecurity
public import SluiceStorage
import SluiceSynapse
public import SluiceThrottling

/// Everything a gateway node needs for WSO2's handler chain, built once at start-up: the handler registry to
/// give `GatewayService`, the throttle, the usage queue and metrics, and the background services (usage batch
/// writer, tier reloader) to add to the node's `ServiceGroup`.
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
    /// Every WSO2 handler class name on top of `HandlerRegistry.standard`.
    public let registry: HandlerRegistry
    public let throttle: ThrottleEngine
    /// The usage events waiting for storage; nil without a usage repository.
    public let usageQueue: UsageEventQueue?
    /// The Prometheus metrics; `metrics.render()` is the `/metrics` body.
    public let metrics: UsageMetrics
    /// API lifecycle states the publisher reports, for BLOCKED checks.
    public let statuses: APIStatusRegistry
    /// The usage batch writer and the tier reloader.
    public let services: [any Service]

    /// Builds the components.
    /// - Parameters:
    ///   - repositoryPath: The repository folder (tier files in `conf/`).
    ///   - keyValidation: The key manager.
    ///   - usageRepository: Where usage events are written; nil keeps only the metrics.
    ///   - usageQueueCapacity: Events buffered at most before they are dropped.
    ///   - statuses: Lifecycle states; a new empty registry by default.
    ///   - logger: For the background services.
    /// - Throws: `SynapseDiagnostics` when a tier file does not parse.
    public init(
        repositoryPath: String,
        keyValidation: KeyValidationSource,
        usageRepository: (any UsageRepository)?,
        usageQueueCapacity: Int = 10_000,
        statuses: APIStatusRegistry = APIStatusRegistry(),
        logger: Logger
    ) throws {
        let conf = repositoryPath + "/conf"
        let catalog = ThrottleTierCatalog(try TierConfigReader.readAll(confDirectory: conf))
        throttle = ThrottleEngine(catalog: catalog)
        let queue = usageRepository.map { _ in UsageEventQueue(capacity: usageQueueCapacity) }
        usageQueue = queue
        metrics = UsageMetrics()
        self.statuses = statuses
        let recorder = UsageRecorder(queue: queue, metrics: metrics)
        registry = .apiManager(keyValidation: keyValidation, throttle: throttle, usage: recorder, statuses: statuses)
        var services: [any Service] = [TierReloadService(confDirectory: conf, catalog: catalog, logger: logger)]
        if let usageRepository, let queue {
            services.append(UsageBatchWriter(queue: queue, repository: usageRepository, logger: logger))
        }
        self.services = services
    }
}
