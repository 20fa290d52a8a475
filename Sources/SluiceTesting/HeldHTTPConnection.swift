import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A client connection that sends one request and stays open: for tests of connection caps, where what
/// matters is whether the server answered (and keeps the connection) or closed it unanswered.
public final class HeldHTTPConnection: Sendable {
    private let channel: any Channel
    private let recorder: Recorder

    private init(channel: any Channel, recorder: Recorder) {
        self.channel = channel
        self.recorder = recorder
    }

    /// Connects to `host:port` and writes `request` (a keep-alive request, so an answer keeps the connection).
    public static func open(host: String = "127.0.0.1", port: Int, request: String) async throws -> HeldHTTPConnection {
        let recorder = Recorder()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(recorder) }
            .connect(host: host, port: port)
            .get()
        // The server may close before or while we write: that is one of the outcomes.
        try? await channel.writeAndFlush(ByteBuffer(string: request))
        return HeldHTTPConnection(channel: channel, recorder: recorder)
    }

    /// Waits until the server answered (true) or closed the connection without a byte (false).
    public func outcome() async throws -> Bool {
        while true {
            if recorder.answered.withLockedValue({ $0 }) { return true }
            if !channel.isActive { return recorder.answered.withLockedValue { $0 } }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Closes the connection.
    public func close() async {
        try? await channel.close()
    }

    private final class Recorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let answered = NIOLockedValueBox(false)

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            answered.withLockedValue { $0 = true }
        }
    }
}
