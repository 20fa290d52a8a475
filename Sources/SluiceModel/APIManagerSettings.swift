/// Node settings from `repository/conf/api-manager.xml`: ports, database, the roles this process plays, the
/// first administrator, and where the key manager lives when the gateway runs on its own.
public struct APIManagerSettings: Sendable, Hashable, CustomStringConvertible {
    /// Gateway HTTP port (`<Ports><Gateway>`), 8280 by default.
    public var gatewayPort: Int
    /// Management API and key manager HTTP port (`<Ports><Management>`), 9763 by default.
    public var managementPort: Int
    /// Whether the gateway serves plain HTTP on `gatewayPort` (`<Ports><Gateway>off</Gateway>` switches it off).
    public var gatewayHTTPEnabled: Bool
    /// Whether the management server serves plain HTTP on `managementPort` (`<Management>off</Management>`).
    public var managementHTTPEnabled: Bool
    /// Gateway HTTPS port (`<Ports><GatewayHTTPS>`), 8243 by default; nil when switched off.
    public var gatewayHTTPSPort: Int?
    /// Management API and key manager HTTPS port (`<Ports><ManagementHTTPS>`), 9443 by default; nil when off.
    public var managementHTTPSPort: Int?
    /// Key stores and trust stores for TLS (`<Security>`).
    public var security: SecuritySettings
    /// The address both servers bind to (`<BindAddress>`), all interfaces by default.
    public var bindAddress: String
    /// Where the repository data lives (`<Database>`).
    public var database: Database
    /// The roles this process plays (`<Roles><Role>`); every role by default.
    public var roles: Set<NodeRole>
    /// The first administrator's user name (`<Admin><Username>`), `admin` by default.
    public var adminUsername: String
    /// The first administrator's password (`<Admin><Password>`); nil leaves the choice to the server.
    /// Never logged: `description` redacts it.
    public var adminPassword: String?
    /// The key manager's base URL (`<KeyManager><URL>`) for a gateway that does not run the key manager itself.
    public var keyManagerURL: String?
    /// Usage rollups, raw-event sampling and retention (`<Analytics>`).
    public var usage = UsageSettings()
    /// The JWT the gateway sends backends (`<JWTConfiguration>`), off by default.
    public var backendJWT = BackendJWTSettings()
    /// The gateway's access log and correlation ids (`<AccessLog>`), off by default.
    public var accessLog = AccessLogSettings()
    /// Tracing of gateway and management requests over OpenTelemetry (`<OpenTelemetry>`), off by default.
    public var tracing = TracingSettings()
    /// Client connections the gateway serves at once (`<MaxConnections><Gateway>`); nil: derived from the
    /// descriptor limit, with headroom.
    public var gatewayMaxConnections: Int?
    /// Connections the management server serves at once (`<MaxConnections><Management>`); nil: derived.
    public var managementMaxConnections: Int?
    /// Proxies whose `X-Forwarded-For` names the client (`<TrustedProxies><Proxy>`): addresses or CIDR blocks.
    public var trustedProxies: [String]
    /// Who may read `/metrics` (`<Metrics><Access>`), loopback clients and administrators by default.
    public var metricsAccess: MetricsAccess
    /// Requests per second one address may send to the management port without credentials
    /// (`<AnonymousRateLimit><PerSecond>`); 0 switches the limit off.
    public var anonymousRequestsPerSecond: Double
    /// The burst of such requests admitted at once (`<AnonymousRateLimit><Burst>`).
    public var anonymousBurst: Int
    /// Cluster behaviour (`<Cluster>`), for nodes sharing a PostgreSQL database.
    public var cluster: ClusterSettings
    /// The databases `dblookup`/`dbreport` may name in `<dsName>` (`<DataSources>`).
    public var dataSources: [DataSourceDefinition] = []

    /// The embedded SQLite database Sluice uses when nothing else is configured.
    public static let defaultDatabasePath = "repository/database/sluice.db"

