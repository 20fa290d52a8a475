import NIOCore
import NIOHTTP1

/// Answers the sample PizzaShack API and the benchmark path, one HTTP/1.1 request at a time per connection.
final class PizzaShackChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let menu = """
        [{"name":"BBQ Chicken Bacon","description":"Grilled white chicken, hickory-smoked bacon and fresh sliced onions \
        in barbeque sauce","price":"24.99","icon":"/images/6.png"},{"name":"Chicken Parmesan","description":"Grilled \
        chicken, fresh tomatoes, feta and mozzarella cheese","price":"16.99","icon":"/images/1.png"},{"name":"Spicy \
        Italian","description":"Pepperoni and a double portion of spicy Italian sausage","price":"20.99",\
        "icon":"/images/2.png"},{"name":"Tuscan Six Cheese","description":"Six cheese blend of mozzarella, Parmesan, \
        Romano, Asiago and Fontina","price":"14.99","icon":"/images/3.png"}]
        """
    private static let benchBody = String(repeating: "x", count: 1024)

    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var nextOrderID: Int

    init(firstOrderID: Int) {
        self.nextOrderID = firstOrderID
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            // Orders are small; a cap keeps a misbehaving client from growing the buffer without bound.
            if body.readableBytes < 1 << 20 { body.writeBuffer(&chunk) }
        case .end:
            guard let head else { return }
            self.head = nil
            let (status, contentType, text) = answer(head)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(.init(version: head.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
            let keepAlive = head.isKeepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }

    private func answer(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String, String) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let segments = path.split(separator: "/").map(String.init)
        let json = "application/json"
        let isOrderWithID = segments.count == 3 && segments[0] == "pizzashack" && segments[1] == "order"
        switch head.method {
        case .GET where segments == ["bench", "1k"], .POST where segments == ["bench", "1k"]:
            // The benchmark's mediation scenario posts a JSON body; the answer is the same 1 KiB either way.
            return (.ok, "text/plain", Self.benchBody)
        case .GET where segments == ["pizzashack", "menu"]:
            return (.ok, json, Self.menu)
        case .POST where segments == ["pizzashack", "order"]:
            let order = body.readString(length: body.readableBytes) ?? ""
            let id = nextOrderID
            nextOrderID += 1
            let escaped = order.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            return (.created, json, #"{"orderId":"\#(id)","status":"accepted","order":"\#(escaped)"}"#)
        case .GET where isOrderWithID:
            return (.ok, json, #"{"orderId":"\#(segments[2])","pizzaType":"Chicken Parmesan","quantity":1,"delivered":false}"#)
        case .DELETE where isOrderWithID:
            return (.ok, json, #"{"orderId":"\#(segments[2])","status":"cancelled"}"#)
        default:
            return (.notFound, json, #"{"error":"no such resource","path":"\#(path)"}"#)
        }
    }
}

@available(*, unavailable)
extension PizzaShackChannelHandler: Sendable {}
