import NIOCore
import NIOHTTP1

/// Encodes the responses a client connection gets, in place of NIO's `HTTPResponseEncoder`: the head into a buffer
/// the connection keeps and reuses (`HTTP1MessageWriter`), so a keep-alive connection allocates nothing to encode a
/// head after its first response.
///
/// It sits right after the request decoder and watches the decoded request heads go by, as NIO's encoder is told
/// them by its paired decoder: the answer to a HEAD or CONNECT request gets no body, whatever its head announces
/// (a body written anyway is refused, as NIO's encoder refuses it). A non-final informational head (`100 Continue`)
/// answers no request on its own.
final class GatewayResponseEncoder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = IOData

    /// Refused body of a response to HEAD or CONNECT.
    struct BodyNotAllowed: Error {}

    private var writer = HTTP1MessageWriter()
    /// For each request not answered yet, in order: whether its answer is bodyless (HEAD, CONNECT).
    private var bodylessAnswers = CircularBuffer<Bool>(initialCapacity: 4)
    /// The response being written answers a HEAD or CONNECT request.
    private var suppressesBody = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            bodylessAnswers.append(head.method == .HEAD || head.method == .CONNECT)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            let code = head.status.code
            if !(100..<200).contains(code) || code == 101 {
                // A head answering no decoded request (a malformed one's 400) is framed as for a GET.
                suppressesBody = bodylessAnswers.popFirst() ?? false
            }
            writer.writeHead(head, bodyless: suppressesBody, context: context, promise: promise)
        case .body(let part):
            guard !suppressesBody else {
                promise?.fail(BodyNotAllowed())
                return
            }
            writer.writeBodyPart(part, context: context, promise: promise)
        case .end(let trailers):
            suppressesBody = false
            writer.writeEnd(trailers, context: context, promise: promise)
        }
    }
}

@available(*, unavailable)
extension GatewayResponseEncoder: Sendable {}