    /// Creates settings; the defaults match a single all-in-one node.
    public init(
        gatewayPort: Int = 8280,
        managementPort: Int = 9763,
        gatewayHTTPEnabled: Bool = true,
        managementHTTPEnabled: Bool = true,
        gatewayHTTPSPort: Int? = 8243,
        managementHTTPSPort: Int? = 9443,
        security: SecuritySettings = SecuritySettings(),
        bindAddress: String = "0.0.0.0",
        database: Database = .sqlite(path: APIManagerSettings.defaultDatabasePath),
        roles: Set<NodeRole> = Set(NodeRole.allCases),
        adminUsername: String = "admin",
        adminPassword: String? = nil,
        keyManagerURL: String? = nil,
        gatewayMaxConnections: Int? = nil,
        managementMaxConnections: Int? = nil,
        trustedProxies: [String] = [],
        metricsAccess: MetricsAccess = .loopback,
        anonymousRequestsPerSecond: Double = 20,
        anonymousBurst: Int = 100,
        cluster: ClusterSettings = ClusterSettings()
    ) {
        self.metricsAccess = metricsAccess
        self.anonymousRequestsPerSecond = anonymousRequestsPerSecond
        self.anonymousBurst = anonymousBurst
        self.gatewayPort = gatewayPort
        self.managementPort = managementPort
        self.gatewayHTTPEnabled = gatewayHTTPEnabled
        self.managementHTTPEnabled = managementHTTPEnabled
        self.gatewayHTTPSPort = gatewayHTTPSPort
        self.managementHTTPSPort = managementHTTPSPort
        self.security = security
        self.bindAddress = bindAddress
        self.database = database
        self.roles = roles
        self.adminUsername = adminUsername
        self.adminPassword = adminPassword
        self.keyManagerURL = keyManagerURL
        self.gatewayMaxConnections = gatewayMaxConnections
        self.managementMaxConnections = managementMaxConnections
        self.trustedProxies = trustedProxies
        self.cluster = cluster
    }

    /// The defaults of an all-in-one node.
    public static let defaults = APIManagerSettings()

    /// The settings with the admin password redacted.
    public var description: String {
        let password = adminPassword == nil ? "nil" : "<redacted>"
        func port(_ port: Int?) -> String { port.map(String.init) ?? "off" }
        return "APIManagerSettings(gatewayPort: \(gatewayHTTPEnabled ? "\(gatewayPort)" : "off"), "
            + "managementPort: \(managementHTTPEnabled ? "\(managementPort)" : "off"), "
            + "gatewayHTTPSPort: \(port(gatewayHTTPSPort)), managementHTTPSPort: \(port(managementHTTPSPort)), "
            + "security: \(security), "
            + "bindAddress: \(bindAddress), database: \(database), roles: \(roles.map(\.rawValue).sorted()), "
            + "adminUsername: \(adminUsername), adminPassword: \(password), keyManagerURL: \(keyManagerURL ?? "nil"), "
            + "maxConnections: \(gatewayMaxConnections.map(String.init) ?? "auto")/"
            + "\(managementMaxConnections.map(String.init) ?? "auto"), trustedProxies: \(trustedProxies), "
            + "metricsAccess: \(metricsAccess.rawValue), anonymousRequestsPerSecond: \(anonymousRequestsPerSecond), "
            + "anonymousBurst: \(anonymousBurst), dataSources: \(dataSources.map(\.name)))"
    }

    /// Where the repository data is stored.
    public enum Database: Sendable, Hashable, CustomStringConvertible {
        /// An SQLite file; a relative path is relative to the folder holding `repository/`.
        case sqlite(path: String)
        /// A PostgreSQL connection URL, e.g. `postgres://user@host:5432/sluice` (may hold a password).
        case postgres(url: String)

        /// The kind and location, with any password in a URL redacted.
        public var description: String {
            switch self {
            case .sqlite(let path): "sqlite(\(path))"
            case .postgres(let url): "postgres(\(Self.redactingPassword(url)))"
            }
        }

        private static func redactingPassword(_ url: String) -> String {
            let characters = Array(url)
            let schemeEnd = (0..<max(characters.count - 2, 0)).first { characters[$0...].starts(with: "://") }
            guard let schemeEnd else { return url }
            let authorityStart = schemeEnd + 3
            guard let at = characters[authorityStart...].firstIndex(of: "@"),
                let colon = characters[authorityStart..<at].firstIndex(of: ":")
            else { return url }
            return String(characters[..<(colon + 1)]) + "<redacted>" + String(characters[at...])
        }
    }
}

/// A role a Sluice process can play; one binary runs any combination.
public enum NodeRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// The data plane: serves deployed APIs on the gateway port.
    case gateway
    /// OAuth2 token endpoints and key validation.
    case keyManager = "key-manager"
    /// The publisher REST API (API design and lifecycle).
    case publisher
    /// The developer portal REST API (applications, subscriptions, keys).
    case devportal
    /// The admin REST API (tiers, users, settings).
    case admin
}
