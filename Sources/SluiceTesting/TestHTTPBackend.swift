import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
public import NIOSSL

/// An in-process HTTP/1.1 backend for live loopback tests, bound to `127.0.0.1` on an ephemeral port.
///
/// The path chooses the behaviour, wherever its keyword appears, so a gateway may prefix it freely:
/// - `…/status/<code>`: answers with that status and a short body;
/// - `…/delay/<ms>`: answers 200 after that many milliseconds;
/// - `…/large/<bytes>`: streams a body of that many bytes (`x` characters), honouring backpressure;
/// - `…/close-mid-response`: sends a head announcing 1000 bytes, 10 of them, then closes;
/// - `…/json…`: answers a small JSON document;
/// - anything else echoes: the request body comes back with the request's `Content-Type` and `SOAPAction`.
///
/// Every response carries `X-Backend-Name`, `X-Echo-Method` and `X-Echo-URI`; every request is recorded
/// (method, URI, headers, body size) for assertions.
///
/// ```swift
/// let backend = try await TestHTTPBackend.start(name: "a")
/// defer { backend.shutdownInBackground() }
/// let url = "http://127.0.0.1:\(backend.port)/echo"
/// ```
public final class TestHTTPBackend: Sendable {
    /// What the backend saw of one request.
    public struct RecordedRequest: Sendable, Hashable {
        public var method: String
        public var uri: String
        public var headers: [String: String]
        public var bodyByteCount: Int

        /// The last value of a header, compared case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    /// The `X-Backend-Name` this backend answers with.
    public let name: String
    /// The port the backend listens on.
    public let port: Int
    private let channel: any Channel
    private let recorder: NIOLockedValueBox<[RecordedRequest]>
    private let connectionCounter: NIOLockedValueBox<Int>
    private let refusal: NIOLockedValueBox<Bool>
    /// Whether it serves HTTPS.
    public let isTLS: Bool

    private init(
        name: String,
        port: Int,
        isTLS: Bool,
        channel: any Channel,
        recorder: NIOLockedValueBox<[RecordedRequest]>,
        connectionCounter: NIOLockedValueBox<Int>,
        refusal: NIOLockedValueBox<Bool>
    ) {
        self.name = name
        self.port = port
        self.isTLS = isTLS
        self.channel = channel
        self.recorder = recorder
        self.connectionCounter = connectionCounter
        self.refusal = refusal
    }

    /// Starts a backend on `127.0.0.1`.
    /// - Parameters:
    ///   - name: Sent back in `X-Backend-Name`, to tell backends apart.
    ///   - port: 0 (the default) for an ephemeral port.
    ///   - group: The event loops to serve on.
    ///   - tls: Serves HTTPS with this context (``baseURL`` is then `https://localhost:<port>`).
    /// - Returns: The running backend.
    public static func start(
        name: String = "backend",
        port: Int = 0,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        tls: NIOSSLContext? = nil
    ) async throws -> TestHTTPBackend {
        let recorder = NIOLockedValueBox<[RecordedRequest]>([])
        let connectionCounter = NIOLockedValueBox(0)
        let refusal = NIOLockedValueBox(false)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                connectionCounter.withLockedValue { $0 += 1 }
                if refusal.withLockedValue({ $0 }) { return channel.close() }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        TestBackendChannelHandler(name: name, recorder: recorder, refusal: refusal)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        guard let boundPort = channel.localAddress?.port else {
            throw ChannelError.unknownLocalAddress
        }
        return TestHTTPBackend(
            name: name,
            port: boundPort,
            isTLS: tls != nil,
            channel: channel,
            recorder: recorder,
            connectionCounter: connectionCounter,
            refusal: refusal
        )
    }

    /// While true the backend is "down" without giving up its port: new connections are closed at once, and
    /// requests on open ones get the connection closed instead of an answer.
    public func setDown(_ down: Bool) {
        refusal.withLockedValue { $0 = down }
    }

    /// `http://127.0.0.1:<port>`, or `https://localhost:<port>` when serving HTTPS (a name its certificate holds).
    public var baseURL: String { isTLS ? "https://localhost:\(port)" : "http://127.0.0.1:\(port)" }

    /// Every request received so far, in arrival order.
    public var recordedRequests: [RecordedRequest] { recorder.withLockedValue { $0 } }

    /// How many TCP connections the backend has accepted.
    public var acceptedConnections: Int { connectionCounter.withLockedValue { $0 } }

    /// Forgets the recorded requests.
    public func clearRecordedRequests() { recorder.withLockedValue { $0.removeAll() } }

    /// Stops listening. Open connections are closed too.
    public func shutdown() async throws {
        try await channel.close()
    }

