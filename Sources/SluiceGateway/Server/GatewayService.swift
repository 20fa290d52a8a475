public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SluiceModel
public import ServiceLifecycle
public import SluiceMediation
import SluiceScript
import SluiceServerGuards
import Tracing

/// The gateway data plane as a `Service`: deploys the repository's artifacts, serves HTTP/1.1 on the configured
/// port, redeploys on file changes, and on graceful shutdown stops accepting, lets in-flight requests finish
/// (up to `shutdownGracePeriod`) and closes.
///
/// ```swift
/// let gateway = GatewayService(configuration: .init(port: 8280), logger: logger)
/// try await ServiceGroup(services: [gateway], gracefulShutdownSignals: [.sigterm], logger: logger).run()
/// ```
public final class GatewayService: Service {
    private let configuration: GatewayConfiguration
    private let logger: Logger
    private let group: any EventLoopGroup
    private let runtime: GatewayRuntime
    private let connections = ConnectionRegistry()
    private let connectionLimiter: ConnectionLimiter
    private let connectionLimitWarning: ConnectionLimitWarning
    private let listening: EventLoopPromise<Int>
    private let httpsListening: EventLoopPromise<Int>
    private let shutdownRequest: AsyncStream<Void>
    private let shutdownTrigger: AsyncStream<Void>.Continuation
    /// Compiles artifacts and swaps the snapshot; the watcher drives it, and so can callers (`redeployNow`).
    public let deployer: GatewayDeployer
    /// The backend connection pools' metrics; `sample()` sets their gauges before `/metrics` renders.
    public let upstreamMetrics: UpstreamPoolMetrics

    /// Creates the service; nothing is bound or read until `run()`.
    /// - Parameters:
    ///   - configuration: Ports, limits, timeouts and the repository path.
    ///   - logger: The gateway's logger (hot-path events log at `debug` and below only).
    ///   - handlerRegistry: Handler class names the `<handlers>` of APIs may use.
    ///   - classMediators: `<class name=>` mediators sequences may use.
    ///   - eventLoopGroup: The loops to serve on (the shared singleton by default).
    public convenience init(
        configuration: GatewayConfiguration,
        logger: Logger,
        handlerRegistry: GatewayHandlerRegistry = .standard,
        classMediators: ClassMediatorRegistry = .standard,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.init(
            configuration: configuration,
            logger: logger,
            handlerRegistry: handlerRegistry,
            classMediators: classMediators,
            eventLoopGroup: eventLoopGroup,
            now: { NIODeadline.now() }
        )
    }

    /// The designated initializer; `now` is the clock endpoint suspension reads (tests inject one).
    init(
        configuration: GatewayConfiguration,
        logger: Logger,
        handlerRegistry: GatewayHandlerRegistry,
        classMediators: ClassMediatorRegistry,
        eventLoopGroup: any EventLoopGroup,
        now: @escaping @Sendable () -> NIODeadline
    ) {
        self.configuration = configuration
        self.logger = logger
        self.group = eventLoopGroup
        self.deployer = GatewayDeployer(
            synapseConfigPath: configuration.synapseConfigPath,
            handlerRegistry: handlerRegistry,
            classMediators: classMediators,
            databases: configuration.databases,
            networkFetch: configuration.networkFetch,
            logger: logger
        )
        let upstreamMetrics = UpstreamPoolMetrics(factory: configuration.metricsFactory)
        self.upstreamMetrics = upstreamMetrics
        self.runtime = GatewayRuntime(
            configuration: configuration,
            snapshots: deployer.snapshots,
            pools: UpstreamPools(
                group: eventLoopGroup,
                connectTimeout: .nanoseconds(configuration.upstreamConnectTimeout.nanoseconds),
                maxIdlePerKey: configuration.maxIdleConnectionsPerBackend,
                backendTLS: configuration.backendTLS,
                backendTLSByServer: configuration.backendTLSByServer,
                metrics: upstreamMetrics
            ),
            logger: logger,
            now: now
        )
        self.connectionLimiter = ConnectionLimiter(maximum: configuration.maxConnections)
        self.connectionLimitWarning = ConnectionLimitWarning(logger: logger, server: "gateway")
        self.listening = eventLoopGroup.any().makePromise(of: Int.self)
        self.httpsListening = eventLoopGroup.any().makePromise(of: Int.self)
        (self.shutdownRequest, self.shutdownTrigger) = AsyncStream.makeStream(of: Void.self)
    }

    // A gateway built but never run (a node assembled, then dropped) must not leave the promise pending; after
    // a run it is already completed and this does nothing.
    deinit {
        listening.fail(CancellationError())
        httpsListening.fail(CancellationError())
    }

