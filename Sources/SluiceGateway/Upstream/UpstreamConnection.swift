import NIOCore
import NIOHTTP1

/// Receives one backend response; every call arrives on the connection's event loop.
protocol UpstreamResponseDelegate: AnyObject {
    func upstream(_ connection: UpstreamConnection, didReceiveHead head: HTTPResponseHead)
    func upstream(_ connection: UpstreamConnection, didReceiveBodyPart part: ByteBuffer)
    func upstreamDidFinishResponse(_ connection: UpstreamConnection)
    func upstream(_ connection: UpstreamConnection, didFail error: UpstreamError)
    /// The connection can take more request body again (or can take no more); see `isWritable`.
    func upstreamWritabilityChanged(_ connection: UpstreamConnection)
    /// The bytes of one socket read have been delivered: a good moment to flush what they produced.
    func upstreamReadComplete(_ connection: UpstreamConnection)
}

/// One keep-alive HTTP/1.1 connection to a backend, running one exchange at a time on its channel's event loop.
///
/// It is the last handler of the client pipeline. It classifies failures into `UpstreamError`s, enforces the
/// endpoint's response timeout, and holds the channel's reads while the client side cannot take more response
/// body (backpressure). The decisions are `UpstreamConnectionStateMachine`'s; this class does the I/O they ask
/// for. Time is the event loop's (`EventLoop.now`), so tests drive it with an `EmbeddedEventLoop`.
final class UpstreamConnection: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    let key: UpstreamKey
    /// Told when the connection closes or becomes reusable.
    weak var pool: UpstreamConnectionPool?
    /// The pool's counts this connection is counted open in, until it closes.
    var poolCounts: UpstreamPoolMetrics.Counts?
    private var context: ChannelHandlerContext?
    private var state = UpstreamConnectionStateMachine()
    /// The exchange being served: held strongly, and dropped whenever the exchange ends (completed, failed, timed
    /// out, abandoned), so the cycle with the exchange lasts only as long as the exchange. A weak reference cost an
    /// allocation per request (the exchange's side table).
    private var delegate: (any UpstreamResponseDelegate)?
    private var timer: Scheduled<Void>?
    /// The current request's end is written with a promise whose failure is reported as `sendingFailed`.
    private var watchesEnd = true

    init(key: UpstreamKey) {
        self.key = key
    }

    var isActive: Bool { context?.channel.isActive ?? false }
    var isWritable: Bool { context?.channel.isWritable ?? false }
    var isIdle: Bool { state.isIdle && isActive }
    /// How many exchanges this connection has completed, to tell fresh connections from reused ones.
    var completedExchanges: Int { state.completedExchanges }

    // MARK: - Exchange

    /// Sends the request head (flushed at once when `hasBody` is false, with the request's end) and arms the
    /// response timeout. Returns false, writing nothing, when the connection cannot take a request. `watchEnd`: a
    /// failed write of the request's end reports `sendingFailed` (else the channel's close reports
    /// `connectionClosed`; the exchange decides which it needs, `ProxyExchangeStateMachine.watchesEnd`).
    /// `flushHead`: false when the caller writes the whole body right after, so head and body leave in one write.
    func startRequest(
        _ head: HTTPRequestHead,
        hasBody: Bool,
        timeout: TimeAmount,
        watchEnd: Bool = true,
        flushHead: Bool = true,
        delegate: any UpstreamResponseDelegate
    ) -> Bool {
        guard let context else { return false }
        let deadline = context.eventLoop.now + timeout
        switch state.startRequest(keepAlive: head.isKeepAlive, responseDeadline: deadline, channelIsActive: isActive) {
        case .refuse:
            return false
        case .writeHead(let scheduleTimer):
            self.delegate = delegate
            watchesEnd = watchEnd
            if let scheduleTimer { schedule(at: scheduleTimer, context: context) }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !hasBody {
                finishRequest()
            } else if flushHead {
                context.flush()
            }
            return true
        }
    }

    /// Starts `request` (its head, and its end at once when it has no body); see above.
    func startRequest(
        _ request: BackendRequest,
        watchEnd: Bool,
        flushHead: Bool = true,
        delegate: any UpstreamResponseDelegate
    ) -> Bool {
        startRequest(
            request.head,
            hasBody: request.hasBody,
            timeout: request.timeout,
            watchEnd: watchEnd,
            flushHead: flushHead,
            delegate: delegate
        )
    }

    /// Sends a chunk of request body.
    func writeBodyPart(_ part: ByteBuffer) {
        guard let context, state.acceptsRequestBody else { return }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(part))), promise: nil)
    }

    /// Ends the request.
    func finishRequest() {
        guard let context, let completion = state.finishRequest(channelIsActive: isActive) else { return }
        if watchesEnd {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenFailure { [weak self] error in
                self?.fail(.sendingFailed(String(describing: error)))
            }
        } else {
            // No promise and no callback (two allocations per request): a failed write closes the channel.
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        complete(completion)
    }

    /// Stops reading response bytes from the backend until `resumeReading()`.
    func pauseReading() { state.pauseReading() }

    /// Reads response bytes again (and delivers a read the channel asked for meanwhile).
    func resumeReading() {
        if state.resumeReading() == .read { context?.read() }
    }

    /// Drops the exchange and the connection (the client went away).
    func abandon() {
        delegate = nil
        if state.abandon() == .close { close() }
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        delegate = nil
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if state.responseHead(keepAlive: head.isKeepAlive) == .forward {
                delegate?.upstream(self, didReceiveHead: head)
            }
        case .body(let part):
            if state.responseBodyPart() == .forward {
                delegate?.upstream(self, didReceiveBodyPart: part)
            }
        case .end:
            guard case .forwardEnd(let completion) = state.responseEnd(channelIsActive: context.channel.isActive) else {
                return
            }
            let delegate = self.delegate
            complete(completion)
            delegate?.upstreamDidFinishResponse(self)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete(self)
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if state.read() == .read { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        delegate?.upstreamWritabilityChanged(self)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.connectionClosed)
        pool?.connectionClosed(self)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case HTTPParserError.invalidEOFState:
            // The decoder's way of saying the backend closed before the response was complete.
            fail(.connectionClosed)
        case is HTTPParserError:
            fail(.protocolViolation(String(describing: error)))
        default:
            fail(.connectionClosed)
        }
    }

    // MARK: - Private

    private func complete(_ completion: UpstreamConnectionStateMachine.Completion) {
        switch completion {
        case .none:
            return
        case .close:
            delegate = nil
            close()
        case .release:
            delegate = nil
            if state.takePendingRead() { context?.read() }
            pool?.release(self)
        }
    }

    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            self?.timerFired()
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    private func timerFired() {
        timer = nil
        guard let context else { return }
        switch state.timerFired(now: context.eventLoop.now) {
        case .none:
            return
        case .schedule(let deadline):
            schedule(at: deadline, context: context)
        case .failExchange(let error):
            let delegate = self.delegate
            self.delegate = nil
            delegate?.upstream(self, didFail: error)
            close()
        }
    }

    private func fail(_ error: UpstreamError) {
        let action = state.fail(error)
        cancelTimer()
        let delegate = self.delegate
        self.delegate = nil
        if case .failExchange(let error) = action { delegate?.upstream(self, didFail: error) }
        if action != .none { close() }
    }

    private func close() {
        cancelTimer()
        if let context, context.channel.isActive {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension UpstreamConnection: Sendable {}
