import NIOCore
import NIOHTTP1

/// Encodes the requests a backend connection sends, in place of NIO's `HTTPRequestEncoder`: the head into a buffer
/// the connection keeps and reuses (`HTTP1MessageWriter`), so a pooled connection allocates nothing to encode a
/// head after its first request. It sits where NIO's encoder would, below the response decoder (which watches the
/// request heads go by to parse the answers to HEAD) and the header validator (which still refuses a header NIO
/// would refuse before anything is encoded).
final class UpstreamRequestEncoder: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = IOData

    private var writer = HTTP1MessageWriter()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            writer.writeHead(head, context: context, promise: promise)
        case .body(let part):
            writer.writeBodyPart(part, context: context, promise: promise)
        case .end(let trailers):
            writer.writeEnd(trailers, context: context, promise: promise)
        }
    }
}

@available(*, unavailable)
extension UpstreamRequestEncoder: Sendable {}
