import ArgumentParser
import Foundation
import Logging
import SluiceModel
import SluiceNode
import SluiceServerGuards

/// `sluice server`: runs the roles of this node (all of them by default) until SIGINT/SIGTERM, then drains.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Start Sluice: gateway, key manager and management API over the repository folder.",
        discussion: """
            Settings come from <repository>/conf/api-manager.xml and identity.xml; flags override the roles and
            the ports (a port of 'off' switches that listener off). HTTPS uses the key stores of api-manager.xml's
            <Security>; without any, the first start generates a self-signed certificate in
            <repository>/resources/security/ and prints its fingerprint. SLUICE_KEYSTORE_PASSWORD overrides the
            key store passwords. The first admin's password comes from SLUICE_ADMIN_PASSWORD or api-manager.xml;
            otherwise a random one is made up and printed once. With --ports-file, once every listener is bound
            the server writes their ports there as JSON ({"gateway": 8280, "gatewayHTTPS": 8243, "management": 9763,
            "managementHTTPS": 9443}, without the listeners that are off), so whoever starts it with ports of 0
            learns the ones the system picked. Ports of 0 suit tests and scripts: the JWT issuer and the gateway
            URLs the portals show still name the configured port.
            """
    )

    @Option(name: .long, help: "The repository folder (conf/, deployment/, database/).")
    var repository: String = "./repository"

    @Option(name: .long, help: "Gateway HTTP port, or off (default 8280, or api-manager.xml's).")
    var gatewayPort: ListenerPort?

    @Option(name: .long, help: "Gateway HTTPS port, or off (default 8243, or api-manager.xml's).")
    var gatewayHttpsPort: ListenerPort?

    @Option(name: .long, help: "Management and key manager HTTP port, or off (default 9763, or api-manager.xml's).")
    var managementPort: ListenerPort?

    @Option(name: .long, help: "Management and key manager HTTPS port, or off (default 9443, or api-manager.xml's).")
    var managementHttpsPort: ListenerPort?

    @Option(name: .long, help: "Event-loop threads serving the gateway (default: one per CPU core).")
    var gatewayThreads: Int?

    @Option(name: .long, help: "Gateway connections served at once (default: api-manager.xml's, else from the descriptor limit).")
    var gatewayMaxConnections: Int?

    @Option(name: .long, help: "Management connections served at once (default: api-manager.xml's, else from the descriptor limit).")
    var managementMaxConnections: Int?
    @Option(
        name: .long,
        help: """
            The roles of this node, comma-separated: gateway, key-manager, publisher, devportal, admin \
            (default: api-manager.xml's, else all).
            """
    )
    var roles: String?

    @Option(name: .long, help: "Once every listener is bound, write their ports as JSON to this file (replaced atomically).")
    var portsFile: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if let gatewayThreads, !(1...256).contains(gatewayThreads) {
            throw ValidationError("--gateway-threads must be between 1 and 256")
        }
        for (flag, value) in [("--gateway-max-connections", gatewayMaxConnections), ("--management-max-connections", managementMaxConnections)] {
            if let value, value < 1 { throw ValidationError("\(flag) must be at least 1") }
        }
        _ = try parsedRoles()
    }

    /// The `--roles` list, nil when not given.
    private func parsedRoles() throws -> Set<NodeRole>? {
        guard let roles else { return nil }
        var parsed: Set<NodeRole> = []
        for name in roles.split(separator: ",", omittingEmptySubsequences: false) {
            let name = name.trimmingCharacters(in: .whitespaces)
            guard let role = NodeRole(rawValue: name) else {
                let allowed = NodeRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--roles: unknown role '\(name)'; expected some of \(allowed)")
            }
            parsed.insert(role)
        }
        return parsed
    }

    func run() async throws {
        var logger = Logger(label: "sluice")
        logger.logLevel = logLevel
        // A file left by an earlier run must not pass for this run's ports.
        if let portsFile { try NodePortsFile.remove(portsFile) }
        do {
            var options = try NodeOptions.reading(
                repository: repository,
                environment: ProcessInfo.processInfo.environment,
                logger: logger
            )
            for (listener, port) in [
                (NodeListener.gatewayHTTP, gatewayPort), (.gatewayHTTPS, gatewayHttpsPort),
                (.managementHTTP, managementPort), (.managementHTTPS, managementHttpsPort),
            ] {
                switch port {
                case .off?: options.listenersOff.insert(listener)
                case .port(let number)?:
                    switch listener {
                    case .gatewayHTTP: options.gatewayPort = number
                    case .gatewayHTTPS: options.gatewayHTTPSPort = number
                    case .managementHTTP: options.managementPort = number
                    case .managementHTTPS: options.managementHTTPSPort = number
                    }
                case nil: break
                }
            }
            options.gatewayThreads = gatewayThreads
            options.announceGeneratedCertificate = { path, names, fingerprint in
                print("Generated a self-signed TLS certificate for \(names.joined(separator: ", ")):")
                print("  \(path)")
                print("  SHA-256 fingerprint \(fingerprint)")
                print("Clients trust it with: curl --cacert \(path) https://localhost:8243/...")
                // Files and pipes buffer stdout: whoever started the server should see this now, not at exit.
                fflush(nil)
            }
            options.settings.gatewayMaxConnections = gatewayMaxConnections ?? options.settings.gatewayMaxConnections
            options.settings.managementMaxConnections = managementMaxConnections ?? options.settings.managementMaxConnections
            // Every connection takes a descriptor: the node's connection caps are derived from this limit.
            options.descriptors = DescriptorBudget.raisingSoftLimit()
            if let roles = try parsedRoles() { options.settings.roles = roles }
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
                    "sluice.gateway.https_port": "\(node.gatewayHTTPSPort.map { "\($0)" } ?? "off")",
                    "sluice.management.port": "\(node.managementPort.map { "\($0)" } ?? "off")",
                    "sluice.management.https_port": "\(node.managementHTTPSPort.map { "\($0)" } ?? "off")",
                    "sluice.descriptors.limit": "\(options.descriptors.limit)",
                ]
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await node.run(gracefulShutdownSignals: [.sigterm, .sigint]) }
                if let portsFile {
                    // Ends as soon as the file is written; a listener that cannot be bound ends the run anyway.
                    group.addTask { try NodePortsFile.write(try await node.boundPorts(), to: portsFile) }
                }
                try await group.waitForAll()
            }
        } catch let error as NodeAssemblyError {
            throw ValidationError(error.description)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
