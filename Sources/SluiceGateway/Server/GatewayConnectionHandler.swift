import NIOCore
import NIOHTTP1

/// One request being served on a connection; every call arrives on the connection's event loop.
protocol GatewayExchange: AnyObject {
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
typealias GatewayExchangeFactory = (HTTPRequestHead, GatewayConnectionHandler) -> any GatewayExchange

/// Sent down a connection's pipeline when the gateway shuts down: finish the current request, then close.
struct GatewayQuiesceEvent: Sendable {}

/// The per-connection HTTP/1.1 server handler: request limits, read and idle timeouts, keep-alive, graceful
/// close, backpressure on request bodies; each request becomes a `GatewayExchange`.
///
/// It sits behind NIO's `HTTPServerPipelineHandler`, so pipelined requests reach it one at a time, each after the
/// previous response has ended.
final class GatewayConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    struct Limits {
        var maxHeaderBytes: Int
        var maxRequestBodyBytes: Int?
        var idleTimeout: TimeAmount
        var readTimeout: TimeAmount
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
    private var context: ChannelHandlerContext?
    private var state = State.idle
    private var keepAlive = true
    /// The current request announced no body, so its end follows the head at once.
    private var requestHasNoBody = false
    private var quiescing = false
    private var requestBodyBytes = 0
    private var readsPaused = false
    private var readPending = false
    private var idleTimer: Scheduled<Void>?
    private var readTimer: Scheduled<Void>?

    init(limits: Limits, makeExchange: @escaping GatewayExchangeFactory) {
        self.limits = limits
        self.makeExchange = makeExchange
    }

    // MARK: - Interface for exchanges

    /// The connection's event loop and allocator.
    var eventLoop: any EventLoop { context!.eventLoop }
    var allocator: ByteBufferAllocator { context?.channel.allocator ?? ByteBufferAllocator() }
    var isWritable: Bool { context?.channel.isWritable ?? false }
    var localPort: Int? { context?.channel.localAddress?.port }
    var remoteAddress: String? { context?.channel.remoteAddress?.ipAddress }

    /// Sends the response head; adds `Connection: close` when the connection will close after it.
    func writeResponseHead(_ head: HTTPResponseHead) {
        guard let context, case .active(let exchange, let requestComplete, false) = state else { return }
        state = .active(exchange: exchange, requestComplete: requestComplete, responseStarted: true)
        var head = head
        if !requestComplete && !requestHasNoBody { keepAlive = false }
        if !keepAlive || quiescing {
            head.headers.replaceOrAdd(name: "Connection", value: "close")
        } else if head.version == .http1_0 {
            head.headers.replaceOrAdd(name: "Connection", value: "keep-alive")
        }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
    }

    /// Sends a chunk of response body.
    func writeResponseBodyPart(_ part: ByteBuffer, flush: Bool = true) {
        guard let context, case .active(_, _, true) = state else { return }
        context.write(wrapOutboundOut(.body(.byteBuffer(part))), promise: nil)
        if flush { context.flush() }
    }

    /// Sends what was written so far.
    func flush() {
        context?.flush()
    }

    /// Ends the response; the connection then waits for the next request, or closes.
    func finishResponse() {
        guard let context, case .active(_, let requestComplete, true) = state else { return }
        readTimer?.cancel()
        readTimer = nil
        let closeAfterwards = !keepAlive || quiescing || (!requestComplete && !requestHasNoBody)
        state = closeAfterwards ? .discarding : (requestComplete ? .idle : .awaitingRequestEnd)
        resumeRequestReads()
        if closeAfterwards {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            armIdleTimer()
        }
    }

    /// Sends a whole response with a small body, closing the connection afterwards when asked.
    func respond(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer?, close: Bool = false) {
        if close { keepAlive = false }
        var headers = headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body?.readableBytes ?? 0))
        writeResponseHead(HTTPResponseHead(version: .http1_1, status: status, headers: headers))
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
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { armIdleTimer() }
    }

    func channelActive(context: ChannelHandlerContext) {
        armIdleTimer()
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        readTimer?.cancel()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard case .idle = state else { return }
            idleTimer?.cancel()
            idleTimer = nil
            keepAlive = head.isKeepAlive
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
            armReadTimer(context: context)
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
                if quiescing { context.close(promise: nil) } else { armIdleTimer() }
                return
            }
            guard case .active(let exchange, false, let responseStarted) = state else {
                if case .discarding = state { context.close(promise: nil) }
                return
            }
            readTimer?.cancel()
            readTimer = nil
            state = .active(exchange: exchange, requestComplete: true, responseStarted: responseStarted)
            exchange.requestEnd()
        }
    }

    func read(context: ChannelHandlerContext) {
        if readsPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .active(let exchange, _, _) = state {
            exchange.clientWritabilityChanged(isWritable: context.channel.isWritable)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        readTimer?.cancel()
        if case .active(let exchange, _, _) = state {
            state = .discarding
            exchange.clientClosed()
        }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is GatewayQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        quiescing = true
        if case .idle = state { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
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
        readTimer?.cancel()
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

    private func armIdleTimer() {
        guard let context else { return }
        idleTimer?.cancel()
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: limits.idleTimeout) { [weak self] in
            guard let self, case .idle = self.state else { return }
            self.context?.close(promise: nil)
        }
    }

    private func armReadTimer(context: ChannelHandlerContext) {
        readTimer?.cancel()
        readTimer = context.eventLoop.assumeIsolated().scheduleTask(in: limits.readTimeout) { [weak self] in
            guard let self, let context = self.context else { return }
            guard case .active(let exchange, false, let responseStarted) = self.state else { return }
            exchange.clientClosed()
            if responseStarted {
                self.state = .discarding
                context.close(promise: nil)
            } else {
                self.reject(status: .requestTimeout, head: nil, context: context)
            }
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
extension GatewayConnectionHandler: Sendable {}
