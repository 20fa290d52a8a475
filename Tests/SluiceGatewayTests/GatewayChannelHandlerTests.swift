import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import SluiceGateway

/// `GatewayChannelHandler` on an `EmbeddedChannel`: keep-alive, pipelining, the client going away, read and
/// idle timeouts on the loop's virtual clock, limits, graceful close.
@Suite struct GatewayChannelHandlerTests {
    /// An exchange that records its events; the test answers through `connection`.
    final class RecordingExchange: GatewayExchange {
        let head: HTTPRequestHead
        let connection: GatewayChannelHandler
        var events: [String] = []
        init(head: HTTPRequestHead, connection: GatewayChannelHandler) {
            self.head = head
            self.connection = connection
        }
        func start() { events.append("start \(head.uri)") }
        func requestBodyPart(_ part: ByteBuffer) { events.append("body \(String(buffer: part))") }
        func requestEnd() { events.append("end") }
        func clientWritabilityChanged(isWritable: Bool) {}
        func clientClosed() { events.append("client-closed") }

        func reply(_ text: String = "ok") {
            connection.respond(status: .ok, body: ByteBuffer(string: text))
        }
    }

    final class Exchanges {
        var all: [RecordingExchange] = []
    }

    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = HTTPServerResponsePart
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    struct Setup {
        let loop: EmbeddedEventLoop
        let channel: EmbeddedChannel
        let exchanges: Exchanges
        let reads: ReadCounter
    }

    static let limits = GatewayChannelHandler.Limits(
        maxHeaderBytes: 1024,
        maxRequestBodyBytes: 4096,
        idleTimeout: .seconds(60),
        readTimeout: .seconds(10)
    )

    static func setUp() throws -> Setup {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let exchanges = Exchanges()
        let reads = ReadCounter()
        let handler = GatewayChannelHandler(limits: limits) { head, connection in
            let exchange = RecordingExchange(head: head, connection: connection)
            exchanges.all.append(exchange)
            return exchange
        }
        try channel.pipeline.syncOperations.addHandlers([reads, handler])
        try channel.connect(to: SocketAddress(ipAddress: "10.0.0.1", port: 40000)).wait()
        return Setup(loop: loop, channel: channel, exchanges: exchanges, reads: reads)
    }

