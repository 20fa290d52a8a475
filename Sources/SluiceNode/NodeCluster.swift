import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import SluiceAnalytics
import SluiceArtifacts
import SluiceCluster
import SluiceGatewayHandlers
import SluiceJWT
import SluiceKeyManager
import SluiceModel
import SluiceSecurity
import SluiceStoragePostgres
import SluiceThrottling

/// The cluster parts of a node whose database is PostgreSQL: the follower keeping this node's copies of shared
/// state current, the outbox taking the publisher's artifacts to the gateways, and for a gateway its replicated
/// key validation, artifacts, lifecycle states, tiers and shared throttle counters.
struct NodeCluster {
    let storage: PostgresStorage
    let follower: ClusterFollower
    /// The publisher's artifacts on their way to the database; control-plane nodes only.
    let outbox: ArtifactOutbox?
    private let logger: Logger

    /// - Parameters:
    ///   - storage: The shared database.
    ///   - runsControlPlane: Whether this node runs the control plane (it then prunes the shared log and keeps
    ///     the artifact outbox).
    ///   - logger: The node's logger.
    init(storage: PostgresStorage, runsControlPlane: Bool, logger: Logger) {
        var logger = logger
        logger[metadataKey: "sluice.component"] = "cluster"
        self.storage = storage
        self.logger = logger
        follower = ClusterFollower(
            repository: storage,
            configuration: ClusterFollower.Configuration(prunesSharedState: runsControlPlane),
            logger: logger
        )
        outbox = runsControlPlane ? ArtifactOutbox(storage: storage, logger: logger) : nil
    }

    /// The services to run before the others, so they stop after them: the database (last of all), the outbox
    /// (after the publisher) and the follower.
    var services: [any Service] {
        [storage, follower] + (outbox.map { [$0] } ?? [])
    }

    /// The node's validation index kept current from the log: the key manager's own when the node runs it, else
    /// one of its own for the gateway.
    func keyValidationReplica(keyManager: KeyManager?, identity: IdentitySettings) -> KeyValidationReplica {
        let service = keyManager?.validationService ?? KeyValidationService(timestampSkew: identity.timestampSkew)
        let replica = KeyValidationReplica(service: service, storage: storage)
        follower.register(replica)
        return replica
    }

    /// The publisher's deployer: this node's folder, then the cluster.
    func deployer(repository: String) -> any GatewayArtifactDeployer {
        let local = DeploymentFolderWriter(repository: repository)
        guard let outbox else { return local }
        return ClusterArtifactDeployer(local: local, outbox: outbox)
    }

    /// A gateway's handlers in a cluster: key validation from the replica behind a cache (a token not seen yet is
    /// looked up in the database, or asked of the key manager when the database is away), usage written to the
    /// shared database, lifecycle states and administrators' tiers from the log, artifacts written into this
    /// node's folder, and shared throttle counters unless api-manager.xml asks for local ones.
    func gatewayHandlers(
        replica: KeyValidationReplica,
        options: NodeOptions,
        eventLoopGroup: any EventLoopGroup,
        logger gatewayLogger: Logger,
        backendJWT: BackendJWTIssuer?,
        metricsBackend: PrometheusMetricsBackend
    ) throws -> APIManagerGatewayHandlers {
        var keyManager: (any KeyValidator)?
        if let url = options.settings.keyManagerURL, let password = options.adminPassword {
            keyManager = RemoteKeyValidator(
                baseURL: url, username: options.settings.adminUsername, password: password,
                client: try TrustedHTTPClients.client(repositoryPath: options.repository)
            )
        }
        let validator = ReplicaKeyValidator(replica: replica, follower: follower, keyManager: keyManager)
        let cache = KeyValidationCache(
            validator: validator, eventLoopGroup: eventLoopGroup, metricsFactory: metricsBackend.factory
        )
        replica.onAccessChange { cache.removeAll() }
        replica.service.onRevocation { hashes in cache.invalidate(tokenHashes: hashes) }

        let cluster = options.settings.cluster
        var sharedCounters: SharedCounterStore?
        if cluster.throttleCounters == .shared { sharedCounters = SharedCounterStore() }
        let statuses = APIStatusRegistry()
        var handlers = try APIManagerGatewayHandlers(
            repositoryPath: options.repository,
            keyValidation: .cached(cache),
            usageRepository: storage,
            usage: options.settings.usage,
            statuses: statuses,
            throttleCounters: sharedCounters ?? LocalCounterStore(),
            backendJWT: backendJWT,
            metricsBackend: metricsBackend,
            botAccessRepository: storage,
            logger: gatewayLogger
        )
        if let sharedCounters {
            handlers.services.append(
                SharedCounterSyncService(
                    store: sharedCounters,
                    repository: storage,
                    interval: .milliseconds(cluster.throttleSyncIntervalMillis),
                    logger: logger
                )
            )
        }
        follower.register(
            GatewayStateReplica(
                storage: storage,
                statuses: statuses,
                catalog: handlers.throttle.catalog,
                blockingConditions: handlers.throttle.blockingConditions
            )
        )
        follower.register(ArtifactReplica(storage: storage, repository: options.repository, logger: logger))
        return handlers
    }
}
