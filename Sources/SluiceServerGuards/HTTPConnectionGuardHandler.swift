public import NIOCore
public import NIOHTTP1

/// Idle, header-read and request-read timeouts and the `Host` checks for an HTTP/1.1 server whose request
/// handling lives elsewhere (the management server's Hummingbird application); see
/// `HTTPConnectionGuardStateMachine` for the rules. Sits right after NIO's HTTP request decoder.
///
/// One timer per connection, re-checked when it fires rather than re-armed per request part.
public final class HTTPConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias InboundOut = HTTPServerRequestPart
    public typealias OutboundIn = HTTPServerResponsePart
    public typealias OutboundOut = HTTPServerResponsePart

    private let timeouts: HTTPConnectionGuardStateMachine.Timeouts
    private var machine: HTTPConnectionGuardStateMachine?
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?

    /// - Parameters:
    ///   - idleTimeout: How long a connection may wait for a request head (after opening or after a response).
    ///   - readTimeout: How long a request may take to arrive completely once its head has.
    public init(idleTimeout: TimeAmount, readTimeout: TimeAmount) {
        self.timeouts = .init(idle: idleTimeout, read: readTimeout)
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        machine?.closed()
        cancelTimer()
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard machine != nil else { return context.fireChannelRead(data) }
        switch machine!.read(unwrapInboundIn(data), now: context.eventLoop.now) {
        case .forward:
            context.fireChannelRead(data)
            scheduleTimer(context: context)
        case .drop:
            break
        case .refuseAndClose(let status):
            refuseAndClose(status, context: context)
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        guard machine != nil else { return }
        switch machine!.wrote(unwrapOutboundIn(data), now: context.eventLoop.now) {
        case .none: scheduleTimer(context: context)
        case .refuseAndClose(let status): refuseAndClose(status, context: context)
        case .close: context.close(promise: nil)
        }
    }

    // MARK: - Private

    private func start(context: ChannelHandlerContext) {
        guard machine == nil else { return }
        machine = HTTPConnectionGuardStateMachine(timeouts: timeouts, now: context.eventLoop.now)
        scheduleTimer(context: context)
    }

    /// Makes sure the timer fires by the machine's deadline; a timer due earlier is kept (it re-checks).
    private func scheduleTimer(context: ChannelHandlerContext) {
        guard let deadline = machine?.deadline else { return }
        if let firesAt = timerFiresAt, firesAt <= deadline { return }
        timer?.cancel()
        timerFiresAt = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            self?.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        timer = nil
        timerFiresAt = nil
        guard machine != nil else { return }
        switch machine!.timerFired(now: context.eventLoop.now) {
        case .none: scheduleTimer(context: context)
        case .refuseAndClose(let status): refuseAndClose(status, context: context)
        case .close: context.close(promise: nil)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerFiresAt = nil
    }

    private func refuseAndClose(_ status: HTTPResponseStatus, context: ChannelHandlerContext) {
        cancelTimer()
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension HTTPConnectionGuardHandler: Sendable {}
