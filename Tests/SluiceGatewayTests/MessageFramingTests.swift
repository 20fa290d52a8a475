import NIOCore
import NIOHTTP1
import Testing

@testable import SluiceGateway

/// The framing headers the gateway sets on the heads it writes, as NIO's encoders would (they run with automatic
/// framing off): a length is kept, a transfer coding next to it dropped, a body without a length chunked on
/// HTTP/1.1, and bodyless messages carry neither.
@Suite struct MessageFramingTests {
    static func headers(_ pairs: [(String, String)]) -> HTTPHeaders { HTTPHeaders(pairs) }

    static func response(_ pairs: [(String, String)], _ status: HTTPResponseStatus, version: HTTPVersion = .http1_1,
                         method: HTTPMethod = .GET) -> [String] {
        var headers = Self.headers(pairs)
        MessageFraming.frameResponse(&headers, status: status, version: version, requestMethod: method)
        return headers.map { "\($0.name.lowercased()): \($0.value)" }
    }

    static func request(_ pairs: [(String, String)], _ method: HTTPMethod) -> [String] {
        var headers = Self.headers(pairs)
        MessageFraming.frameRequest(&headers, method: method, version: .http1_1)
        return headers.map { "\($0.name.lowercased()): \($0.value)" }
    }

    @Test func responsesKeepTheirLengthAndAreChunkedWithoutOne() {
        #expect(Self.response([("Content-Length", "5"), ("X-A", "1")], .ok) == ["content-length: 5", "x-a: 1"])
        #expect(Self.response([("Content-Length", "5"), ("Transfer-Encoding", "chunked")], .ok) == ["content-length: 5"])
        #expect(Self.response([("X-A", "1")], .ok) == ["x-a: 1", "transfer-encoding: chunked"])
        #expect(Self.response([("Transfer-Encoding", "chunked")], .ok) == ["transfer-encoding: chunked"])
        #expect(Self.response([("Transfer-Encoding", "gzip")], .ok) == ["transfer-encoding: chunked"])
        // HTTP/1.0 has no chunked coding: the body runs to the close.
        #expect(Self.response([("X-A", "1")], .ok, version: .http1_0) == ["x-a: 1"])
        // A HEAD response may announce what the GET would answer.
        #expect(Self.response([("Content-Length", "5")], .ok, method: .HEAD) == ["content-length: 5"])
    }

    @Test func bodylessResponsesCarryNeitherHeader() {
        for status in [HTTPResponseStatus.noContent, .notModified, .continue, .custom(code: 199, reasonPhrase: "x")] {
            #expect(Self.response([("Content-Length", "0"), ("Transfer-Encoding", "chunked"), ("X-A", "1")], status) == ["x-a: 1"])
        }
        #expect(Self.response([("Content-Length", "0")], .ok, method: .CONNECT).isEmpty)
    }

    @Test func requestsWithBodyMethodsAreChunkedWithoutALength() {
        #expect(Self.request([], .POST) == ["transfer-encoding: chunked"])
        #expect(Self.request([("Content-Length", "3")], .PUT) == ["content-length: 3"])
        #expect(Self.request([("Content-Length", "3"), ("Transfer-Encoding", "chunked")], .PATCH) == ["content-length: 3"])
        #expect(Self.request([], .GET).isEmpty)
        #expect(Self.request([], .DELETE).isEmpty)
        #expect(Self.request([("Transfer-Encoding", "chunked")], .DELETE) == ["transfer-encoding: chunked"])
        #expect(Self.request([("Content-Length", "3")], .TRACE).isEmpty)
    }

    static func get(_ uri: String, headers: HTTPHeaders = [:]) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: ["Host": "gateway"])
        head.headers.add(contentsOf: headers)
        return head
    }

    @Test func theChannelHandlerFramesTheHeadsItWrites() throws {
        let setup = try GatewayChannelHandlerTests.setUp()
        try setup.channel.writeInbound(HTTPServerRequestPart.head(Self.get("/a")))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        setup.exchanges.all[0].connection.writeResponseHead(
            status: .noContent, headers: ["Content-Length": "0", "X-A": "1"], version: .http1_1
        )
        setup.exchanges.all[0].connection.finishResponse()
        let head = try #require(try GatewayChannelHandlerTests.response(setup.channel).0)
        #expect(head.status == .noContent)
        #expect(head.headers.map(\.name) == ["X-A"])

        try setup.channel.writeInbound(HTTPServerRequestPart.head(Self.get("/b")))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        setup.exchanges.all[1].connection.writeResponseHead(status: .ok, headers: ["X-B": "2"], version: .http1_1)
        setup.exchanges.all[1].connection.finishResponse()
        let streamed = try #require(try GatewayChannelHandlerTests.response(setup.channel).0)
        #expect(streamed.headers.first(name: "Transfer-Encoding") == "chunked")
    }

    /// The bits of a head value: equal only when both are the same storage (no head was built).
    static func identity(_ head: HTTPResponseHead) -> [UInt8] {
        withUnsafeBytes(of: head) { Array($0) }
    }

    @Test func aHeadNeedingNothingGoesOutAsItIsAndOneNeedingACloseIsRebuilt() throws {
        let setup = try GatewayChannelHandlerTests.setUp()
        let backend = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "2", "X-A": "1"])
        try setup.channel.writeInbound(HTTPServerRequestPart.head(Self.get("/a")))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        setup.exchanges.all[0].connection.writeResponseHead(backend)
        setup.exchanges.all[0].connection.finishResponse()
        let passed = try #require(try GatewayChannelHandlerTests.response(setup.channel).0)
        #expect(Self.identity(passed) == Self.identity(backend))

        // The client asked to close: the same head gets `Connection: close`, in a head of its own.
        try setup.channel.writeInbound(HTTPServerRequestPart.head(Self.get("/b", headers: ["Connection": "close"])))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        setup.exchanges.all[1].connection.writeResponseHead(backend)
        setup.exchanges.all[1].connection.finishResponse()
        let closing = try #require(try GatewayChannelHandlerTests.response(setup.channel).0)
        #expect(Self.identity(closing) != Self.identity(backend))
        #expect(closing.headers.first(name: "Connection") == "close")
        #expect(backend.headers.first(name: "Connection") == nil)
    }

    @Test func aHeadToFrameIsRebuiltFramed() throws {
        let setup = try GatewayChannelHandlerTests.setUp()
        let backend = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["X-A": "1"])
        try setup.channel.writeInbound(HTTPServerRequestPart.head(Self.get("/a")))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        setup.exchanges.all[0].connection.writeResponseHead(backend)
        setup.exchanges.all[0].connection.finishResponse()
        let framed = try #require(try GatewayChannelHandlerTests.response(setup.channel).0)
        #expect(framed.headers.first(name: "Transfer-Encoding") == "chunked")
        #expect(!backend.headers.contains(name: "Transfer-Encoding"))
    }
}