    /// Starts `shutdown()` without waiting for it: for `defer`, so a test that fails half-way leaks no server.
    public func shutdownInBackground() {
        channel.close(promise: nil)
    }
}

private final class TestBackendChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let name: String
    private let recorder: NIOLockedValueBox<[TestHTTPBackend.RecordedRequest]>
    private let refusal: NIOLockedValueBox<Bool>
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyByteCount = 0
    private var pendingLargeBytes = 0

    init(
        name: String,
        recorder: NIOLockedValueBox<[TestHTTPBackend.RecordedRequest]>,
        refusal: NIOLockedValueBox<Bool>
    ) {
        self.name = name
        self.recorder = recorder
        self.refusal = refusal
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if refusal.withLockedValue({ $0 }) {
                context.close(promise: nil)
                return
            }
            self.head = head
            self.body = nil
            self.bodyByteCount = 0
        case .body(var chunk):
            bodyByteCount += chunk.readableBytes
            // Echo keeps at most 16 MiB so streaming tests of larger bodies do not balloon memory.
            if bodyByteCount <= 16 << 20 {
                if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
            }
        case .end:
            guard let head else { return }
            recorder.withLockedValue {
                $0.append(
                    .init(
                        method: head.method.rawValue,
                        uri: head.uri,
                        headers: Dictionary(head.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                        bodyByteCount: bodyByteCount
                    )
                )
            }
            respond(to: head, context: context)
        }
    }

    private func responseHeaders(for head: HTTPRequestHead) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "X-Backend-Name", value: name)
        headers.add(name: "X-Echo-Method", value: head.method.rawValue)
        headers.add(name: "X-Echo-URI", value: head.uri)
        return headers
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let segments = path.split(separator: "/").map(String.init)
        var headers = responseHeaders(for: head)
        func argument(after keyword: String) -> Int? {
            guard let index = segments.firstIndex(of: keyword), index + 1 < segments.count else { return nil }
            return Int(segments[index + 1])
        }
        if let code = argument(after: "status") {
            let text = "status \(code)"
            headers.add(name: "Content-Type", value: "text/plain")
            write(status: .init(statusCode: code), headers: headers, body: text, context: context)
        } else if let milliseconds = argument(after: "delay") {
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            headers.add(name: "Content-Type", value: "text/plain")
            let delayedHeaders = headers
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(milliseconds))) {
                let (handler, context) = loopBound.value
                guard context.channel.isActive else { return }
                handler.write(status: .ok, headers: delayedHeaders, body: "delayed \(milliseconds)", context: context)
            }
        } else if let size = argument(after: "large") {
            headers.add(name: "Content-Type", value: "application/octet-stream")
            headers.add(name: "Content-Length", value: String(size))
            context.write(wrapOutboundOut(.head(.init(version: head.version, status: .ok, headers: headers))), promise: nil)
            pendingLargeBytes = size
            writeLargeChunks(context: context)
        } else if segments.contains("close-mid-response") {
            headers.add(name: "Content-Length", value: "1000")
            context.write(wrapOutboundOut(.head(.init(version: head.version, status: .ok, headers: headers))), promise: nil)
            let partial = context.channel.allocator.buffer(string: "0123456789")
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(partial))), promise: nil)
            context.close(promise: nil)
        } else if segments.contains("json") {
            headers.add(name: "Content-Type", value: "application/json")
            write(status: .ok, headers: headers, body: #"{"backend":"\#(name)","ok":true}"#, context: context)
        } else {
            for header in ["Content-Type", "SOAPAction"] {
                if let value = head.headers.first(name: header) { headers.add(name: header, value: value) }
            }
            let echoed = body ?? context.channel.allocator.buffer(capacity: 0)
            headers.add(name: "Content-Length", value: String(echoed.readableBytes))
            context.write(wrapOutboundOut(.head(.init(version: head.version, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(echoed))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        body = nil
    }

    private func write(status: HTTPResponseStatus, headers: HTTPHeaders, body: String, context: ChannelHandlerContext) {
        var headers = headers
        let buffer = context.channel.allocator.buffer(string: body)
        headers.replaceOrAdd(name: "Content-Length", value: String(buffer.readableBytes))
        context.write(wrapOutboundOut(.head(.init(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func writeLargeChunks(context: ChannelHandlerContext) {
        let chunkSize = 64 * 1024
        while pendingLargeBytes > 0 && context.channel.isWritable {
            let size = min(chunkSize, pendingLargeBytes)
            pendingLargeBytes -= size
            let chunk = context.channel.allocator.buffer(repeating: UInt8(ascii: "x"), count: size)
            context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
        }
        if pendingLargeBytes == 0 {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.flush()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable && pendingLargeBytes > 0 { writeLargeChunks(context: context) }
        context.fireChannelWritabilityChanged()
    }
}

@available(*, unavailable)
extension TestBackendChannelHandler: Sendable {}