    static func get(_ uri: String, headers: [(String, String)] = []) -> HTTPServerRequestPart {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: uri)
        head.headers.add(name: "Host", value: "gateway.test")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        return .head(head)
    }

    static func post(_ uri: String, length: Int) -> HTTPServerRequestPart {
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: uri)
        head.headers.add(name: "Host", value: "gateway.test")
        head.headers.add(name: "Content-Length", value: String(length))
        return .head(head)
    }

    /// The response parts written so far: status, headers, body text, and whether it ended.
    static func response(_ channel: EmbeddedChannel) throws -> (HTTPResponseHead?, String, Bool) {
        var head: HTTPResponseHead?
        var body = ""
        var ended = false
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            switch part {
            case .head(let value): head = value
            case .body(.byteBuffer(let buffer)): body += String(buffer: buffer)
            case .body: break
            case .end: ended = true
            }
        }
        return (head, body, ended)
    }

    @Test func requestIsServedAndTheConnectionStaysOpen() throws {
        let setup = try Self.setUp()
        try setup.channel.writeInbound(Self.get("/a"))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        let exchange = try #require(setup.exchanges.all.first)
        #expect(exchange.events == ["start /a", "end"])
        exchange.reply("hello")
        let (head, body, ended) = try Self.response(setup.channel)
        #expect(head?.status == .ok && body == "hello" && ended)
        #expect(head?.headers.first(name: "Content-Length") == "5")
        #expect(head?.headers.first(name: "Connection") == nil)
        #expect(setup.channel.isActive)
    }

    @Test func pipelinedRequestWaitsForThePreviousResponse() throws {
        let setup = try Self.setUp()
        for part in [Self.get("/1"), .end(nil), Self.get("/2"), .end(nil)] { try setup.channel.writeInbound(part) }
        #expect(setup.exchanges.all.count == 1)
        // The socket is not read while a pipelined request waits.
        let readsBefore = setup.reads.reads
        setup.channel.read()
        #expect(setup.reads.reads == readsBefore)
        setup.exchanges.all[0].reply("one")
        #expect(setup.exchanges.all.count == 1)  // delivered from the event loop, not from inside the reply
        setup.loop.run()
        #expect(setup.exchanges.all.count == 2)
        #expect(setup.exchanges.all[1].events == ["start /2", "end"])
        #expect(setup.reads.reads == readsBefore + 1)  // the held read is issued once the queue is empty
        setup.exchanges.all[1].reply("two")
        #expect(try Self.response(setup.channel).1 == "onetwo")
    }

    @Test func clientGoingAwayTellsTheExchange() throws {
        let setup = try Self.setUp()
        try setup.channel.writeInbound(Self.post("/upload", length: 10))
        try setup.channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "12345")))
        try setup.channel.close().wait()
        #expect(setup.exchanges.all.first?.events == ["start /upload", "body 12345", "client-closed"])
    }

    @Test func slowRequestGets408OnTheVirtualClock() throws {
        let setup = try Self.setUp()
        try setup.channel.writeInbound(Self.post("/slow", length: 10))
        setup.loop.advanceTime(by: .seconds(9))
        #expect(try Self.response(setup.channel).0 == nil)
        setup.loop.advanceTime(by: .seconds(1))
        let (head, _, ended) = try Self.response(setup.channel)
        #expect(head?.status == .requestTimeout && ended)
        #expect(head?.headers.first(name: "Connection") == "close")
        #expect(setup.exchanges.all.first?.events.last == "client-closed")
        #expect(!setup.channel.isActive)
    }

    @Test func idleConnectionIsClosed() throws {
        let setup = try Self.setUp()
        try setup.channel.writeInbound(Self.get("/a"))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        setup.exchanges.all[0].reply()
        setup.loop.advanceTime(by: .seconds(59))
        #expect(setup.channel.isActive)
        setup.loop.advanceTime(by: .seconds(1))
        #expect(!setup.channel.isActive)
    }

    @Test func idleClockRestartsAfterEachResponseAndNeverCutsARequest() throws {
        let setup = try Self.setUp()
        // Two pipelined requests whose answers together take longer than the idle timeout.
        for part in [Self.get("/1"), .end(nil), Self.get("/2"), .end(nil)] { try setup.channel.writeInbound(part) }
        setup.loop.advanceTime(by: .seconds(59))
        setup.exchanges.all[0].reply("one")
        setup.loop.run()
        setup.loop.advanceTime(by: .seconds(59))
        #expect(setup.channel.isActive)  // 118 s since the connection opened, but never idle for 60
        setup.exchanges.all[1].reply("two")
        setup.loop.advanceTime(by: .seconds(59))
        #expect(setup.channel.isActive)
        setup.loop.advanceTime(by: .seconds(1))
        #expect(!setup.channel.isActive)
        #expect(try Self.response(setup.channel).1 == "onetwo")
    }

    @Test func oversizedHeadGets431AndNoExchange() throws {
        let setup = try Self.setUp()
        try setup.channel.writeInbound(Self.get("/a", headers: [("X-Big", String(repeating: "b", count: 2000))]))
        let (head, _, _) = try Self.response(setup.channel)
        #expect(head?.status == .requestHeaderFieldsTooLarge)
        #expect(setup.exchanges.all.isEmpty)
        #expect(!setup.channel.isActive)
    }

    @Test func announcedBodyOverTheLimitGets413() throws {
        let setup = try Self.setUp()
        try setup.channel.writeInbound(Self.post("/big", length: 5000))
        #expect(try Self.response(setup.channel).0?.status == .payloadTooLarge)
        #expect(setup.exchanges.all.isEmpty)
    }

    @Test func streamedBodyOverTheLimitGets413() throws {
        let setup = try Self.setUp()
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/chunked")
        head.headers.add(name: "Host", value: "gateway.test")
        head.headers.add(name: "Transfer-Encoding", value: "chunked")
        try setup.channel.writeInbound(HTTPServerRequestPart.head(head))
        try setup.channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: String(repeating: "x", count: 5000))))
        #expect(try Self.response(setup.channel).0?.status == .payloadTooLarge)
        #expect(setup.exchanges.all.first?.events == ["start /chunked", "client-closed"])
    }

    @Test func answerBeforeTheWholeBodyClosesTheConnection() throws {
        let setup = try Self.setUp()
        try setup.channel.writeInbound(Self.post("/early", length: 100))
        setup.exchanges.all[0].reply("refused")
        let (head, body, ended) = try Self.response(setup.channel)
        #expect(head?.headers.first(name: "Connection") == "close" && body == "refused" && ended)
        #expect(!setup.channel.isActive)
    }

    @Test func quiescingClosesAfterTheCurrentResponse() throws {
        let setup = try Self.setUp()
        try setup.channel.writeInbound(Self.get("/a"))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        setup.channel.pipeline.fireUserInboundEventTriggered(GatewayQuiesceEvent())
        #expect(setup.channel.isActive)
        setup.exchanges.all[0].reply()
        #expect(try Self.response(setup.channel).0?.headers.first(name: "Connection") == "close")
        #expect(!setup.channel.isActive)
    }

    @Test func quiescingAnIdleConnectionClosesIt() throws {
        let setup = try Self.setUp()
        setup.channel.pipeline.fireUserInboundEventTriggered(GatewayQuiesceEvent())
        #expect(!setup.channel.isActive)
    }

    @Test func malformedRequestGets400() throws {
        let setup = try Self.setUp()
        setup.channel.pipeline.fireErrorCaught(HTTPParserError.invalidMethod)
        #expect(try Self.response(setup.channel).0?.status == .badRequest)
        #expect(!setup.channel.isActive)
    }

    @Test func garbageAfterACompleteRequestStillGetsItsAnswer() throws {
        let setup = try Self.setUp()
        try setup.channel.writeInbound(Self.get("/a"))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        setup.channel.pipeline.fireErrorCaught(HTTPParserError.invalidMethod)
        setup.exchanges.all[0].reply("fine")
        let (head, body, _) = try Self.response(setup.channel)
        #expect(head?.status == .ok && body == "fine")
        #expect(head?.headers.first(name: "Connection") == "close")
    }

    @Test func expectContinueIsAnsweredByTheGateway() throws {
        let setup = try Self.setUp()
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/upload")
        head.headers.add(name: "Host", value: "gateway.test")
        head.headers.add(name: "Content-Length", value: "3")
        head.headers.add(name: "Expect", value: "100-continue")
        try setup.channel.writeInbound(HTTPServerRequestPart.head(head))
        #expect(try Self.response(setup.channel).0?.status == .continue)
    }

    /// An upstream connection that completes after the client left asks the connection for its event loop (for
    /// the pool) once the handler is out of the pipeline: it must still get it, not crash the process.
    @Test func theEventLoopOutlivesTheClientConnection() throws {
        let setup = try Self.setUp()
        try setup.channel.writeInbound(Self.get("/slow"))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        let exchange = try #require(setup.exchanges.all.first)
        _ = try? setup.channel.finish()
        #expect(exchange.events.last == "client-closed")
        #expect(exchange.connection.eventLoop === setup.loop)
    }

    @Test func http10ClientsAreToldTheConnectionStays() throws {
        let setup = try Self.setUp()
        var head = HTTPRequestHead(version: .http1_0, method: .GET, uri: "/old")
        head.headers.add(name: "Connection", value: "keep-alive")
        try setup.channel.writeInbound(HTTPServerRequestPart.head(head))
        try setup.channel.writeInbound(HTTPServerRequestPart.end(nil))
        setup.exchanges.all[0].connection.writeResponseHead(status: .ok, headers: HTTPHeaders(), version: .http1_0)
        setup.exchanges.all[0].connection.finishResponse()
        #expect(try Self.response(setup.channel).0?.headers.first(name: "Connection") == "keep-alive")
    }
}

/// Host checks in the gateway's connection handler (issue #12 item 10): refused before any exchange starts.
@Suite struct GatewayChannelHandlerHostTests {
    @Test(arguments: [[], ["a", "b"], ["a:99999"]] as [[String]])
    func badHostsAre400WithoutAnExchange(hosts: [String]) throws {
        let setup = try GatewayChannelHandlerTests.setUp()
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/x")
        for host in hosts { head.headers.add(name: "Host", value: host) }
        try setup.channel.writeInbound(HTTPServerRequestPart.head(head))
        guard case .head(let response) = try setup.channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no response")
            return
        }
        #expect(response.status == .badRequest)
        #expect(setup.exchanges.all.isEmpty)
        #expect(!setup.channel.isActive)
    }
}
