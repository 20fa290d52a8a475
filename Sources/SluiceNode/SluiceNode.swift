import Foundation
import Logging
import AsyncHTTPClient
import NIOPosix
import NIOSSL
public import ServiceLifecycle
public import SluiceControlPlane
import SluiceDatabaseMediators
public import SluiceGateway
public import SluiceGatewayHandlers
public import SluiceKeyManager
import SluiceManagement
import SluiceModel
import SluicePortal
import SluiceAnalytics
import SluiceArtifacts
import CoreMetrics
import SluiceSecurity
import SluiceStorage
import SluiceSynapse
import SluiceJWT
import Tracing
public import SluiceTLS
public import UnixSignals

/// One Sluice node, assembled from its options: the storage, key manager, gateway handlers, gateway, management
/// app and background services of the roles it plays. `sluice server` runs one; tests start several.
///
/// ```swift
/// let node = try await SluiceNode.assemble(try NodeOptions.reading(repository: path, environment: env, logger: log))
/// try await node.run(gracefulShutdownSignals: [.sigterm, .sigint])
/// ```
public struct SluiceNode: Sendable {
    /// The long-lived parts, in start order; ``run(gracefulShutdownSignals:)`` runs them in one `ServiceGroup`.
    public let services: [any Service]
    /// The gateway, when the node plays the gateway role.
    public let gateway: GatewayService?
    /// The key manager, when the node runs the control plane.
    public let keyManager: KeyManager?
    /// The publisher, devportal and admin services, when the node runs the control plane.
    public let apiManager: APIManagerServices?
    /// The gateway's handlers (throttle, usage, lifecycle states), when the node plays the gateway role.
    public let gatewayHandlers: APIManagerGatewayHandlers?
    /// The gateway port (0 until bound when asked for a free one; see `gateway.boundPort`), nil without a gateway.
    public let gatewayPort: Int?
    /// The management port, nil without a control plane.
    public let managementPort: Int?
    /// The gateway's HTTPS port (0 until bound; see `gateway.boundHTTPSPort`), nil when off or without a gateway.
    public let gatewayHTTPSPort: Int?
    /// The management HTTPS port, nil when off or without a control plane.
    public let managementHTTPSPort: Int?
    /// The key stores HTTPS is served with (and JWTs signed with), when the node needs them.
    public let keyStores: NodeKeyStores?
    /// The management listeners' ports, reported once bound (see `boundPorts()`).
    let managementListeners: ManagementListeners
    private let logger: Logger

