import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import SluiceGateway

/// The gateway's own HTTP/1 encoders on an `EmbeddedChannel`: the bytes of heads and bodies (lengths, chunks,
/// trailers), bodyless answers to HEAD, the head buffer reused once the socket let go of it and never overwritten
/// while queued, and NIO's header validators still refusing what cannot be sent.
@Suite struct HTTP1EncoderTests {
    /// Everything written so far, as one string.
    static func written(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += buffer.readString(length: buffer.readableBytes) ?? ""
        }
        return text
    }

    static func response(_ status: HTTPResponseStatus, _ headers: HTTPHeaders) -> HTTPServerResponsePart {
        .head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))
    }

    static func request(_ method: HTTPMethod) -> HTTPServerRequestPart {
        .head(HTTPRequestHead(version: .http1_1, method: method, uri: "/menu"))
    }

    static func address(_ buffer: ByteBuffer) -> UInt {
        buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
    }

    @Test func responseWithALengthGoesOutAsItIs() throws {
        let channel = EmbeddedChannel(handler: GatewayResponseEncoder())
        try channel.writeInbound(Self.request(.GET))
        try channel.writeOutbound(Self.response(.ok, ["Content-Length": "5", "X-Dish": "pizza"]))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "hello"))))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(try Self.written(channel) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Dish: pizza\r\n\r\nhello")
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == Self.request(.GET))
    }

    @Test func chunkedBodyIsFramedAndEmptyPartsAreNoChunk() throws {
        let channel = EmbeddedChannel(handler: GatewayResponseEncoder())
        try channel.writeInbound(Self.request(.GET))
        try channel.writeOutbound(Self.response(.custom(code: 299, reasonPhrase: "Fine"), ["Transfer-Encoding": "chunked"]))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "abc"))))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer())))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: String(repeating: "z", count: 300)))))
        try channel.writeOutbound(HTTPServerResponsePart.end(["X-Total": "303"]))
        let expected =
            "HTTP/1.1 299 Fine\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n12c\r\n" + String(repeating: "z", count: 300)
            + "\r\n0\r\nX-Total: 303\r\n\r\n"
        #expect(try Self.written(channel) == expected)
        // The next response without a transfer coding is not chunked.
        try channel.writeInbound(Self.request(.GET))
        try channel.writeOutbound(Self.response(.ok, ["Content-Length": "2"]))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "ok"))))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(try Self.written(channel) == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    }

    @Test func answersToHeadCarryNoBodyWhateverTheyAnnounce() throws {
        let channel = EmbeddedChannel(handler: GatewayResponseEncoder())
        // Pipelined: HEAD then GET; an informational head answers neither.
        try channel.writeInbound(Self.request(.HEAD))
        try channel.writeInbound(Self.request(.GET))
        try channel.writeOutbound(Self.response(.continue, [:]))
        try channel.writeOutbound(Self.response(.ok, ["Transfer-Encoding": "chunked"]))
        let refused = channel.eventLoop.makePromise(of: Void.self)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "no"))), promise: refused)
        #expect(throws: GatewayResponseEncoder.BodyNotAllowed.self) { try refused.futureResult.wait() }
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(
            try Self.written(channel)
                == "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        try channel.writeOutbound(Self.response(.ok, ["Transfer-Encoding": "chunked"]))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "yes"))))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(try Self.written(channel) == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nyes\r\n0\r\n\r\n")
    }

    @Test func theHeadBufferIsReusedOnceWrittenAndNeverOverwrittenWhileQueued() throws {
        let channel = EmbeddedChannel(handler: GatewayResponseEncoder())
        try channel.writeInbound(Self.request(.GET))
        try channel.writeInbound(Self.request(.GET))
        try channel.writeInbound(Self.request(.GET))
        try channel.writeOutbound(Self.response(.ok, ["Content-Length": "0", "X-Long": String(repeating: "l", count: 40)]))
        let first = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let firstAddress = Self.address(first)
        // The first head is still held (queued in the socket): the second goes into a buffer of its own.
        try channel.writeOutbound(Self.response(.accepted, ["Content-Length": "0"]))
        let second = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: first) == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Long: \(String(repeating: "l", count: 40))\r\n\r\n")
        #expect(String(buffer: second) == "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")
        #expect(Self.address(second) != firstAddress)
        // Once nothing else holds it, the next head is written into the same bytes.
        let secondAddress = Self.address(second)
        _ = consume second
        try channel.writeOutbound(Self.response(.noContent, [:]))
        let third = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: third) == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(Self.address(third) == secondAddress)
    }

    @Test func requestHeadAndChunkedBodyToTheBackend() throws {
        let channel = EmbeddedChannel(handler: UpstreamRequestEncoder())
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/orders?x=1")
        head.headers.add(name: "Host", value: "backend:8080")
        head.headers.add(name: "Transfer-Encoding", value: "chunked")
        try channel.writeOutbound(HTTPClientRequestPart.head(head))
        try channel.writeOutbound(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: "0123456789abcdef"))))
        try channel.writeOutbound(HTTPClientRequestPart.end(nil))
        #expect(
            try Self.written(channel)
                == "POST /orders?x=1 HTTP/1.1\r\nHost: backend:8080\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n"
        )
        // A watched end of a request with a length completes in order with an empty write.
        try channel.writeOutbound(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_0, method: .RAW(value: "BREW"), uri: "/pot")))
        let ended = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: ended)
        try ended.futureResult.wait()
        #expect(try Self.written(channel) == "BREW /pot HTTP/1.0\r\n\r\n")
    }

    @Test func headersNIOWouldNotSendAreStillRefused() throws {
        let server = EmbeddedChannel()
        try server.pipeline.syncOperations.addHandlers([GatewayResponseEncoder(), NIOHTTPResponseHeadersValidator()])
        try server.writeInbound(Self.request(.GET))
        #expect(throws: (any Error).self) {
            try server.writeOutbound(Self.response(.ok, ["X-Split": "a\r\nInjected: yes"]))
        }
        #expect(try Self.written(server).isEmpty)
        let client = EmbeddedChannel()
        try client.pipeline.syncOperations.addHandlers([UpstreamRequestEncoder(), NIOHTTPRequestHeadersValidator()])
        let bad = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Bad Name": "x"])
        #expect(throws: (any Error).self) { try client.writeOutbound(HTTPClientRequestPart.head(bad)) }
        #expect(try Self.written(client).isEmpty)
    }
}
