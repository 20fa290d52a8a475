public import CoreMetrics
public import NIOSSL
public import SluiceMediation
public import SluiceModel
public import SluiceScript
import SluiceServerGuards

/// Settings of the gateway's HTTP data plane.
public struct GatewayConfiguration: Sendable {
    /// Address to listen on.
    public var host: String
    /// Plain HTTP port; 0 picks an ephemeral port (tests), reported by `GatewayService.boundPort`.
    public var port: Int
    /// Whether plain HTTP is served on `port` at all (false: HTTPS only).
    public var httpEnabled: Bool
    /// The HTTPS listener; nil serves plain HTTP only.
    public var tls: GatewayTLSListener?
    /// The repository folder (`repository/`); artifacts are read from
    /// `deployment/server/synapse-configs/default/{api,sequences,endpoints}` below it.
    public var repositoryPath: String
    /// Largest request head (request line and headers) accepted; larger requests get 431.
    public var maxHeaderBytes: Int
    /// Largest request or response body the gateway holds in memory when a mediator reads it; a larger request
    /// gets 413. Bodies that no mediator reads stream through whatever their size.
    public var maxBufferedBodyBytes: Int
    /// The most messages `clone` and `iterate` may make for one request (more faults the request).
    public var maxSplitMessages = 1000
    /// How many split messages of one request run at once; the rest wait their turn.
    public var maxConcurrentSplitMessages = 16
    /// Largest request body accepted at all, streamed or not (nil: no limit); larger requests get 413.
    public var maxRequestBodyBytes: Int?
    /// Client connections served at once; more are closed as they arrive. The default leaves headroom below the
    /// process's descriptor limit for backend connections and everything else (see `DescriptorBudget`).
    public var maxConnections: Int
    /// Proxies whose `X-Forwarded-For` names the client (anonymous throttling, usage); for any other peer the
    /// peer's own address is the client's.
    public var trustedProxies: TrustedProxies
    /// How long a keep-alive connection may sit between requests before the gateway closes it.
    public var idleTimeout: Duration
    /// How long a client may take to send a whole request once it has started one; the gateway answers 408.
    public var readTimeout: Duration
    /// How long to wait for a TCP connection to a backend.
    public var upstreamConnectTimeout: Duration
    /// TLS towards `https://` endpoints: trusted roots (the system's plus `client-truststore.pem`, see
    /// `SluiceTLS.BackendTrust`), full certificate and host name verification, TLS 1.2 or later.
    public var backendTLS: TLSConfiguration
    /// TLS towards particular backends, by lower-case `host:port`: the same trust with another client certificate
    /// (mutual TLS to the backend, WSO2's dynamic SSL profiles); every other backend gets ``backendTLS``.
    public var backendTLSByServer: [String: TLSConfiguration] = [:]
    /// The JWK set (JSON) of the key backend JWTs are signed with, served at `GET /jwks` as WSO2 4.x's gateway does;
    /// nil when backend JWTs are off.
    public var backendJWKS: String?
    /// Response timeout for endpoints without `<timeout><duration>` (Synapse's default is 60 s; API-M writes 30 s).
    public var defaultEndpointTimeout: Duration
    /// Idle keep-alive connections kept per backend and event loop.
    public var maxIdleConnectionsPerBackend: Int
    /// How long graceful shutdown waits for in-flight requests before closing connections anyway.
    public var shutdownGracePeriod: Duration
    /// How long the deployment watcher waits for a burst of file changes to settle before redeploying.
    public var deploymentDebounce: Duration
    /// Interval of the polling fallback when inotify is unavailable (or `forcePolling` is set).
    public var deploymentPollInterval: Duration
    /// Use polling even where inotify works (tests of the fallback, network file systems).
    public var forcePolling: Bool
    /// Whether to watch the repository for changes at all (a one-shot deploy at start otherwise).
    public var hotDeployment: Bool
    /// `repository/conf/synapse.properties` (the JSON⇄XML conversion settings mediation follows).
    public var synapseProperties: SynapseProperties
    /// Time and memory limits of each `<script>` call (2 s and 32 MiB).
    public var scriptLimits: ScriptLimits = .standard
    /// The access log and correlation ids; nil (the default) installs nothing on the request path.
    public var accessLog: GatewayAccessLog?
    /// Spans for every request; nil (the default) installs nothing on the request path.
    public var tracing: GatewayTracing?
    /// Opens the pools `dblookup`/`dbreport` run their statements on, and the datasources they may name in
    /// `<dsName>`. A node supplies SluiceDatabaseMediators' connector, so the gateway links no database driver;
    /// nil (the default) makes those mediators fault at their first message, as a missing JDBC driver does.
    public var databases: (any DatabaseConnector)?
    /// How the deployer fetches the http(s) documents artifacts name (`<localEntry src=>`, `<wsdl uri=>`): at
    /// most 30 s and 10 MiB each by default.
    public var networkFetch = NetworkFetchLimits()
    /// Where the backend connection pools are counted (`GatewayService.upstreamMetrics`); none by default.
    public var metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance

    /// - Parameters: see the properties; every one has a production default.
    public init(
        host: String = "0.0.0.0",
        port: Int = 8280,
        httpEnabled: Bool = true,
        tls: GatewayTLSListener? = nil,
        repositoryPath: String = "./repository",
        maxHeaderBytes: Int = 32 * 1024,
        maxBufferedBodyBytes: Int = 10 * 1024 * 1024,
        maxRequestBodyBytes: Int? = nil,
        maxConnections: Int = DescriptorBudget.current.defaultCaps(runsGateway: true, runsManagement: true).gateway,
        trustedProxies: TrustedProxies = .none,
        idleTimeout: Duration = .seconds(60),
        readTimeout: Duration = .seconds(30),
        upstreamConnectTimeout: Duration = .seconds(10),
        backendTLS: TLSConfiguration = GatewayConfiguration.defaultBackendTLS,
        defaultEndpointTimeout: Duration = .seconds(60),
        maxIdleConnectionsPerBackend: Int = 256,
        shutdownGracePeriod: Duration = .seconds(30),
        deploymentDebounce: Duration = .milliseconds(200),
        deploymentPollInterval: Duration = .milliseconds(500),
        forcePolling: Bool = false,
        hotDeployment: Bool = true,
        synapseProperties: SynapseProperties = .defaults
    ) {
        self.host = host
        self.port = port
        self.httpEnabled = httpEnabled
        self.tls = tls
        self.repositoryPath = repositoryPath
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBufferedBodyBytes = maxBufferedBodyBytes
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.maxConnections = maxConnections
        self.trustedProxies = trustedProxies
        self.idleTimeout = idleTimeout
        self.readTimeout = readTimeout
        self.upstreamConnectTimeout = upstreamConnectTimeout
        self.backendTLS = backendTLS
        self.defaultEndpointTimeout = defaultEndpointTimeout
        self.maxIdleConnectionsPerBackend = maxIdleConnectionsPerBackend
        self.shutdownGracePeriod = shutdownGracePeriod
        self.deploymentDebounce = deploymentDebounce
        self.deploymentPollInterval = deploymentPollInterval
        self.forcePolling = forcePolling
        self.hotDeployment = hotDeployment
        self.synapseProperties = synapseProperties
    }

    /// The system's trusted roots, full verification (host names included), TLS 1.2 or later.
    public static var defaultBackendTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        return configuration
    }

    /// `<repositoryPath>/deployment/server/synapse-configs/default`.
    public var synapseConfigPath: String {
        let base = repositoryPath.hasSuffix("/") ? String(repositoryPath.dropLast()) : repositoryPath
        return base + "/deployment/server/synapse-configs/default"
    }
}

extension Duration {
    /// Whole nanoseconds, for NIO's `TimeAmount`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
