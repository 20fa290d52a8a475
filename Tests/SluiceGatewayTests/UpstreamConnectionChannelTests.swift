import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import SluiceGateway

/// `UpstreamConnection` on an `EmbeddedChannel`: the exchange as the backend sees it, the pool hand-back, the
/// response timeout on the loop's virtual clock, resets, protocol errors and read backpressure.
@Suite struct UpstreamConnectionChannelTests {
    /// Records what the connection tells the exchange.
    final class RecordingDelegate: UpstreamResponseDelegate {
        var events: [String] = []
        func upstream(_ connection: UpstreamConnection, didReceiveHead head: HTTPResponseHead) {
            events.append("head \(head.status.code)")
        }
        func upstream(_ connection: UpstreamConnection, didReceiveBodyPart part: ByteBuffer) {
            events.append("body \(String(buffer: part))")
        }
        func upstreamDidFinishResponse(_ connection: UpstreamConnection) { events.append("end") }
        func upstream(_ connection: UpstreamConnection, didFail error: UpstreamError) { events.append("fail \(error)") }
        func upstreamWritabilityChanged(_ connection: UpstreamConnection) {}
        func upstreamReadComplete(_ connection: UpstreamConnection) { events.append("read-complete") }
    }

    /// Counts the reads that get past the connection (it sits behind this handler).
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = HTTPClientRequestPart
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    struct Setup {
        let loop: EmbeddedEventLoop
        let channel: EmbeddedChannel
        let connection: UpstreamConnection
        let reads: ReadCounter
        let delegate = RecordingDelegate()
        let pool: UpstreamConnectionPool
    }

