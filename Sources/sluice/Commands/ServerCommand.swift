import ArgumentParser
import Foundation
import Logging
import SluiceNode

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
        do {
            var options = try NodeOptions.reading(
                repository: repository,
                environment: ProcessInfo.processInfo.environment,
                logger: logger
            )
            options.gatewayPort = gatewayPort
            options.managementPort = managementPort
            options.gatewayThreads = gatewayThreads
            options.announceGeneratedAdminPassword = { username, password in
                // Shown exactly once, on the terminal of whoever started the first run; never logged.
                print("Created user '\(username)' with password: \(password)")
                print("Store it now: it is not shown again (set SLUICE_ADMIN_PASSWORD to choose one).")
            }
            let node = try await SluiceNode.assemble(options)
            logger.info(
                "Starting Sluice",
                metadata: [
                    "sluice.repository": "\(repository)",
                    "sluice.gateway.port": "\(node.gatewayPort.map { "\($0)" } ?? "off")",
                    "sluice.management.port": "\(node.managementPort.map { "\($0)" } ?? "off")",
                ]
            )
            try await node.run(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch let error as NodeAssemblyError {
            throw ValidationError(error.description)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
