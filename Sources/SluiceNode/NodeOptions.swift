import Foundation
public import Logging
public import SluiceModel
public import SluiceServerGuards
import SluiceSynapse

/// What a node is built from: the repository folder, its `api-manager.xml` and `identity.xml` settings, and the
/// overrides the command line gives.
public struct NodeOptions: Sendable {
    /// The repository folder (`conf/`, `deployment/`, `database/`).
    public var repository: String
    /// `conf/api-manager.xml`.
    public var settings: APIManagerSettings
    /// `conf/identity.xml`.
    public var identity: IdentitySettings
    /// `conf/synapse.properties` (WSO2 4.x writes it from deployment.toml's `[synapse_properties]`).
    public var synapseProperties: SynapseProperties = .defaults
    /// Overrides `settings.gatewayPort` (0 picks a free port).
    public var gatewayPort: Int?
    /// Overrides `settings.managementPort`.
    public var managementPort: Int?
    /// Overrides `settings.gatewayHTTPSPort`.
    public var gatewayHTTPSPort: Int?
    /// Overrides `settings.managementHTTPSPort`.
    public var managementHTTPSPort: Int?
    /// Listeners switched off whatever the settings say (`--gateway-port off`, ...).
    public var listenersOff: Set<NodeListener> = []
    /// Opens the key stores instead of their configured passwords: `SLUICE_KEYSTORE_PASSWORD`.
    public var keyStorePassword: String?
    /// Told where the self-signed certificate a first start generated is, the names it is for and its SHA-256
    /// fingerprint. The CLI prints it.
    public var announceGeneratedCertificate: @Sendable (_ path: String, _ names: [String], _ fingerprint: String) -> Void
    /// Event-loop threads serving the gateway; nil shares NIO's singleton group (one thread per core).
    public var gatewayThreads: Int?
    /// The descriptor limit the servers' default connection caps are derived from (`sluice server` raises the
    /// soft limit first); `settings.gatewayMaxConnections`/`managementMaxConnections` override the caps.
    public var descriptors: DescriptorBudget = .current
    /// The first administrator's password: `SLUICE_ADMIN_PASSWORD`, else api-manager.xml's, else made up.
    public var adminPassword: String?
    /// The process environment: the database password may come from it (`SLUICE_DATABASE_PASSWORD`,
    /// `PGPASSWORD`).
    public var environment: [String: String]
    /// The node's logger; components add `sluice.component` metadata.
    public var logger: Logger
    /// Told the password the node made up for the first administrator, once, when it creates that user. The CLI
    /// prints it on the terminal; it is never logged.
    public var announceGeneratedAdminPassword: @Sendable (_ username: String, _ password: String) -> Void

    /// Creates options from settings already read.
    /// - Parameters:
    ///   - repository: The repository folder.
    ///   - settings: The node settings.
    ///   - identity: Token validity periods and skew.
    ///   - adminPassword: The first administrator's password; nil uses api-manager.xml's.
    ///   - environment: The process environment (database password).
    ///   - logger: The node's logger.
    public init(
        repository: String,
        settings: APIManagerSettings = .defaults,
        identity: IdentitySettings = IdentitySettings(),
        adminPassword: String? = nil,
        environment: [String: String] = [:],
        logger: Logger = Logger(label: "sluice")
    ) {
        self.repository = repository
        self.settings = settings
        self.identity = identity
        self.adminPassword = adminPassword ?? settings.adminPassword
        self.environment = environment
        self.logger = logger
        self.announceGeneratedAdminPassword = { _, _ in }
        self.announceGeneratedCertificate = { _, _, _ in }
    }

    /// Reads `conf/api-manager.xml`, identity.xml (`conf/identity/identity.xml` as WSO2 keeps it, else
    /// `conf/identity.xml`) and `conf/synapse.properties` of a repository.
    /// - Parameters:
    ///   - repository: The repository folder.
    ///   - environment: The process environment (`SLUICE_ADMIN_PASSWORD`, `SLUICE_KEYSTORE_PASSWORD`).
    ///   - logger: The node's logger.
    /// - Throws: ``NodeAssemblyError`` when a file does not parse.
    public static func reading(
        repository: String,
        environment: [String: String],
        logger: Logger
    ) throws(NodeAssemblyError) -> NodeOptions {
        let conf = repository + "/conf"
        do {
            let settings = try APIManagerConfigReader.read(path: conf + "/api-manager.xml")
            let identityPath = identityFile(conf: conf, logger: logger)
            let identity = try IdentityConfigReader.read(path: identityPath)
            // Tokens count as expired TimestampSkew early: a skew as long as a validity issues dead tokens.
            if !identity.problems.isEmpty {
                throw NodeAssemblyError.invalidConfiguration(
                    identityPath + ": " + identity.problems.joined(separator: "\n")
                )
            }
            var options = NodeOptions(
                repository: repository,
                settings: settings,
                identity: identity,
                adminPassword: environment["SLUICE_ADMIN_PASSWORD"],
                environment: environment,
                logger: logger
            )
            options.keyStorePassword = environment["SLUICE_KEYSTORE_PASSWORD"]
            options.synapseProperties = try SynapsePropertiesReader.read(path: conf + "/synapse.properties")
            return options
        } catch let error as NodeAssemblyError {
            throw error
        } catch {
            throw .invalidConfiguration("\(error)")
        }
    }
}

extension NodeOptions {
    /// identity.xml: WSO2's own path `conf/identity/identity.xml` when it exists (saying so in the log when
    /// `conf/identity.xml` exists too, which is then not read), else `conf/identity.xml`.
    static func identityFile(conf: String, logger: Logger) -> String {
        let wso2Path = conf + "/identity/identity.xml"
        let sluicePath = conf + "/identity.xml"
        guard FileManager.default.fileExists(atPath: wso2Path) else { return sluicePath }
        if FileManager.default.fileExists(atPath: sluicePath) {
            logger.warning(
                "Both identity.xml files exist; reading WSO2's path, the other is not read",
                metadata: ["sluice.config.file": .string(wso2Path), "sluice.config.ignored": .string(sluicePath)]
            )
        }
        return wso2Path
    }
}

/// One of a node's four listeners.
public enum NodeListener: Sendable, Hashable, CaseIterable {
    /// The gateway's plain HTTP port (8280).
    case gatewayHTTP
    /// The gateway's HTTPS port (8243).
    case gatewayHTTPS
    /// The management server's plain HTTP port (9763).
    case managementHTTP
    /// The management server's HTTPS port (9443).
    case managementHTTPS
}