    /// The plain HTTP port the gateway listens on, once it does (useful with port 0); the HTTPS port when plain
    /// HTTP is switched off. Fails if binding failed.
    public var boundPort: Int {
        get async throws { try await listening.futureResult.get() }
    }

    /// The HTTPS port, once the gateway listens on it. Fails if binding failed or there is no HTTPS listener.
    public var boundHTTPSPort: Int {
        get async throws { try await httpsListening.futureResult.get() }
    }

    /// The per-file deployment report.
    public var deploymentStatus: DeploymentStatus { deployer.status }

    /// Starts a graceful shutdown, as a service group's graceful shutdown does.
    public func triggerGracefulShutdown() {
        shutdownTrigger.finish()
    }

    /// Deploys, binds, serves until graceful shutdown or cancellation, then drains and closes.
    public func run() async throws {
        // As Synapse deploys before it serves, the first deployment ends first, with the documents its artifacts
        // fetch (each bounded by `networkFetch.timeout`).
        await deployer.redeployChangedFilesAndWait(
            timeout: .nanoseconds(configuration.networkFetch.timeout.nanoseconds * 2) + .seconds(5),
            clock: ContinuousClock()
        )
        var serverChannels: [any Channel] = []
        var ports: (http: Int?, https: Int?) = (nil, nil)
        do {
            if configuration.httpEnabled {
                let channel = try await bind(port: configuration.port, tls: nil)
                serverChannels.append(channel)
                ports.http = channel.localAddress?.port ?? configuration.port
            }
            if let tls = configuration.tls {
                let channel = try await bind(port: tls.port, tls: tls)
                serverChannels.append(channel)
                ports.https = channel.localAddress?.port ?? tls.port
            }
        } catch {
            for channel in serverChannels { try? await channel.close() }
            listening.fail(error)
            httpsListening.fail(error)
            throw error
        }
        guard let port = ports.http ?? ports.https else {
            listening.fail(GatewayListenerError.noListener)
            httpsListening.fail(GatewayListenerError.noListener)
            throw GatewayListenerError.noListener
        }
        listening.succeed(port)
        if let https = ports.https {
            httpsListening.succeed(https)
        } else {
            httpsListening.fail(GatewayListenerError.noHTTPSListener)
        }
        logger.info(
            "Gateway listening",
            metadata: [
                "sluice.gateway.port": .string(ports.http.map(String.init) ?? "off"),
                "sluice.gateway.https_port": .string(ports.https.map(String.init) ?? "off"),
            ]
        )

        await withTaskGroup(of: Void.self) { tasks in
            if configuration.hotDeployment {
                let watcher = DeploymentWatcher(deployer: deployer, configuration: configuration, logger: logger)
                tasks.addTask { await watcher.run() }
            }
            let trigger = shutdownTrigger
            await withGracefulShutdownHandler {
                await withTaskCancellationHandler {
                    for await _ in shutdownRequest {}
                } onCancel: {
                    trigger.finish()
                }
            } onGracefulShutdown: {
                trigger.finish()
            }
            tasks.cancelAll()
        }
        await drain(serverChannels)
    }

    // MARK: - Private

