import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SluiceModel

/// Keep-alive connections to backends, owned by one event loop: requests served on that loop borrow
/// connections made on that loop, so no byte of a proxied exchange changes threads.
final class UpstreamConnectionPool {
    let eventLoop: any EventLoop
    private let connectTimeout: TimeAmount
    private let maxIdlePerKey: Int
    /// The idle connections of each backend, in a box per backend: taking and giving back a connection then reads
    /// the dictionary and mutates the box, never the dictionary's value in place (a `_modify` accessor, whose
    /// coroutine frames were three allocations per request).
    private var idle: [UpstreamKey: IdleConnections] = [:]
    private var isShutDown = false
    /// The TLS context of `https://` backends, shared by the gateway's pools.
    private let tls: BackendTLSContexts?
    private let metrics: UpstreamPoolMetrics

    init(
        eventLoop: any EventLoop,
        connectTimeout: TimeAmount,
        maxIdlePerKey: Int,
        tls: BackendTLSContexts? = nil,
        metrics: UpstreamPoolMetrics = UpstreamPoolMetrics()
    ) {
        self.eventLoop = eventLoop
        self.connectTimeout = connectTimeout
        self.maxIdlePerKey = maxIdlePerKey
        self.tls = tls
        self.metrics = metrics
    }

    /// The box of `key`'s connections, made the first time this pool meets the backend.
    private func connections(to key: UpstreamKey) -> IdleConnections {
        if let existing = idle[key] { return existing }
        let made = IdleConnections(counts: metrics.counts(for: key))
        idle[key] = made
        return made
    }

    /// An idle pooled connection to `key`, if there is one (no closure, no allocation: the usual case).
    func takeIdle(_ key: UpstreamKey) -> UpstreamConnection? {
        eventLoop.assertInEventLoop()
        guard let idleConnections = idle[key] else { return nil }
        defer { idleConnections.countIdle() }
        while let connection = idleConnections.list.popLast() {
            if connection.isIdle { return connection }
        }
        return nil
    }

    /// Hands `completion` an idle connection to `key`, or a new one; `completion` runs on this pool's loop.
    func acquire(_ key: UpstreamKey, then completion: @escaping (Result<UpstreamConnection, UpstreamError>) -> Void) {
        if let connection = takeIdle(key) {
            completion(.success(connection))
            return
        }
        connect(key, then: completion)
    }

    /// Hands `completion` a new connection to `key` (never a pooled one); `completion` runs on this pool's loop.
    func connect(_ key: UpstreamKey, then completion: @escaping (Result<UpstreamConnection, UpstreamError>) -> Void) {
        eventLoop.assertInEventLoop()
        if isShutDown {
            completion(.failure(.connectionFailed("gateway shutting down")))
            return
        }
        let counts = connections(to: key).counts
        let context: NIOSSLContext?
        switch (key.isTLS, tls?.context(for: key)) {
        case (false, _): context = nil
        case (true, .success(let built)?): context = built
        case (true, .failure(let error)?):
            counts.connectFailures.increment()
            completion(.failure(error))
            return
        case (true, nil):
            counts.connectFailures.increment()
            completion(.failure(.connectionFailed("no TLS configuration for https endpoints")))
            return
        }
        counts.waiters.add(1, ordering: .relaxed)
        // Counted once per attempt, whichever way it ends.
        let completion: (Result<UpstreamConnection, UpstreamError>) -> Void = { result in
            counts.waiters.subtract(1, ordering: .relaxed)
            switch result {
            case .success: counts.connects.increment()
            case .failure: counts.connectFailures.increment()
            }
            completion(result)
        }
        // SNI and host name verification use the endpoint's host; an IP address is checked against the
        // certificate's IP addresses instead (SNI carries no addresses).
        let serverHostname = IPAddressBlock.parseAddress(key.host) == nil ? key.host : nil
        ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: context, serverHostname: serverHostname)
                        )
                        try channel.pipeline.syncOperations.addHandler(TLSHandshakeWatcher(channel.eventLoop))
                    }
                    // NIO's client handlers with our encoder in place of NIO's (the heads arrive framed by
                    // UpstreamRequestBuilder; each is encoded into a buffer the connection reuses).
                    try channel.pipeline.syncOperations.addHandlers([
                        UpstreamRequestEncoder(),
                        ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)),
                        NIOHTTPRequestHeadersValidator(),
                    ])
                    try channel.pipeline.syncOperations.addHandler(UpstreamConnection(key: key))
                }
            }
            .connect(host: key.host, port: key.port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    do {
                        let connection = try channel.pipeline.syncOperations.handler(type: UpstreamConnection.self)
                        connection.pool = self
                        // Open until its channel closes (a channel closed already will not report it).
                        if channel.isActive {
                            connection.poolCounts = counts
                            counts.open.add(1, ordering: .relaxed)
                        }
                        guard key.isTLS else {
                            completion(.success(connection))
                            return
                        }
                        // A connection is handed out only once its handshake verified the backend.
                        let watcher = try channel.pipeline.syncOperations.handler(type: TLSHandshakeWatcher.self)
                        watcher.handshake.futureResult.assumeIsolated().whenComplete { outcome in
                            switch outcome {
                            case .success: completion(.success(connection))
                            case .failure(let error):
                                channel.close(promise: nil)
                                completion(.failure(.connectionFailed("TLS handshake with \(key) failed: \(error)")))
                            }
                        }
                    } catch {
                        channel.close(promise: nil)
                        completion(.failure(.connectionFailed(String(describing: error))))
                    }
                case .failure(ChannelError.connectTimeout):
                    completion(.failure(.connectTimeout))
                case .failure(let error):
                    completion(.failure(.connectionFailed(Self.describe(error))))
                }
            }
    }

    /// Takes back a connection whose exchange completed cleanly.
    func release(_ connection: UpstreamConnection) {
        eventLoop.assertInEventLoop()
        let idleConnections = connections(to: connection.key)
        guard !isShutDown, idleConnections.list.count < maxIdlePerKey else {
            connection.abandon()
            return
        }
        idleConnections.list.append(connection)
        idleConnections.countIdle()
    }

    /// Forgets a connection that closed.
    func connectionClosed(_ connection: UpstreamConnection) {
        eventLoop.assertInEventLoop()
        if let idleConnections = idle[connection.key] {
            idleConnections.list.removeAll { $0 === connection }
            idleConnections.countIdle()
        }
        if let counts = connection.poolCounts {
            connection.poolCounts = nil
            counts.open.subtract(1, ordering: .relaxed)
        }
    }

    /// Closes every idle connection and stops pooling.
    func shutdown() {
        eventLoop.assertInEventLoop()
        isShutDown = true
        var connections: [UpstreamConnection] = []
        for idleConnections in idle.values {
            connections += idleConnections.list
            idleConnections.list.removeAll()
            idleConnections.countIdle()
        }
        for connection in connections { connection.abandon() }
    }

    /// Idle connections currently pooled for `key` (for tests and status).
    func idleCount(for key: UpstreamKey) -> Int { idle[key]?.list.count ?? 0 }

    /// The idle connections to one backend, most recently released last, and this pool's counts for it.
    private final class IdleConnections {
        var list: [UpstreamConnection] = []
        let counts: UpstreamPoolMetrics.Counts

        init(counts: UpstreamPoolMetrics.Counts) {
            self.counts = counts
        }

        /// Publishes the idle count for `/metrics` (a relaxed store; after every change of `list`).
        func countIdle() {
            counts.idle.store(list.count, ordering: .relaxed)
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let connectionError = error as? NIOConnectionError,
            let first = connectionError.connectionErrors.first
        {
            return String(describing: first.error)
        }
        return String(describing: error)
    }
}

