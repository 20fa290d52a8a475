import NIOCore
import NIOHTTP1
import NIOSSL
import SluiceModel
import SluiceServerGuards
import SluiceTLS

/// One request being served on a connection; every call arrives on the connection's event loop. (`package` for
/// the request-head fuzz target in `Fuzz/`.)
package protocol GatewayExchange: AnyObject {
    /// Called once the connection has recorded the exchange; it may answer at once.
    func start()
    func requestBodyPart(_ part: ByteBuffer)
    func requestEnd()
    /// The client connection can take more response bytes again, or cannot for now.
    func clientWritabilityChanged(isWritable: Bool)
    /// The client went away (or the connection failed) before the exchange finished.
    func clientClosed()
}

/// Makes the exchange for a request head; the connection is where the exchange writes its response.
package typealias GatewayExchangeFactory = (HTTPRequestHead, GatewayChannelHandler) -> any GatewayExchange

/// Sent down a connection's pipeline when the gateway shuts down: finish the current request, then close.
struct GatewayQuiesceEvent: Sendable {}

/// The per-connection HTTP/1.1 server handler: request limits, read and idle timeouts, keep-alive, graceful
/// close, backpressure on request bodies; each request becomes a `GatewayExchange`.
///
/// It handles HTTP/1.1 pipelining itself: parts of a request that arrive while the previous response is still
/// being produced are held, with socket reads stopped, and delivered once that response has ended. NIO's
/// `HTTPServerPipelineHandler` would do the same but stops and restarts reading around *every* request, which
/// costs two `epoll_ctl` calls per request even when the client never pipelines.
///
/// Timeouts use one timer per connection that re-checks deadlines when it fires, instead of a scheduled task
/// armed and cancelled around each request.
package final class GatewayChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPServerRequestPart
    package typealias OutboundIn = HTTPServerResponsePart
    package typealias OutboundOut = HTTPServerResponsePart

    package struct Limits {
        var maxHeaderBytes: Int
        var maxRequestBodyBytes: Int?
        var idleTimeout: TimeAmount
        var readTimeout: TimeAmount

        package init(maxHeaderBytes: Int, maxRequestBodyBytes: Int?, idleTimeout: TimeAmount, readTimeout: TimeAmount) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxRequestBodyBytes = maxRequestBodyBytes
            self.idleTimeout = idleTimeout
            self.readTimeout = readTimeout
        }
    }

    private enum State {
        // Between requests.
        case idle
        // A request is being received; `responseStarted` once its response head went out.
        case active(exchange: any GatewayExchange, requestComplete: Bool, responseStarted: Bool)
        // The response went out before the request's end; a bodiless request's end is awaited, then idle.
        case awaitingRequestEnd
        // The rest of a rejected request is ignored until the connection closes.
        case discarding
    }

    private let limits: Limits
    private let makeExchange: GatewayExchangeFactory
    /// The listener the connection came in on: plain HTTP or HTTPS (TLS is terminated below this handler).
    let transport: SynapseAPI.Transport
    private var context: ChannelHandlerContext?
    private var state = State.idle
    private var keepAlive = true
    /// The current request announced no body, so its end follows the head at once.
    private var requestHasNoBody = false
    /// The current request's method (a response to CONNECT has no body).
    private var requestMethod = HTTPMethod.GET
    private var quiescing = false
    private var requestBodyBytes = 0
    private var readsPaused = false
    private var readPending = false
    /// Parts of requests pipelined behind the current one, in arrival order.
    private var pipelined = CircularBuffer<HTTPServerRequestPart>()
    private var pipelineDrainScheduled = false
    /// When the connection, idle, gets closed; nil while a request is being served.
    private var idleDeadline: NIODeadline?
    /// When a request whose head arrived must have been received completely.
    private var readDeadline: NIODeadline?
    /// The connection's one timer, and when it fires; it re-checks the deadlines and re-arms itself.
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?
    /// Set when the handler is added, before any exchange exists, and kept after it is removed.
    private var boundEventLoop: (any EventLoop)?

    package init(limits: Limits, transport: SynapseAPI.Transport = .http, makeExchange: @escaping GatewayExchangeFactory) {
        self.limits = limits
        self.transport = transport
        self.makeExchange = makeExchange
    }

    // MARK: - Interface for exchanges

    /// The connection's event loop and allocator. The loop outlives the pipeline: an upstream connection that
    /// completes after the client went away (and the handler was removed) still finds it.
    var eventLoop: any EventLoop { context?.eventLoop ?? boundEventLoop! }
    var allocator: ByteBufferAllocator { context?.channel.allocator ?? ByteBufferAllocator() }
    var isWritable: Bool { context?.channel.isWritable ?? false }
    /// The port the connection was accepted on, looked up once per connection.
    var localPort: Int? {
        if let cachedLocalPort { return cachedLocalPort }
        cachedLocalPort = context?.channel.localAddress?.port
        return cachedLocalPort
    }
    private var cachedLocalPort: Int?
    /// The client's IP address, formatted once per connection (not per request).
    var remoteAddress: String? {
        if let cachedRemoteAddress { return cachedRemoteAddress }
        cachedRemoteAddress = context?.channel.remoteAddress?.ipAddress
        return cachedRemoteAddress
    }
    private var cachedRemoteAddress: String?
    /// The certificate the client presented on this HTTPS connection, worked out on the first request and kept for
    /// the connection's life (the handshake is over before any request arrives); nil over plain HTTP, or when the
    /// client presented none.
    var clientCertificate: ClientCertificate? {
        if case .known(let certificate) = cachedClientCertificate { return certificate }
        var certificate: ClientCertificate?
        if transport == .https, let peer = try? context?.pipeline.syncOperations.nioSSL_peerCertificate() {
            certificate = CertificateDetails.clientCertificate(of: peer)
        }
        cachedClientCertificate = .known(certificate)
        return certificate
    }
    private enum CachedClientCertificate {
        case unknown
        case known(ClientCertificate?)
    }
    private var cachedClientCertificate = CachedClientCertificate.unknown

    /// Sends the response head, framed (`MessageFraming`: the encoder frames nothing); adds `Connection: close`
    /// when the connection will close after it. The head is made here, once the headers are final, so nothing copies
    /// it afterwards.
    func writeResponseHead(status: HTTPResponseStatus, headers: HTTPHeaders, version: HTTPVersion) {
        writeResponseHead(status: status, headers: headers, version: version, original: nil)
    }

    /// Sends `head` as it is when it needs neither a `Connection` header nor framing (a backend's head passed
    /// through): no head is built for it. Otherwise as `writeResponseHead(status:headers:version:)`.
    func writeResponseHead(_ head: HTTPResponseHead) {
        writeResponseHead(status: head.status, headers: head.headers, version: head.version, original: head)
    }

    private func writeResponseHead(status: HTTPResponseStatus, headers: HTTPHeaders, version: HTTPVersion, original: HTTPResponseHead?) {
        guard let context, case .active(let exchange, let requestComplete, false) = state else { return }
        state = .active(exchange: exchange, requestComplete: requestComplete, responseStarted: true)
        var headers = headers
        var changed = false
        if !requestComplete && !requestHasNoBody { keepAlive = false }
        if !keepAlive || quiescing {
            headers.replaceOrAdd(name: "Connection", value: "close")
            changed = true
        } else if version == .http1_0 {
            headers.replaceOrAdd(name: "Connection", value: "keep-alive")
            changed = true
        }
        if MessageFraming.frameResponse(&headers, status: status, version: version, requestMethod: requestMethod) { changed = true }
        let head = if let original, !changed { original } else { HTTPResponseHead(version: version, status: status, headers: headers) }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
    }

    /// Sends a chunk of response body.
    func writeResponseBodyPart(_ part: ByteBuffer, flush: Bool = true) {
        guard let context, case .active(_, _, true) = state else { return }
        context.write(wrapOutboundOut(.body(.byteBuffer(part))), promise: nil)
        if flush { context.flush() }
    }

    /// Tells the access log (a handler toward the socket) what the exchange knows of its call.
    func annotateAccessLog(_ annotation: AccessLogAnnotation) {
        context?.triggerUserOutboundEvent(annotation, promise: nil)
    }

    /// Hands the request's spans to the span handler toward the socket, which ends them with the response.
    func handOverTrace(_ trace: ExchangeTrace) {
        context?.triggerUserOutboundEvent(trace, promise: nil)
    }

    /// Sends what was written so far.
    func flush() {
        context?.flush()
    }

    /// Ends the response; the connection then waits for the next request, or closes.
    func finishResponse() {
        guard let context, case .active(_, let requestComplete, true) = state else { return }
        readDeadline = nil
        let closeAfterwards = !keepAlive || quiescing || (!requestComplete && !requestHasNoBody)
        state = closeAfterwards ? .discarding : (requestComplete ? .idle : .awaitingRequestEnd)
        if closeAfterwards { pipelined.removeAll() }
        resumeRequestReads()
        if closeAfterwards {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            if requestComplete { becameIdle() }
        }
    }

    /// Sends a whole response with a small body, closing the connection afterwards when asked.
    package func respond(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer?, close: Bool = false) {
        if close { keepAlive = false }
        var headers = headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body?.readableBytes ?? 0))
        writeResponseHead(status: status, headers: headers, version: .http1_1)
        if let body, body.readableBytes > 0 { writeResponseBodyPart(body, flush: false) }
        finishResponse()
    }

    /// Closes the connection at once (a reply that cannot be completed).
    func abort() {
        state = .discarding
        context?.close(promise: nil)
    }

    /// Stops reading the request body from the client (the backend cannot take more for now).
    func pauseRequestReads() { readsPaused = true }

    /// Reads the request body again.
    func resumeRequestReads() {
        readsPaused = false
        readIfPending()
    }

    // MARK: - Channel events

    package func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        boundEventLoop = context.eventLoop
        if context.channel.isActive { armIdleTimer() }
    }

    package func channelActive(context: ChannelHandlerContext) {
        armIdleTimer()
        context.fireChannelActive()
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        self.context = nil
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if !pipelined.isEmpty || isAwaitingResponseEnd {
            // A request pipelined behind the one being answered: hold it (and the socket) until that answer ends.
            if case .discarding = state { return }
            pipelined.append(part)
            return
        }
        handle(part, context: context)
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            guard case .idle = state else { return }
            idleDeadline = nil
            keepAlive = head.isKeepAlive
            requestMethod = head.method
            requestBodyBytes = 0
            requestHasNoBody =
                (head.headers.first(name: "Content-Length") ?? "0") == "0"
                && !head.headers[canonicalForm: "transfer-encoding"].contains { $0.lowercased() == "chunked" }
            if Self.headBytes(head) > limits.maxHeaderBytes {
                reject(status: .requestHeaderFieldsTooLarge, head: head, context: context)
                return
            }
            if let limit = limits.maxRequestBodyBytes, let length = head.headers.first(name: "Content-Length").flatMap(Int.init),
                length > limit
            {
                reject(status: .payloadTooLarge, head: head, context: context)
                return
            }
            if HostHeaderCheck.problem(in: head) != nil {
                reject(status: .badRequest, head: head, context: context)
                return
            }
            armReadTimer()
            if head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                // The gateway takes the body itself; the backend sees no Expect (UpstreamRequestBuilder drops it).
                context.writeAndFlush(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))),
                    promise: nil
                )
            }
            let exchange = makeExchange(head, self)
            state = .active(exchange: exchange, requestComplete: false, responseStarted: false)
            exchange.start()
        case .body(let part):
            guard case .active(let exchange, false, _) = state else { return }
            requestBodyBytes += part.readableBytes
            if let limit = limits.maxRequestBodyBytes, requestBodyBytes > limit {
                exchange.clientClosed()
                reject(status: .payloadTooLarge, head: nil, context: context)
                return
            }
            exchange.requestBodyPart(part)
        case .end:
            if case .awaitingRequestEnd = state {
                state = .idle
                if quiescing { context.close(promise: nil) } else { becameIdle() }
                return
            }
            guard case .active(let exchange, false, let responseStarted) = state else {
                if case .discarding = state { context.close(promise: nil) }
                return
            }
            readDeadline = nil
            state = .active(exchange: exchange, requestComplete: true, responseStarted: responseStarted)
            exchange.requestEnd()
        }
    }

    package func read(context: ChannelHandlerContext) {
        if readsPaused || !pipelined.isEmpty {
            readPending = true
        } else {
            context.read()
        }
    }

    package func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .active(let exchange, _, _) = state {
            exchange.clientWritabilityChanged(isWritable: context.channel.isWritable)
        }
        context.fireChannelWritabilityChanged()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        pipelined.removeAll()
        if case .active(let exchange, _, _) = state {
            state = .discarding
            exchange.clientClosed()
        }
        context.fireChannelInactive()
    }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is GatewayQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        quiescing = true
        if case .idle = state { context.close(promise: nil) }
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case is HTTPParserError where isAwaitingResponseEnd:
            // Bytes after a complete request that do not parse (llhttp also refuses anything after
            // `Connection: close`): the request still gets its answer, then the connection closes.
            keepAlive = false
            pipelined.removeAll()
        case HTTPParserError.headerOverflow:
            reject(status: .requestHeaderFieldsTooLarge, head: nil, context: context)
        case is HTTPParserError:
            reject(status: .badRequest, head: nil, context: context)
        default:
            if case .active(let exchange, _, _) = state {
                state = .discarding
                exchange.clientClosed()
            }
            context.close(promise: nil)
        }
    }

    // MARK: - Private

    /// Answers a request the gateway will not serve, then closes (the rest of it is not read).
    private func reject(status: HTTPResponseStatus, head: HTTPRequestHead?, context: ChannelHandlerContext) {
        let responseStarted: Bool
        switch state {
        case .active(_, _, let started): responseStarted = started
        case .awaitingRequestEnd: responseStarted = true
        case .discarding: return
        case .idle: responseStarted = false
        }
        state = .discarding
        pipelined.removeAll()
        readDeadline = nil
        guard !responseStarted else {
            context.close(promise: nil)
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        headers.add(name: "Connection", value: "close")
        let version = head?.version ?? .http1_1
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// True between the end of a request and the end of its response: what arrives now is a pipelined request.
    private var isAwaitingResponseEnd: Bool {
        if case .active(_, true, _) = state { true } else { false }
    }

    /// The connection waits for its next request: deliver a pipelined one, or start the idle clock.
    private func becameIdle() {
        if pipelined.isEmpty {
            armIdleTimer()
        } else if !pipelineDrainScheduled, let context {
            // Delivered from the event loop rather than from inside the call that ended the response.
            pipelineDrainScheduled = true
            context.eventLoop.assumeIsolated().execute { [weak self] in self?.deliverPipelined() }
        }
    }

    private func deliverPipelined() {
        pipelineDrainScheduled = false
        guard let context else { return }
        while !isAwaitingResponseEnd, let part = pipelined.popFirst() {
            handle(part, context: context)
            if case .discarding = state { pipelined.removeAll() }
        }
        if pipelined.isEmpty {
            if case .idle = state { armIdleTimer() }
            readIfPending()
        }
    }

    private func readIfPending() {
        guard readPending, !readsPaused, pipelined.isEmpty, let context else { return }
        readPending = false
        context.read()
    }

    /// The event loop's clock (virtual under an `EmbeddedEventLoop` in tests).
    private var now: NIODeadline { context?.eventLoop.now ?? .now() }

    private func armIdleTimer() {
        let deadline = now + limits.idleTimeout
        idleDeadline = deadline
        ensureTimer(firesBy: deadline)
    }

    private func armReadTimer() {
        let deadline = now + limits.readTimeout
        readDeadline = deadline
        ensureTimer(firesBy: deadline)
    }

    /// Makes sure the timer fires no later than `deadline`; a timer already due earlier is kept (it re-arms).
    private func ensureTimer(firesBy deadline: NIODeadline) {
        if let firesAt = timerFiresAt, firesAt <= deadline { return }
        guard let context else { return }
        timer?.cancel()
        timerFiresAt = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            self?.timerFired()
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerFiresAt = nil
    }

    private func timerFired() {
        timer = nil
        timerFiresAt = nil
        guard let context else { return }
        let now = context.eventLoop.now
        switch state {
        case .idle:
            guard let idleDeadline else { return }
            if now >= idleDeadline { context.close(promise: nil) } else { ensureTimer(firesBy: idleDeadline) }
        case .active(let exchange, false, let responseStarted):
            guard let readDeadline else { return }
            guard now >= readDeadline else {
                ensureTimer(firesBy: readDeadline)
                return
            }
            self.readDeadline = nil
            exchange.clientClosed()
            if responseStarted {
                state = .discarding
                context.close(promise: nil)
            } else {
                reject(status: .requestTimeout, head: nil, context: context)
            }
        case .active, .awaitingRequestEnd, .discarding:
            return
        }
    }

    /// The size of the request line and headers as sent, give or take the line endings.
    private static func headBytes(_ head: HTTPRequestHead) -> Int {
        var total = head.method.rawValue.utf8.count + head.uri.utf8.count + 12
        for header in head.headers { total += header.name.utf8.count + header.value.utf8.count + 4 }
        return total
    }
}

@available(*, unavailable)
extension GatewayChannelHandler: Sendable {}