    /// Binds one listener; with `tls`, every connection starts with a TLS handshake (the context is built once).
    private func bind(port: Int, tls: GatewayTLSListener?) async throws -> any Channel {
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0.configuration) }
        let acceptsClientCertificates = tls?.requestsClientCertificates ?? false
        let transport: SynapseAPI.Transport = tls == nil ? .http : .https
        let runtime = self.runtime
        let connections = self.connections
        let (limiter, warning) = (connectionLimiter, connectionLimitWarning)
        let limits = GatewayChannelHandler.Limits(
            maxHeaderBytes: configuration.maxHeaderBytes,
            maxRequestBodyBytes: configuration.maxRequestBodyBytes,
            idleTimeout: .nanoseconds(configuration.idleTimeout.nanoseconds),
            readTimeout: .nanoseconds(configuration.readTimeout.nanoseconds)
        )
        var limitsForDecoder = NIOHTTPDecoderLimitConfiguration()
        limitsForDecoder.maxHeaderListSize = configuration.maxHeaderBytes
        limitsForDecoder.maxHeaderFieldSize = configuration.maxHeaderBytes
        let decoderLimits = limitsForDecoder
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.register(channel)
                return channel.eventLoop.makeCompletedFuture {
                    // First: a connection over the cap is closed before any HTTP work.
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionLimitHandler(limiter: limiter, onRefusal: { warning($0) })
                    )
                    if let sslContext {
                        let handler =
                            acceptsClientCertificates
                            ? NIOSSLServerHandler(context: sslContext) { _, promise in
                                // Any certificate the client proves it holds; the API decides whether it is one
                                // of those its publisher uploaded.
                                promise.succeed(.certificateVerified)
                            }
                            : NIOSSLServerHandler(context: sslContext)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    // NIO's server pipeline without its pipelining handler (GatewayChannelHandler orders pipelined
                    // requests itself) and with our encoder (heads framed by the exchange, encoded into a buffer
                    // the connection reuses); the validator still refuses a header NIO would not send.
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: decoderLimits)),
                        GatewayResponseEncoder(),
                        NIOHTTPResponseHeadersValidator(),
                    ])
                    if let accessLog = runtime.accessLog {
                        try channel.pipeline.syncOperations.addHandler(AccessLogHandler(log: accessLog, trustedProxies: runtime.trustedProxies))
                    }
                    if runtime.tracer != nil {
                        try channel.pipeline.syncOperations.addHandler(RequestSpanHandler())
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        GatewayChannelHandler(limits: limits, transport: transport) { head, connection in
                            ProxyExchange(head: head, connection: connection, runtime: runtime)
                        }
                    )
                }
            }
            .bind(host: configuration.host, port: port)
            .get()
    }

    private func drain(_ serverChannels: [any Channel]) async {
        for channel in serverChannels { try? await channel.close() }
        connections.quiesceAll()
        let deadline = ContinuousClock.now + configuration.shutdownGracePeriod
        while connections.count > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if connections.count > 0 {
            logger.warning(
                "Closing connections still busy after the grace period",
                metadata: ["sluice.gateway.connections": .stringConvertible(connections.count)]
            )
            connections.closeAll()
        }
        await runtime.pools.shutdown()
        logger.info("Gateway stopped")
    }
}

/// Why the gateway has no listener to report.
public enum GatewayListenerError: Error, Sendable {
    /// Both plain HTTP and HTTPS are switched off.
    case noListener
    /// `boundHTTPSPort` was asked for, but the gateway serves no HTTPS.
    case noHTTPSListener
}

/// What every exchange of one gateway shares: limits, the snapshot store, the upstream pools, the logger.
final class GatewayRuntime: Sendable {
    let maxBufferedBodyBytes: Int
    /// How many messages `clone`/`iterate` may make for one request, and how many of them run at once.
    let maxSplitMessages: Int
    let maxConcurrentSplitMessages: Int
    let defaultEndpointTimeout: TimeAmount
    let snapshots: DeploymentSnapshotStore
    let pools: UpstreamPools
    let logger: Logger
    /// Whose `X-Forwarded-For` names the client.
    let trustedProxies: TrustedProxies
    /// The clock endpoint suspension and retry decisions read.
    let now: @Sendable () -> NIODeadline
    /// `synapse.json.to.xml.process.instruction.enable`, given to every request's context.
    let writesXMLMultipleMarks: Bool
    /// Time and memory limits of each `<script>` call.
    let scriptLimits: ScriptLimits
    /// The backend JWT's JWK set, served at `/jwks`.
    let backendJWKS: String?
    /// The access log and correlation ids, when on.
    let accessLog: GatewayAccessLog?
    /// Whether exchanges tell the access log their API and application (the log is on).
    let annotatesAccessLog: Bool
    /// Whether exchanges log with the request's `activityid` (correlation ids are on).
    let correlatesLogs: Bool
    /// Where exchanges send their spans; nil when tracing is off.
    let tracer: (any Tracer)?

    init(
        configuration: GatewayConfiguration,
        snapshots: DeploymentSnapshotStore,
        pools: UpstreamPools,
        logger: Logger,
        now: @escaping @Sendable () -> NIODeadline
    ) {
        self.now = now
        self.maxBufferedBodyBytes = configuration.maxBufferedBodyBytes
        self.maxSplitMessages = configuration.maxSplitMessages
        self.maxConcurrentSplitMessages = configuration.maxConcurrentSplitMessages
        self.defaultEndpointTimeout = .nanoseconds(configuration.defaultEndpointTimeout.nanoseconds)
        self.snapshots = snapshots
        self.pools = pools
        self.logger = logger
        self.trustedProxies = configuration.trustedProxies
        self.writesXMLMultipleMarks = configuration.synapseProperties.jsonToXMLProcessingInstructions
        self.scriptLimits = configuration.scriptLimits
        self.backendJWKS = configuration.backendJWKS
        self.accessLog = configuration.accessLog
        self.annotatesAccessLog = configuration.accessLog?.buffer != nil
        self.correlatesLogs = configuration.accessLog?.settings.generatesCorrelationIDs ?? false
        self.tracer = configuration.tracing?.tracer
    }
}
