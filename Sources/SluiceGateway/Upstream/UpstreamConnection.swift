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
/// body (backpressure).
final class UpstreamConnection: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    private enum State {
        // Pooled, no exchange.
        case idle
        // An exchange is running; it ends when both the request and the response are complete.
        case active(requestComplete: Bool, responseStarted: Bool, responseComplete: Bool)
        // Closed or failed; never reused.
        case closed
    }

    let key: UpstreamKey
    /// Told when the connection closes or becomes reusable.
    weak var pool: UpstreamConnectionPool?
    private var context: ChannelHandlerContext?
    private var state = State.idle
    private weak var delegate: (any UpstreamResponseDelegate)?
    /// When the current exchange's response head is due; nil when no exchange waits for one.
    private var responseDeadline: NIODeadline?
    /// The connection's one timer, and when it fires. It is not cancelled per exchange: when it fires it
    /// re-checks `responseDeadline` and re-arms, so a keep-alive connection schedules about one task per
    /// timeout period instead of one per request.
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?
    private var readsPaused = false
    private var readPending = false
    private var keepAlive = true
    /// How many exchanges this connection has completed, to tell fresh connections from reused ones.
    private(set) var completedExchanges = 0

    init(key: UpstreamKey) {
        self.key = key
    }

    var isActive: Bool { context?.channel.isActive ?? false }
    var isWritable: Bool { context?.channel.isWritable ?? false }
    var isIdle: Bool { if case .idle = state { isActive } else { false } }

    // MARK: - Exchange

    /// Sends the request head (flushed at once when `hasBody` is false) and arms the response timeout.
    func startRequest(
        _ head: HTTPRequestHead,
        hasBody: Bool,
        timeout: TimeAmount,
        delegate: any UpstreamResponseDelegate
    ) {
        guard let context, case .idle = state, context.channel.isActive else {
            delegate.upstream(self, didFail: .connectionClosed)
            return
        }
        self.delegate = delegate
        keepAlive = head.isKeepAlive
        state = .active(requestComplete: false, responseStarted: false, responseComplete: false)
        let deadline = NIODeadline.now() + timeout
        responseDeadline = deadline
        ensureTimer(firesBy: deadline, context: context)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if hasBody { context.flush() } else { finishRequest() }
    }

    /// Sends a chunk of request body.
    func writeBodyPart(_ part: ByteBuffer) {
        guard let context, case .active(false, _, _) = state else { return }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(part))), promise: nil)
    }

    /// Ends the request.
    func finishRequest() {
        guard let context, case .active(false, let started, let complete) = state else { return }
        state = .active(requestComplete: true, responseStarted: started, responseComplete: complete)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenFailure { [weak self] error in
            self?.fail(.sendingFailed(String(describing: error)))
        }
        if complete { completeExchange() }
    }

    /// Stops reading response bytes from the backend until `resumeReading()`.
    func pauseReading() { readsPaused = true }

    /// Reads response bytes again (and delivers a read the channel asked for meanwhile).
    func resumeReading() {
        readsPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    /// Drops the exchange and the connection (the client went away).
    func abandon() {
        delegate = nil
        close()
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .active(let requestComplete, _, _) = state else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            responseDeadline = nil
            if !head.isKeepAlive { keepAlive = false }
            state = .active(requestComplete: requestComplete, responseStarted: true, responseComplete: false)
            delegate?.upstream(self, didReceiveHead: head)
        case .body(let part):
            delegate?.upstream(self, didReceiveBodyPart: part)
        case .end:
            state = .active(requestComplete: requestComplete, responseStarted: true, responseComplete: true)
            let delegate = self.delegate
            if requestComplete {
                completeExchange()
            } else {
                // The backend answered before taking the whole request: the connection cannot be reused.
                keepAlive = false
            }
            delegate?.upstreamDidFinishResponse(self)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        delegate?.upstreamReadComplete(self)
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if readsPaused {
            readPending = true
        } else {
            context.read()
        }
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

    private func completeExchange() {
        completedExchanges += 1
        delegate = nil
        responseDeadline = nil
        guard keepAlive, isActive else {
            state = .closed
            close()
            return
        }
        state = .idle
        readsPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
        pool?.release(self)
    }

    private func ensureTimer(firesBy deadline: NIODeadline, context: ChannelHandlerContext) {
        if let firesAt = timerFiresAt, firesAt <= deadline { return }
        timer?.cancel()
        timerFiresAt = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            self?.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        timerFiresAt = nil
        guard let responseDeadline, let context else { return }
        if NIODeadline.now() >= responseDeadline {
            fail(.responseTimeout)
        } else {
            ensureTimer(firesBy: responseDeadline, context: context)
        }
    }

    private func fail(_ error: UpstreamError) {
        responseDeadline = nil
        timer?.cancel()
        timer = nil
        timerFiresAt = nil
        let previous = state
        state = .closed
        let delegate = self.delegate
        self.delegate = nil
        if case .active(_, _, false) = previous {
            delegate?.upstream(self, didFail: error)
        }
        close()
    }

    private func close() {
        state = .closed
        if let context, context.channel.isActive {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension UpstreamConnection: Sendable {}
