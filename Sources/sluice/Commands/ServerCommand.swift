import ArgumentParser
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import SluiceArtifacts
import SluiceControlPlane
import SluiceGateway
import SluiceGatewayHandlers
import SluiceKeyManager
import SluiceManagement
import SluiceModel
import SluicePortal
import SluiceSecurity
import SluiceStorage
import SluiceSynapse

/// `sluice server`: runs the roles of this node (all of them by default) until SIGINT/SIGTERM, then drains.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Start Sluice: gateway, key manager and management API over the repository folder.",
        discussion: """
            Settings come from <repository>/conf/api-manager.xml and identity.xml; flags override the ports.
            The first admin's password comes from SLUICE_ADMIN_PASSWORD or api-manager.xml; otherwise a random
            one is made up and printed once.
            """
    )

    @Option(name: .long, help: "The repository folder (conf/, deployment/, database/).")
    var repository: String = "./repository"

    @Option(name: .long, help: "Gateway HTTP port (default 8280, or api-manager.xml's).")
    var gatewayPort: Int?

    @Option(name: .long, help: "Management and key manager HTTP port (default 9763, or api-manager.xml's).")
    var managementPort: Int?

    @Option(name: .long, help: "Event-loop threads serving the gateway (default: one per CPU core).")
    var gatewayThreads: Int?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if let gatewayThreads, !(1...256).contains(gatewayThreads) {
            throw ValidationError("--gateway-threads must be between 1 and 256")
        }
    }

    func run() async throws {
        var logger = Logger(label: "sluice")
        logger.logLevel = logLevel
        let conf = repository + "/conf"
        let settings: APIManagerSettings
        let identity: IdentitySettings
        do {
            settings = try APIManagerConfigReader.read(path: conf + "/api-manager.xml")
            identity = try IdentityConfigReader.read(path: conf + "/identity.xml")
        } catch {
            throw ValidationError("invalid configuration:\n\(error)")
        }
        let plan = NodePlan(settings: settings, gatewayPort: gatewayPort, managementPort: managementPort)

        var services: [any Service] = []
        var gatewayLogger = logger
        gatewayLogger[metadataKey: "sluice.component"] = "gateway"
        let adminPassword = ProcessInfo.processInfo.environment["SLUICE_ADMIN_PASSWORD"] ?? settings.adminPassword

        // The control plane: key manager, management REST APIs and OAuth2 endpoints on one database.
        var controlPlane: (keyManager: KeyManager, storage: SQLiteStorage)?
        if plan.runsControlPlane {
            let storage = try openStorage(settings.database)
            var keyManagerLogger = logger
            keyManagerLogger[metadataKey: "sluice.component"] = "key-manager"
            let keyManager = try await KeyManager(
                storage: storage,
                configuration: KeyManagerConfiguration(identity: identity, logger: keyManagerLogger)
            )
            if let generated = try await keyManager.bootstrap(
                adminUsername: settings.adminUsername,
                adminPassword: adminPassword
            ) {
                // Shown exactly once, on the terminal of whoever started the first run; never logged.
                print("Created user '\(settings.adminUsername)' with password: \(generated)")
                print("Store it now: it is not shown again (set SLUICE_ADMIN_PASSWORD to choose one).")
            }
            controlPlane = (keyManager, storage)
            services.append(TokenCleanupService(keyManager: keyManager))
        }

        // The gateway's handlers use the in-process key manager and the database when this node has them.
        var gatewayHandlers: APIManagerGatewayHandlers?
        // Fewer loops than cores can pay off when the gateway shares its cores with the backend (fewer wake-ups).
        let gatewayLoops: MultiThreadedEventLoopGroup =
            gatewayThreads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? MultiThreadedEventLoopGroup.singleton
        if plan.runsGateway {
            let validation = controlPlane?.keyManager.validationService
            let handlers = try APIManagerGatewayHandlers.node(
                repositoryPath: repository,
                localKeyValidation: validation.map { service in .immediate { service.validate($0) } },
                keyManagerURL: settings.keyManagerURL,
                adminUsername: settings.adminUsername,
                adminPassword: adminPassword,
                usageRepository: controlPlane?.storage,
                eventLoopGroup: gatewayLoops,
                logger: gatewayLogger
            )
            gatewayHandlers = handlers
            services += handlers.services
        }

        // The publisher's source editor compiles edits with this node's gateway, once the gateway exists.
        let sourceCheck = gatewayHandlers.map { GatewaySourceCheck(handlers: $0.registry) }
        var checkAPISource: (@Sendable (SynapseAPI) -> (line: Int, column: Int, message: String)?)?
        if let sourceCheck { checkAPISource = { sourceCheck.check($0) } }
        if let controlPlane {
            let catalog = gatewayHandlers?.throttle.catalog
            let statuses = gatewayHandlers?.statuses
            if let statuses {
                // Lifecycle states from storage, then every change the publisher makes: BLOCKED answers 900907.
                for api in try await controlPlane.storage.apis() {
                    statuses.setState(api.lifecycleState, context: api.context, version: api.version)
                }
            }
            let tierFiles: [TierLevel: TierSet]
            do {
                tierFiles = try TierConfigReader.readAll(confDirectory: conf)
            } catch {
                throw ValidationError("invalid tier files:\n\(error)")
            }
            let apiManager = APIManagerServices(
                keyManager: controlPlane.keyManager,
                storage: controlPlane.storage,
                lifecycleExecutor: LifecycleExecutor(deployer: DeploymentFolderWriter(repository: repository)),
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
                    checkAPISource: checkAPISource
                )
            )
            if let catalog { catalog.replace(with: try await apiManager.tierSets()) }
            var renderMetrics: (@Sendable () -> String)?
            if let metrics = gatewayHandlers?.metrics {
                renderMetrics = { metrics.render() }
            }
            let portalConfiguration = PortalConfiguration.server(
                bindAddress: settings.bindAddress,
                gatewayPort: plan.runsGateway ? plan.gatewayPort : nil
            )
            services.append(
                buildManagementApplication(
                    keyManager: controlPlane.keyManager,
                    apiManager: apiManager,
                    configuration: ManagementConfiguration(host: settings.bindAddress, port: plan.managementPort),
                    logger: logger,
                    metrics: renderMetrics,
                    routes: { router in
                        PortalRoutes.add(to: router, services: apiManager, configuration: portalConfiguration, logger: logger)
                    }
                )
            )
        }

        if let gatewayHandlers {
            let gateway = GatewayService(
                configuration: GatewayConfiguration(
                    host: settings.bindAddress,
                    port: plan.gatewayPort,
                    repositoryPath: repository
                ),
                logger: gatewayLogger,
                handlerRegistry: gatewayHandlers.registry,
                eventLoopGroup: gatewayLoops
            )
            sourceCheck?.attach(gateway.deployer)
            services.append(gateway)
        }
        guard !services.isEmpty else {
            throw ValidationError("api-manager.xml gives this node no role to play")
        }
        logger.info(
            "Starting Sluice",
            metadata: [
                "sluice.repository": "\(repository)",
                "sluice.gateway.port": "\(plan.runsGateway ? "\(plan.gatewayPort)" : "off")",
                "sluice.management.port": "\(plan.runsControlPlane ? "\(plan.managementPort)" : "off")",
            ]
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    /// Opens the node's database. A relative SQLite path is relative to the folder that holds the repository.
    private func openStorage(_ database: APIManagerSettings.Database) throws -> SQLiteStorage {
        switch database {
        case .sqlite(let path):
            if path == APIManagerSettings.defaultDatabasePath {
                return try SQLiteStorage(repository: repository)
            }
            if path.hasPrefix("/") { return try SQLiteStorage(path: path) }
            let base = URL(fileURLWithPath: repository).deletingLastPathComponent()
            return try SQLiteStorage(path: base.appendingPathComponent(path).path)
        case .postgres:
            throw ValidationError("PostgreSQL storage is not available in this build; use sqlite in api-manager.xml")
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Which services this node runs and on which ports.
private struct NodePlan {
    var runsGateway: Bool
    var runsControlPlane: Bool
    var gatewayPort: Int
    var managementPort: Int

    init(settings: APIManagerSettings, gatewayPort: Int?, managementPort: Int?) {
        runsGateway = settings.roles.contains(.gateway)
        runsControlPlane = !settings.roles.subtracting([.gateway]).isEmpty
        self.gatewayPort = gatewayPort ?? settings.gatewayPort
        self.managementPort = managementPort ?? settings.managementPort
    }
}
