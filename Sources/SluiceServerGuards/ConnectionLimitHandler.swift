public import NIOCore

/// The first handler of every accepted connection of a server: counts it against the server's
/// `ConnectionLimiter` and closes it at once when the cap is reached (before any byte is read or any TLS or HTTP
/// work is done). The gateway and the management server both install it.
public final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = NIOAny

    private let limiter: ConnectionLimiter
    private let onRefusal: (@Sendable (ConnectionLimiter) -> Void)?
    private var counted = false
    private var refused = false

    /// - Parameters:
    ///   - limiter: The server's shared counter.
    ///   - onRefusal: Told about each refused connection (the server logs, rate-limited).
    public init(limiter: ConnectionLimiter, onRefusal: (@Sendable (ConnectionLimiter) -> Void)? = nil) {
        self.limiter = limiter
        self.onRefusal = onRefusal
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        admit(context: context)
        // A refused connection is closed before anything above it learns that it was open.
        if !refused { context.fireChannelActive() }
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        context.fireChannelRead(data)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        releaseIfCounted()
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        // Removed from a live pipeline (or the pipeline torn down without channelInactive): stop counting.
        releaseIfCounted()
    }

    // MARK: - Private

    private func admit(context: ChannelHandlerContext) {
        guard !counted, !refused else { return }
        if limiter.acquire() {
            counted = true
        } else {
            refused = true
            onRefusal?(limiter)
            context.close(promise: nil)
        }
    }

    private func releaseIfCounted() {
        guard counted else { return }
        counted = false
        limiter.release()
    }
}

@available(*, unavailable)
extension ConnectionLimitHandler: Sendable {}
