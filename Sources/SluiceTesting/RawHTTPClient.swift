import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Sends raw bytes over one TCP connection and collects whatever comes back until the peer closes or a
/// deadline passes: for tests of malformed, oversized or pipelined requests that a real HTTP client will not send.
public enum RawHTTPClient {
    /// Writes `request`, then reads until the connection closes or `timeout` passes.
    /// - Parameters:
    ///   - request: The bytes to send, e.g. `"GET / HTTP/1.1\r\nHost: x\r\n\r\n"`.
    ///   - host: Loopback address.
    ///   - port: Port to connect to.
    ///   - timeout: How long to wait for the peer to close: only a broken server reaches it, so it is roomy.
    ///   - stopWhen: Stops reading early when this returns true for the text received so far.
    /// - Returns: The received bytes as text, and whether the peer closed the connection.
    public static func exchange(
        _ request: String,
        host: String = "127.0.0.1",
        port: Int,
        timeout: Duration = .seconds(30),
        stopWhen: @escaping @Sendable (String) -> Bool = { _ in false }
    ) async throws -> (text: String, peerClosed: Bool) {
        let collector = ResponseCollector(stopWhen: stopWhen)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CollectingChannelHandler(collector: collector))
                }
            }
            .connect(host: host, port: port)
            .get()
        if !request.isEmpty {
            // The peer may close before or while we write (that is often what the test is about); what it sent
            // back is still collected.
            try? await channel.writeAndFlush(ByteBuffer(string: request))
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline && !collector.isDone {
            try await Task.sleep(for: .milliseconds(5))
        }
        let closed = collector.peerClosed
        try? await channel.close()
        return (collector.text, closed)
    }
}

private final class ResponseCollector: Sendable {
    private let state = NIOLockedValueBox<(bytes: [UInt8], closed: Bool)>(([], false))
    private let stopWhen: @Sendable (String) -> Bool

    init(stopWhen: @escaping @Sendable (String) -> Bool) {
        self.stopWhen = stopWhen
    }

    func append(_ buffer: ByteBuffer) {
        state.withLockedValue { $0.bytes.append(contentsOf: buffer.readableBytesView) }
    }

    func close() { state.withLockedValue { $0.closed = true } }

    var text: String { String(decoding: state.withLockedValue { $0.bytes }, as: UTF8.self) }
    var peerClosed: Bool { state.withLockedValue { $0.closed } }
    var isDone: Bool { peerClosed || stopWhen(text) }
}

private final class CollectingChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let collector: ResponseCollector

    init(collector: ResponseCollector) {
        self.collector = collector
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        collector.append(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        collector.close()
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension CollectingChannelHandler: Sendable {}
