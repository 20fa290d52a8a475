public import SluiceKeyManager
public import SluiceModel
public import Tracing
import SluiceServerGuards

/// Where the management app listens, how much it accepts, and how it guards itself.
public struct ManagementConfiguration: Sendable {
    /// The address to bind (loopback by default).
    public var host: String
    /// 9763, as WSO2's management HTTP port; 0 picks a free port.
    public var port: Int
    /// The largest form or JSON body accepted, in bytes.
    public var maximumBodySize: Int
    /// Whether plain HTTP is served on `port` (false: HTTPS only; then `tls` must be set).
    public var httpEnabled: Bool
    /// The HTTPS listener; nil serves plain HTTP only.
    public var tls: ManagementTLSListener?
    /// Called with the transport and the bound port once each listener is up (ports chosen with 0, tests).
    public var onServerRunning: @Sendable (_ transport: String, _ port: Int) async -> Void
    /// Connections served at once; more are closed as they arrive. The default leaves headroom below the
    /// process's descriptor limit (see `DescriptorBudget`).
    public var maxConnections: Int
    /// How long a connection may wait for a request head, after opening or after its last response.
    public var idleTimeout: Duration
    /// How long a request may take to arrive completely once its head has (408 afterwards).
    public var readTimeout: Duration
    /// The budget of requests without credentials per client address; nil switches it off.
    public var anonymousRateLimit: AnonymousRateLimit?
    /// Who may read `GET /metrics`.
    public var metricsAccess: MetricsAccess
    /// The time source of the rate limit (tests move it by hand).
    public var clock: any WallClock
    /// Where every request's span goes; nil (the default) traces nothing.
    public var tracer: (any Tracer)?

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 9763,
        maximumBodySize: Int = 16 * 1024,
        httpEnabled: Bool = true,
        tls: ManagementTLSListener? = nil,
        onServerRunning: @escaping @Sendable (_ transport: String, _ port: Int) async -> Void = { _, _ in },
        maxConnections: Int = DescriptorBudget.current.defaultCaps(runsGateway: true, runsManagement: true).management,
        idleTimeout: Duration = .seconds(60),
        readTimeout: Duration = .seconds(30),
        anonymousRateLimit: AnonymousRateLimit? = AnonymousRateLimit(),
        metricsAccess: MetricsAccess = .loopback,
        clock: any WallClock = SystemWallClock()
    ) {
        self.host = host
        self.port = port
        self.maximumBodySize = maximumBodySize
        self.httpEnabled = httpEnabled
        self.tls = tls
        self.onServerRunning = onServerRunning
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.readTimeout = readTimeout
        self.anonymousRateLimit = anonymousRateLimit
        self.metricsAccess = metricsAccess
        self.clock = clock
    }
}
