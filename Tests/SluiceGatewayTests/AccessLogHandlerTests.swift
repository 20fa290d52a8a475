import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Synchronization
import Testing

@testable import SluiceGateway

/// The access-log handler on an `EmbeddedChannel`: correlation ids added or kept, a record per response with
/// status, bytes, latency from the injected clock and the exchange's annotation, pipelined requests in order,
/// and a full buffer dropping and counting instead of waiting.
@Suite struct AccessLogHandlerTests {
    final class Clock: Sendable {
        let micros = Atomic<Int64>(0)
        func advance(_ value: Int64) { micros.add(value, ordering: .relaxed) }
        var deadline: NIODeadline { .uptimeNanoseconds(UInt64(1_000_000 + micros.load(ordering: .relaxed) * 1000)) }
    }

    static func channel(_ settings: AccessLogSettings, clock: Clock) throws -> (EmbeddedChannel, GatewayAccessLog) {
        let ids = Atomic<Int>(0)
        let log = try GatewayAccessLog(
            settings: settings,
            clock: EpochClock { 1_700_000_000_000 },
            now: { clock.deadline },
            makeCorrelationID: { "id-\(ids.add(1, ordering: .relaxed).newValue)" }
        )
        let channel = EmbeddedChannel(handler: AccessLogHandler(log: log))
        return (channel, log)
    }

    static func head(_ uri: String, headers: [(String, String)] = []) -> HTTPServerRequestPart {
        .head(HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: HTTPHeaders(headers)))
    }

    static func respond(_ channel: EmbeddedChannel, status: HTTPResponseStatus, body: String) throws {
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status)))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: body))))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
    }

    @Test func recordsEachResponseWithItsCorrelationID() throws {
        let clock = Clock()
        let (channel, log) = try Self.channel(AccessLogSettings(enabled: true), clock: clock)
        try channel.writeInbound(Self.head("/a?q=1"))
        try channel.writeInbound(Self.head("/b", headers: [("activityid", "from-client")]))
        // The exchange sees the id in the head it gets, so it reaches the backend.
        let first = try #require(try channel.readInbound(as: HTTPServerRequestPart.self))
        guard case .head(let firstHead) = first else { Issue.record("not a head"); return }
        #expect(firstHead.headers["activityid"] == ["id-1"])
        let second = try #require(try channel.readInbound(as: HTTPServerRequestPart.self))
        guard case .head(let secondHead) = second else { Issue.record("not a head"); return }
        #expect(secondHead.headers["activityid"] == ["from-client"])

        clock.advance(2_500)
        channel.pipeline.triggerUserOutboundEvent(AccessLogAnnotation(api: "p--A:1", application: "Shop", user: "ann"), promise: nil)
        try Self.respond(channel, status: .ok, body: "hello")
        clock.advance(1_000)
        try Self.respond(channel, status: .notFound, body: "")
        let records = try #require(log.buffer).drain(maxCount: 10)
        #expect(records.map(\.uri) == ["/a?q=1", "/b"])
        #expect(records.map(\.status) == [200, 404])
        #expect(records.map(\.bytes) == [5, 0])
        #expect(records.map(\.latencyMicros) == [2_500, 3_500])
        #expect(records.map(\.correlationID) == ["id-1", "from-client"])
        #expect(records[0].api == "p--A:1" && records[0].application == "Shop" && records[0].user == "ann")
        #expect(records[1].api == nil && records[0].startMillis == 1_700_000_000_000)
        // The responses went on to the client unchanged.
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) != nil)
        _ = try channel.finish()
    }

    @Test func aFullBufferDropsAndCounts() throws {
        let (channel, log) = try Self.channel(AccessLogSettings(enabled: true, bufferSize: 2), clock: Clock())
        for index in 0..<5 {
            try channel.writeInbound(Self.head("/\(index)"))
            try Self.respond(channel, status: .ok, body: "x")
        }
        let buffer = try #require(log.buffer)
        #expect(buffer.count == 2 && buffer.droppedCount == 3)
        #expect(buffer.drain(maxCount: 10).map(\.uri) == ["/0", "/1"])
        _ = try channel.finish()
    }

    @Test func behindATrustedProxyTheClientIsTheOneItForwards() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8"])
        var addresses: [String] = []
        for peer in ["10.1.2.3", "192.0.2.1"] {
            let log = try GatewayAccessLog(settings: AccessLogSettings(enabled: true))
            let channel = EmbeddedChannel(handler: AccessLogHandler(log: log, trustedProxies: proxies))
            channel.remoteAddress = try SocketAddress(ipAddress: peer, port: 40_000)
            channel.pipeline.fireChannelActive()
            // The right-most hop that is not a trusted proxy is the client; only a trusted peer is believed.
            try channel.writeInbound(Self.head("/a", headers: [("X-Forwarded-For", "198.51.100.4, 203.0.113.9, 10.0.0.2")]))
            try Self.respond(channel, status: .ok, body: "")
            addresses += try #require(log.buffer).drain(maxCount: 10).map(\.clientAddress)
            _ = try channel.finish()
        }
        #expect(addresses == ["203.0.113.9", "192.0.2.1"])
    }
}