@available(*, unavailable)
extension UpstreamConnectionPool: Sendable {}

/// The pools of every event loop of the gateway's group, looked up by the request's event loop.
final class UpstreamPools: Sendable {
    // Each pool is only touched on its own event loop (asserted inside); the map itself never changes.
    private struct PoolBox: @unchecked Sendable {
        let pool: UpstreamConnectionPool
    }
    private let pools: [ObjectIdentifier: PoolBox]

    init(
        group: any EventLoopGroup,
        connectTimeout: TimeAmount,
        maxIdlePerKey: Int,
        backendTLS: TLSConfiguration,
        backendTLSByServer: [String: TLSConfiguration] = [:],
        metrics: UpstreamPoolMetrics = UpstreamPoolMetrics()
    ) {
        let tls = BackendTLSContexts(default: backendTLS, byServer: backendTLSByServer)
        var pools: [ObjectIdentifier: PoolBox] = [:]
        for eventLoop in group.makeIterator() {
            pools[ObjectIdentifier(eventLoop)] = PoolBox(
                pool: UpstreamConnectionPool(
                    eventLoop: eventLoop,
                    connectTimeout: connectTimeout,
                    maxIdlePerKey: maxIdlePerKey,
                    tls: tls,
                    metrics: metrics
                )
            )
        }
        self.pools = pools
    }

    /// The pool of `eventLoop`; call on that loop.
    func pool(for eventLoop: any EventLoop) -> UpstreamConnectionPool? {
        eventLoop.assertInEventLoop()
        return pools[ObjectIdentifier(eventLoop)]?.pool
    }

    /// Closes all idle connections of every pool.
    func shutdown() async {
        for box in pools.values {
            try? await box.pool.eventLoop.submit { box.pool.shutdown() }.get()
        }
    }
}

/// The TLS contexts of `https://` backends: the default one, and one per backend given a client certificate of its
/// own (by lower-case `host:port`).
final class BackendTLSContexts: Sendable {
    private let defaultContext: BackendTLSContext
    private let byServer: [String: BackendTLSContext]

    init(default configuration: TLSConfiguration, byServer: [String: TLSConfiguration]) {
        self.defaultContext = BackendTLSContext(configuration: configuration)
        self.byServer = byServer.mapValues(BackendTLSContext.init(configuration:))
    }

    /// The context for connections to `key` (looked up once per new connection, not per request).
    func context(for key: UpstreamKey) -> Result<NIOSSLContext, UpstreamError> {
        guard !byServer.isEmpty, let own = byServer[key.host.lowercased() + ":" + String(key.port)] else {
            return defaultContext.context
        }
        return own.context
    }
}

/// The TLS context of `https://` backends, built on first use: building one reads the system's trust roots, which
/// a gateway without HTTPS endpoints should not pay for at every start.
final class BackendTLSContext: Sendable {
    private let configuration: TLSConfiguration
    private let built = NIOLockedValueBox<Result<NIOSSLContext, UpstreamError>?>(nil)

    init(configuration: TLSConfiguration) {
        self.configuration = configuration
    }

    /// The context, or why it cannot be built (then every HTTPS connection fails with that reason).
    var context: Result<NIOSSLContext, UpstreamError> {
        built.withLockedValue { built in
            if let built { return built }
            let result: Result<NIOSSLContext, UpstreamError>
            do {
                result = .success(try NIOSSLContext(configuration: configuration))
            } catch {
                result = .failure(.connectionFailed("the backend TLS configuration is unusable: \(error)"))
            }
            built = result
            return result
        }
    }
}