    static func setUp() throws -> Setup {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let reads = ReadCounter()
        let connection = UpstreamConnection(key: UpstreamKey(host: "backend", port: 80))
        try channel.pipeline.syncOperations.addHandlers([reads, connection])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9000)).wait()
        let pool = UpstreamConnectionPool(eventLoop: loop, connectTimeout: .seconds(1), maxIdlePerKey: 4)
        connection.pool = pool
        return Setup(loop: loop, channel: channel, connection: connection, reads: reads, pool: pool)
    }

    static func head(_ method: HTTPMethod = .GET, keepAlive: Bool = true) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: "/menu")
        if !keepAlive { head.headers.add(name: "Connection", value: "close") }
        return head
    }

    @Test func exchangeGoesOutAndTheConnectionReturnsToThePool() throws {
        let setup = try Self.setUp()
        #expect(setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(30), delegate: setup.delegate))
        #expect(try setup.channel.readOutbound(as: HTTPClientRequestPart.self) == .head(Self.head()))
        #expect(try setup.channel.readOutbound(as: HTTPClientRequestPart.self) == .end(nil))
        // Busy: a second request is refused without writing.
        #expect(!setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(30), delegate: setup.delegate))
        try setup.channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try setup.channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: "pizza")))
        try setup.channel.writeInbound(HTTPClientResponsePart.end(nil))
        // The read-complete after the end is not passed on: the exchange is over by then.
        #expect(setup.delegate.events == ["head 200", "read-complete", "body pizza", "read-complete", "end"])
        #expect(setup.connection.isIdle && setup.connection.completedExchanges == 1)
        #expect(setup.pool.takeIdle(setup.connection.key) === setup.connection)
        // The pooled connection takes the next exchange.
        #expect(setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(30), delegate: setup.delegate))
    }

    @Test func streamedRequestBodyEndsTheRequest() throws {
        let setup = try Self.setUp()
        #expect(setup.connection.startRequest(Self.head(.POST), hasBody: true, timeout: .seconds(30), delegate: setup.delegate))
        setup.connection.writeBodyPart(ByteBuffer(string: "order"))
        setup.connection.finishRequest()
        #expect(try setup.channel.readOutbound(as: HTTPClientRequestPart.self) == .head(Self.head(.POST)))
        #expect(try setup.channel.readOutbound(as: HTTPClientRequestPart.self) == .body(.byteBuffer(ByteBuffer(string: "order"))))
        #expect(try setup.channel.readOutbound(as: HTTPClientRequestPart.self) == .end(nil))
        // After the end nothing more goes out.
        setup.connection.writeBodyPart(ByteBuffer(string: "extra"))
        #expect(try setup.channel.readOutbound(as: HTTPClientRequestPart.self) == nil)
    }

    @Test func aWholeBodyLeavesWithItsHeadInOneFlush() throws {
        let setup = try Self.setUp()
        let started = setup.connection.startRequest(
            Self.head(.POST), hasBody: true, timeout: .seconds(30), flushHead: false, delegate: setup.delegate
        )
        #expect(started)
        // Nothing flushed yet: the head waits for the body.
        #expect(try setup.channel.readOutbound(as: HTTPClientRequestPart.self) == nil)
        setup.connection.writeBodyPart(ByteBuffer(string: "order"))
        #expect(try setup.channel.readOutbound(as: HTTPClientRequestPart.self) == .head(Self.head(.POST)))
        #expect(try setup.channel.readOutbound(as: HTTPClientRequestPart.self) == .body(.byteBuffer(ByteBuffer(string: "order"))))
        setup.connection.finishRequest()
        #expect(try setup.channel.readOutbound(as: HTTPClientRequestPart.self) == .end(nil))

        // A streamed body's head goes out at once, before any part of it.
        let streamed = try Self.setUp()
        #expect(streamed.connection.startRequest(Self.head(.POST), hasBody: true, timeout: .seconds(30), delegate: streamed.delegate))
        #expect(try streamed.channel.readOutbound(as: HTTPClientRequestPart.self) == .head(Self.head(.POST)))
    }

    @Test func responseTimeoutFailsTheExchangeOnTheVirtualClock() throws {
        let setup = try Self.setUp()
        _ = setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(5), delegate: setup.delegate)
        setup.loop.advanceTime(by: .seconds(4))
        #expect(setup.delegate.events.isEmpty)
        setup.loop.advanceTime(by: .seconds(1))
        #expect(setup.delegate.events == ["fail responseTimeout"])
        #expect(!setup.channel.isActive)
    }

    @Test func timerArmedForAnEarlierExchangeReArmsForTheNextOne() throws {
        let setup = try Self.setUp()
        _ = setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(5), delegate: setup.delegate)
        try setup.channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try setup.channel.writeInbound(HTTPClientResponsePart.end(nil))
        setup.loop.advanceTime(by: .seconds(3))
        _ = setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(5), delegate: setup.delegate)
        setup.loop.advanceTime(by: .seconds(2))  // the first timer fires, finds the new deadline ahead and re-arms
        #expect(setup.channel.isActive)
        setup.loop.advanceTime(by: .seconds(3))
        #expect(setup.delegate.events.last == "fail responseTimeout")
    }

    @Test func shorterTimeoutAfterALongerOneFiresOnTime() throws {
        let setup = try Self.setUp()
        _ = setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(600), delegate: setup.delegate)
        try setup.channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try setup.channel.writeInbound(HTTPClientResponsePart.end(nil))
        _ = setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(1), delegate: setup.delegate)
        setup.loop.advanceTime(by: .milliseconds(999))
        #expect(setup.delegate.events.last == "end")
        setup.loop.advanceTime(by: .milliseconds(1))  // not the 600 s timer of the first exchange
        #expect(setup.delegate.events.last == "fail responseTimeout")
        #expect(!setup.channel.isActive)
    }

    @Test func backendResetFailsTheExchange() throws {
        let setup = try Self.setUp()
        _ = setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(30), delegate: setup.delegate)
        try setup.channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try setup.channel.close().wait()
        #expect(setup.delegate.events.filter { $0 != "read-complete" } == ["head 200", "fail connectionClosed"])
    }

    @Test func resetOfAnIdleConnectionTellsNoExchange() throws {
        let setup = try Self.setUp()
        setup.pool.release(setup.connection)
        #expect(setup.pool.idleCount(for: setup.connection.key) == 1)
        try setup.channel.close().wait()
        #expect(setup.delegate.events.isEmpty)
        #expect(setup.pool.idleCount(for: setup.connection.key) == 0)
    }

    @Test func bytesThatAreNotHTTPAreAProtocolViolation() throws {
        let setup = try Self.setUp()
        _ = setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(30), delegate: setup.delegate)
        setup.channel.pipeline.fireErrorCaught(HTTPParserError.invalidStatus)
        #expect(setup.delegate.events.count == 1)
        #expect(setup.delegate.events.first?.hasPrefix("fail protocolViolation") == true)
        #expect(!setup.channel.isActive)
    }

    @Test func truncatedResponseIsAClosedConnection() throws {
        let setup = try Self.setUp()
        _ = setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(30), delegate: setup.delegate)
        setup.channel.pipeline.fireErrorCaught(HTTPParserError.invalidEOFState)
        #expect(setup.delegate.events == ["fail connectionClosed"])
    }

    @Test func connectionCloseResponseIsNotPooled() throws {
        let setup = try Self.setUp()
        _ = setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(30), delegate: setup.delegate)
        var head = HTTPResponseHead(version: .http1_1, status: .ok)
        head.headers.add(name: "Connection", value: "close")
        try setup.channel.writeInbound(HTTPClientResponsePart.head(head))
        try setup.channel.writeInbound(HTTPClientResponsePart.end(nil))
        #expect(setup.delegate.events == ["head 200", "read-complete", "end"])
        #expect(setup.pool.idleCount(for: setup.connection.key) == 0)
        #expect(!setup.channel.isActive)
    }

    @Test func pausedReadingHoldsTheSocketUntilResumed() throws {
        let setup = try Self.setUp()
        setup.channel.read()
        #expect(setup.reads.reads == 1)
        setup.connection.pauseReading()
        setup.channel.read()
        #expect(setup.reads.reads == 1)
        setup.connection.resumeReading()
        #expect(setup.reads.reads == 2)
    }

    @Test func abandonedConnectionClosesAndTellsNobody() throws {
        let setup = try Self.setUp()
        _ = setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(30), delegate: setup.delegate)
        setup.connection.abandon()
        #expect(!setup.channel.isActive)
        #expect(setup.delegate.events.isEmpty)
    }

    /// Holds the request's end as a socket too full to take it would, then fails it as NIO does when the socket
    /// turns out reset: the queued write's promise first, then the channel's close.
    final class FailingEnd: ChannelOutboundHandler {
        typealias OutboundIn = HTTPClientRequestPart
        var queued: (ChannelHandlerContext, EventLoopPromise<Void>?)?
        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            guard case .end = unwrapOutboundIn(data) else { return context.write(data, promise: promise) }
            queued = (context, promise)
        }
        func failQueuedWrite() {
            guard let (context, promise) = queued else { return }
            promise?.fail(ChannelError.ioOnClosedChannel)
            context.close(promise: nil)
        }
    }

    @Test(arguments: [true, false])
    func aFailedEndIsSendingFailedOnlyWhenWatched(watchEnd: Bool) throws {
        let setup = try Self.setUp()
        let failing = FailingEnd()
        try setup.channel.pipeline.syncOperations.addHandler(failing, position: .first)
        #expect(
            setup.connection.startRequest(Self.head(), hasBody: false, timeout: .seconds(30), watchEnd: watchEnd, delegate: setup.delegate)
        )
        failing.failQueuedWrite()
        #expect(setup.delegate.events.count == 1)
        let event = try #require(setup.delegate.events.first)
        // Unwatched, the close tells the exchange, which then retries a pooled connection's first try.
        #expect(watchEnd ? event.hasPrefix("fail sendingFailed") : event == "fail connectionClosed")
        #expect(!setup.channel.isActive)
    }
}