    /// Builds the node: opens storage and the key manager for a control plane, the handler chain for a gateway,
    /// wires the publisher to this node's gateway and deployment folder.
    /// - Parameter options: The repository, settings and overrides.
    /// - Returns: The node, not yet running.
    /// - Throws: ``NodeAssemblyError`` for settings that cannot work; storage and key manager errors.
    public static func assemble(_ options: NodeOptions) async throws -> SluiceNode {
        let plan = NodePlan(options: options)
        try plan.validate()
        let keyStores = try loadKeyStores(options, plan: plan)
        let logger = options.logger
        let trustedProxies: TrustedProxies
        do {
            trustedProxies = try TrustedProxies(options.settings.trustedProxies)
        } catch {
            throw NodeAssemblyError.invalidConfiguration("\(error)")
        }
        // Both servers stay below the descriptor limit, so a flood of connections cannot starve deployment scans,
        // the database or backend connections.
        let defaultCaps = options.descriptors.defaultCaps(runsGateway: plan.runsGateway, runsManagement: plan.runsControlPlane)
        var services: [any Service] = []
        // First in, so the last to stop: it exports the spans of the requests the other services drain.
        let tracing = try NodeTracing.make(options.settings.tracing, logger: logger)
        if let tracing { services.append(tracing.service) }
        // One metrics backend for the node's parts, rendered at /metrics.
        let metricsBackend = PrometheusMetricsBackend()
        var gatewayLogger = logger
        gatewayLogger[metadataKey: "sluice.component"] = "gateway"

        // The database: the control plane's, and on PostgreSQL every node's, with the cluster's parts.
        let opened = try await NodeStorage.open(options, plan: plan)
        let cluster = opened?.cluster.map {
            NodeCluster(storage: $0, runsControlPlane: plan.runsControlPlane, logger: logger)
        }
        if let cluster { services += cluster.services }

        let managementListeners = ManagementListeners(plan: plan, keyStores: keyStores)
        // The control plane: key manager, management REST APIs and OAuth2 endpoints on one database.
        var controlPlane: (keyManager: KeyManager, storage: any APIManagerStorage)?
        if plan.runsControlPlane, let storage = opened?.repositories {
            let keyManager = try await openKeyManager(
                storage: storage,
                options: options,
                plan: plan,
                keyStores: keyStores,
                clustered: cluster != nil,
                metricsFactory: metricsBackend.factory
            )
            controlPlane = (keyManager, storage)
            services.append(TokenWriteFlushService(keyManager: keyManager))
            services.append(TokenCleanupService(keyManager: keyManager))
        }
        let replica = cluster?.keyValidationReplica(keyManager: controlPlane?.keyManager, identity: options.identity)

        // The gateway's handlers use the in-process key manager and the database when this node has them; in a
        // cluster, the replicated index and the shared database.
        var gatewayHandlers: APIManagerGatewayHandlers?
        // Fewer loops than cores can pay off when the gateway shares its cores with the backend (fewer wake-ups).
        let gatewayLoops: MultiThreadedEventLoopGroup =
            options.gatewayThreads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) }
            ?? MultiThreadedEventLoopGroup.singleton
        let backendJWT = plan.runsGateway ? try await backendJWTIssuer(options, signing: keyStores?.signing) : nil
        if plan.runsGateway {
            let handlers: APIManagerGatewayHandlers
            if let cluster, let replica {
                handlers = try cluster.gatewayHandlers(
                    replica: replica,
                    options: options,
                    eventLoopGroup: gatewayLoops,
                    logger: gatewayLogger,
                    backendJWT: backendJWT,
                    metricsBackend: metricsBackend
                )
            } else {
                let validation = controlPlane?.keyManager.validationService
                handlers = try APIManagerGatewayHandlers.node(
                    repositoryPath: options.repository,
                    localKeyValidation: validation.map { service in .immediate { service.validate($0) } },
                    keyManagerURL: options.settings.keyManagerURL,
                    adminUsername: options.settings.adminUsername,
                    adminPassword: options.adminPassword,
                    timestampSkew: options.identity.timestampSkew,
                    usageRepository: controlPlane?.storage,
                    usage: options.settings.usage,
                    eventLoopGroup: gatewayLoops,
                    logger: gatewayLogger,
                    keyManagerClient: try trustedClient(options),
                    backendJWT: backendJWT,
                    metricsBackend: metricsBackend,
                    botAccessRepository: controlPlane?.storage
                )
            }
            gatewayHandlers = handlers
            services += handlers.services
        }

        // The publisher's source editor compiles edits with this node's gateway, once the gateway exists.
        let localGateway = AttachedGateway()
        let sourceCheck = gatewayHandlers.map { GatewaySourceCheck(handlers: $0.registry, gateway: localGateway) }
        // An all-in-one node deploys what its publisher writes before the publish call answers.
        let localDeployment = gatewayHandlers != nil && cluster == nil
            ? LocalGatewayDeployment(repository: options.repository, gateway: localGateway) : nil
        var apiManager: APIManagerServices?
        if let controlPlane {
            let parts = try await controlPlaneServices(
                keyManager: controlPlane.keyManager,
                storage: controlPlane.storage,
                deployer: cluster?.deployer(repository: options.repository)
                    ?? localDeployment.map { $0 as any GatewayArtifactDeployer }
                    ?? DeploymentFolderWriter(repository: options.repository),
                gatewayHandlers: gatewayHandlers,
                sourceCheck: sourceCheck,
                localGateway: localGateway,
                plan: plan,
                keyStores: keyStores,
                options: options,
                maxConnections: options.settings.managementMaxConnections ?? defaultCaps.management,
                tracer: tracing?.tracer,
                listeners: managementListeners
            )
            apiManager = parts.apiManager
            services.append(parts.managementApp)
        } else {
            managementListeners.notServed("this node runs no control plane")
        }

        var gateway: GatewayService?
        if let gatewayHandlers {
            let backendTLS = try backendTrust(options, primary: keyStores?.primary)
            var configuration = GatewayConfiguration(
                host: options.settings.bindAddress,
                port: plan.gatewayPort ?? 0,
                httpEnabled: plan.gatewayPort != nil,
                tls: plan.gatewayHTTPSPort.flatMap { port in
                    keyStores.map { keyStores in
                        GatewayTLSListener(
                            port: port,
                            configuration: ServerTLS.configuration(
                                keyStores: keyStores.keyStores,
                                requestClientCertificate: true
                            ),
                            requestsClientCertificates: true
                        )
                    }
                },
                repositoryPath: options.repository,
                maxConnections: options.settings.gatewayMaxConnections ?? defaultCaps.gateway,
                trustedProxies: trustedProxies,
                backendTLS: backendTLS.default,
                synapseProperties: options.synapseProperties
            )
            configuration.backendTLSByServer = backendTLS.byServer
            configuration.tracing = tracing.map { GatewayTracing(tracer: $0.tracer) }
            configuration.metricsFactory = metricsBackend.factory
            configuration.databases = DatabaseMediatorConnector(
                dataSources: options.settings.dataSources,
                logger: gatewayLogger
            )
            if options.settings.accessLog.isActive {
                let accessLog = try GatewayAccessLog(settings: options.settings.accessLog)
                configuration.accessLog = accessLog
                if accessLog.buffer != nil { services.append(AccessLogWriter(log: accessLog, logger: gatewayLogger)) }
            }
            if let backendJWT {
                configuration.backendJWKS = String(decoding: try JSONEncoder().encode(backendJWT.keySet), as: UTF8.self)
            }
            let service = GatewayService(
                configuration: configuration,
                logger: gatewayLogger,
                handlerRegistry: gatewayHandlers.registry,
                classMediators: gatewayHandlers.classMediators,
                eventLoopGroup: gatewayLoops
            )
            localGateway.attach(service.deployer)
            NodeMetrics.sample(into: metricsBackend, handlers: gatewayHandlers, gateway: service, accessLog: configuration.accessLog)
            services.append(service)
            gateway = service
        }
        guard !services.isEmpty else { throw NodeAssemblyError.noRole }
        return SluiceNode(
            services: services,
            gateway: gateway,
            keyManager: controlPlane?.keyManager,
            apiManager: apiManager,
            gatewayHandlers: gatewayHandlers,
            gatewayPort: plan.runsGateway ? plan.gatewayPort : nil,
            managementPort: plan.runsControlPlane ? plan.managementPort : nil,
            gatewayHTTPSPort: plan.runsGateway ? plan.gatewayHTTPSPort : nil,
            managementHTTPSPort: plan.runsControlPlane ? plan.managementHTTPSPort : nil,
            keyStores: keyStores,
            managementListeners: managementListeners,
            logger: logger
        )
    }

    /// Runs every service until one of the signals arrives, then drains.
    /// - Parameter gracefulShutdownSignals: Signals that start a graceful shutdown.
    public func run(gracefulShutdownSignals: [UnixSignal] = []) async throws {
        try await serviceGroup(gracefulShutdownSignals: gracefulShutdownSignals).run()
    }

    /// The `ServiceGroup` running the node's services (tests end it with `triggerGracefulShutdown()`).
    /// - Parameter gracefulShutdownSignals: Signals that start a graceful shutdown.
    public func serviceGroup(gracefulShutdownSignals: [UnixSignal] = []) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: gracefulShutdownSignals,
            logger: logger
        )
        // A node must end after SIGTERM even when one service does not: the gateway drains for at most its 30 s
        // grace period, the writers flush; past that the group cancels, and a service that ignores cancellation
        // too ends the process (service-lifecycle's fatalError) rather than leaving it running forever.
        configuration.maximumGracefulShutdownDuration = Self.maximumGracefulShutdown
        configuration.maximumCancellationDuration = Self.maximumCancellation
        return ServiceGroup(configuration: configuration)
    }

    /// How long a graceful shutdown may take before the group cancels its services.
    static let maximumGracefulShutdown: Duration = .seconds(45)
    /// How long cancelled services may take to end before the process is ended.
    static let maximumCancellation: Duration = .seconds(15)

    // MARK: - Parts

    /// Loads the key stores (generating the default self-signed pair on a first start) when the node serves HTTPS
    /// or issues tokens; a missing file, a wrong password or a key not matching its certificate stops the start.
    private static func loadKeyStores(_ options: NodeOptions, plan: NodePlan) throws(NodeAssemblyError) -> NodeKeyStores? {
        guard plan.servesHTTPS || plan.runsControlPlane else { return nil }
        let keyStores: NodeKeyStores
        do {
            keyStores = try NodeKeyStores.prepare(
                settings: options.settings.security,
                repositoryPath: options.repository,
                password: options.keyStorePassword
            )
        } catch {
            throw .keyStore(error.description)
        }
        if let path = keyStores.generatedCertificatePath {
            options.announceGeneratedCertificate(path, keyStores.primary.names, keyStores.primary.fingerprint)
        }
        return keyStores
    }

    /// Whom the gateway trusts towards `https://` endpoints; an unreadable trust store stops the start.
    private static func backendTrust(
        _ options: NodeOptions,
        primary: KeyStore?
    ) throws(NodeAssemblyError) -> (default: TLSConfiguration, byServer: [String: TLSConfiguration]) {
        do {
            return try BackendTrust.gatewayConfigurations(
                repositoryPath: options.repository,
                primary: primary,
                clientCertificates: options.settings.security.backendClientCertificates
            )
        } catch {
            throw .keyStore(error.description)
        }
    }

    /// The client towards a remote key manager, trusting the trust store.
    private static func trustedClient(_ options: NodeOptions) throws(NodeAssemblyError) -> HTTPClient {
        do {
            return try TrustedHTTPClients.client(repositoryPath: options.repository)
        } catch {
            throw .keyStore(error.description)
        }
    }

    private static func openKeyManager(
        storage: any APIManagerStorage,
        options: NodeOptions,
        plan: NodePlan,
        keyStores: NodeKeyStores?,
        clustered: Bool,
        metricsFactory: any MetricsFactory
    ) async throws -> KeyManager {
        var keyManagerLogger = options.logger
        keyManagerLogger[metadataKey: "sluice.component"] = "key-manager"
        var configuration = KeyManagerConfiguration(identity: options.identity, logger: keyManagerLogger)
        // Other nodes find a new token in the shared database: it must be there before it is handed out.
        if clustered { configuration.tokenPersistence = .beforeAnswer }
        configuration.metricsFactory = metricsFactory
        if let signing = keyStores?.signing {
            // JWT access tokens are signed with the key HTTPS is served with, as WSO2 signs with wso2carbon's,
            // unless <JWTSigningKeyStore> names another (an EC key: ES256).
            configuration.tokenSigner = try await signer(signing)
        }
        configuration.issuer = options.identity.tokenIssuer ?? defaultIssuer(options.settings, plan: plan)
        let keyManager = try await KeyManager(storage: storage, configuration: configuration)
        let username = options.settings.adminUsername
        if let generated = try await keyManager.bootstrap(adminUsername: username, adminPassword: options.adminPassword) {
            options.announceGeneratedAdminPassword(username, generated)
        }
        return keyManager
    }

    /// A signer with the key store's key.
    private static func signer(_ keyStore: KeyStore) async throws -> TokenSigner {
        let key: JWTSigningKey =
            switch keyStore.keyMaterial {
            case .rsa(let rsa): .rsa(rsa)
            case .p256(let p256): .p256(p256)
            case .p384(let p384): .p384(p384)
            }
        return try await TokenSigner(key: key, certificateDER: keyStore.leafDER)
    }

    /// The backend JWT issuer when `<JWTConfiguration>` enables it, signing with the node's key store (WSO2 signs
    /// with `wso2carbon`'s key); a gateway without a key store cannot sign and does not start.
    private static func backendJWTIssuer(_ options: NodeOptions, signing: KeyStore?) async throws -> BackendJWTIssuer? {
        let settings = options.settings.backendJWT
        guard settings.isEnabled else { return nil }
        guard let signing else {
            throw NodeAssemblyError.keyStore(
                "<JWTConfiguration><EnableJWTGeneration> needs a key store to sign with: give the gateway an HTTPS port or a <KeyStore>"
            )
        }
        return BackendJWTIssuer(settings: settings, signer: try await signer(signing))
    }

    /// WSO2's default issuer, `https://localhost:9443/oauth2/token`, with this node's address and port.
    private static func defaultIssuer(_ settings: APIManagerSettings, plan: NodePlan) -> String {
        let host =
            switch settings.bindAddress {
            case "0.0.0.0", "::", "": "localhost"
            case let address where address.contains(":"): "[\(address)]"
            case let address: address
            }
        if let port = plan.managementHTTPSPort { return "https://\(host):\(port)/oauth2/token" }
        return "http://\(host):\(plan.managementPort ?? 9763)/oauth2/token"
    }

    /// The publisher, devportal and admin services and the management app serving them, wired to this node's
    /// gateway (tier catalog, lifecycle states, metrics) when it has one.
    private static func controlPlaneServices(
        keyManager: KeyManager,
        storage: any APIManagerStorage,
        deployer: any GatewayArtifactDeployer,
        gatewayHandlers: APIManagerGatewayHandlers?,
        sourceCheck: GatewaySourceCheck?,
        localGateway: AttachedGateway,
        plan: NodePlan,
        keyStores: NodeKeyStores?,
        options: NodeOptions,
        maxConnections: Int,
        tracer: (any Tracer)?,
        listeners: ManagementListeners
    ) async throws -> (apiManager: APIManagerServices, managementApp: any Service) {
        let catalog = gatewayHandlers?.throttle.catalog
        let throttle = gatewayHandlers?.throttle
        let blockingConditions = gatewayHandlers?.throttle.blockingConditions
        let statuses = gatewayHandlers?.statuses
        if let statuses {
            // Lifecycle states from storage, then every change the publisher makes: BLOCKED answers 900907.
            for api in try await storage.apis() {
                statuses.setState(api.lifecycleState, context: api.context, version: api.version)
            }
        }
        let tierFiles: [TierLevel: TierSet]
        do {
            tierFiles = try TierConfigReader.readAll(confDirectory: options.repository + "/conf")
        } catch {
            throw NodeAssemblyError.invalidTierFiles("\(error)")
        }
        var checkAPISource: (@Sendable (SynapseAPI) -> APISourceCompilation)?
        if let sourceCheck { checkAPISource = { sourceCheck.check($0) } }
        let apiManager = APIManagerServices(
            keyManager: keyManager,
            storage: storage,
            lifecycleExecutor: LifecycleExecutor(deployer: deployer),
            configuration: APIManagerConfiguration(
                builtInTiers: tierFiles,
                onThrottlingPolicyChange: { change in
                    // Admin policy edits reach this node's gateway on the next request, without a restart.
                    switch change {
                    case .upserted(let tier, let level): catalog?.upsert(tier, level: level)
                    case .removed(let name, let level): catalog?.remove(tierNamed: name, level: level)
                    }
                },
                onLifecycleChange: { context, version, state in
                    statuses?.setState(state, context: context, version: version)
                },
                onBlockingConditionsChange: { conditions in blockingConditions?.replace(with: conditions) },
                checkAPISource: checkAPISource,
                resetApplicationThrottle: { applicationID, user in
                    throttle?.resetApplication(applicationID, user: user) ?? false
                },
                gateway: APIManagerConfiguration.GatewayAddress(
                    host: "localhost",
                    httpPort: plan.gatewayPort ?? 8280,
                    httpsPort: plan.gatewayHTTPSPort ?? 8243
                )
            )
        )
        if let catalog { catalog.replace(with: try await apiManager.tierSets()) }
        // Deny policies from storage; then every change the admin makes (and, in a cluster, the change log).
        if let blockingConditions { blockingConditions.replace(with: try await storage.blockingConditions()) }
        var renderMetrics: (@Sendable () -> String)?
        if let metrics = gatewayHandlers?.metrics {
            renderMetrics = {
                if let deployer = localGateway.attached {
                    metrics.declare(deployed: deployer.snapshots.current.apis.map(\.compiled.definition))
                }
                return metrics.render()
            }
        }
        let portalConfiguration = PortalConfiguration.server(
            bindAddress: options.settings.bindAddress,
            gatewayPort: plan.runsGateway ? plan.gatewayPort : nil,
            gatewayHTTPSPort: plan.runsGateway ? plan.gatewayHTTPSPort : nil
        )
        var tlsListener: ManagementTLSListener?
        if let port = plan.managementHTTPSPort, let keyStores {
            do {
                tlsListener = try ManagementTLSListener(
                    port: port,
                    configuration: ServerTLS.configuration(keyStores: keyStores.keyStores)
                )
            } catch {
                throw NodeAssemblyError.keyStore("the management HTTPS listener cannot use it: \(error)")
            }
        }
        let logger = options.logger
        var configuration = ManagementConfiguration(
            host: options.settings.bindAddress,
            port: plan.managementPort ?? 0,
            httpEnabled: plan.managementPort != nil,
            tls: tlsListener,
            maxConnections: maxConnections,
            anonymousRateLimit: options.settings.anonymousRequestsPerSecond > 0
                ? AnonymousRateLimit(
                    burst: options.settings.anonymousBurst,
                    perSecond: options.settings.anonymousRequestsPerSecond
                ) : nil,
            metricsAccess: options.settings.metricsAccess
        )
        configuration.tracer = tracer
        configuration.onServerRunning = { transport, port in
            (transport == "https" ? listeners.https : listeners.http).report(port)
        }
        let managementApp = buildManagementApplication(
            keyManager: keyManager,
            apiManager: apiManager,
            configuration: configuration,
            logger: logger,
            metrics: renderMetrics,
            routes: { router in
                PortalRoutes.add(to: router, services: apiManager, configuration: portalConfiguration, logger: logger)
            }
        )
        return (apiManager, ListenerReportingService(server: managementApp, listeners: [listeners.http, listeners.https]))
    }
}
