import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import SluiceServerGuards

/// The management server's idle, header-read and request-read timeouts and Host checks (issue #12 items 2 and
/// 10): the state machine's actions, then the handler on an `EmbeddedChannel` with a virtual clock.
@Suite struct HTTPConnectionGuardTests {
    private static let timeouts = HTTPConnectionGuardStateMachine.Timeouts(idle: .seconds(60), read: .seconds(30))
    private static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    private static func head(_ host: String? = "localhost", version: HTTPVersion = .http1_1) -> HTTPServerRequestPart {
        var headers = HTTPHeaders()
        if let host { headers.add(name: "Host", value: host) }
        return .head(HTTPRequestHead(version: version, method: .GET, uri: "/", headers: headers))
    }

    private static let responseHead = HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok))

    // MARK: - State machine

    @Test func theIdleDeadlineDoesNotMoveWhileAHeadTrickles() {
        var machine = HTTPConnectionGuardStateMachine(timeouts: Self.timeouts, now: Self.start)
        #expect(machine.deadline == Self.start + .seconds(60))
        #expect(machine.timerFired(now: Self.start + .seconds(59)) == .none)
        #expect(machine.timerFired(now: Self.start + .seconds(60)) == .close)
    }

    @Test func aRequestMustArriveWithinTheReadTimeoutOfItsHead() {
        var machine = HTTPConnectionGuardStateMachine(timeouts: Self.timeouts, now: Self.start)
        #expect(machine.read(Self.head(), now: Self.start + .seconds(5)) == .forward)
        #expect(machine.deadline == Self.start + .seconds(35))
        #expect(machine.read(.body(ByteBuffer(string: "x")), now: Self.start + .seconds(30)) == .forward)
        #expect(machine.deadline == Self.start + .seconds(35))
        #expect(machine.timerFired(now: Self.start + .seconds(35)) == .refuseAndClose(.requestTimeout))
        #expect(machine.read(.end(nil), now: Self.start + .seconds(36)) == .drop)
    }

    @Test func noDeadlineWhileTheServerAnswersThenIdleAgain() {
        var machine = HTTPConnectionGuardStateMachine(timeouts: Self.timeouts, now: Self.start)
        _ = machine.read(Self.head(), now: Self.start)
        _ = machine.read(.end(nil), now: Self.start + .seconds(1))
        #expect(machine.deadline == nil)
        #expect(machine.timerFired(now: Self.start + .seconds(500)) == .none)
        #expect(machine.wrote(Self.responseHead, now: Self.start + .seconds(500)) == .none)
        #expect(machine.wrote(.end(nil), now: Self.start + .seconds(501)) == .none)
        #expect(machine.deadline == Self.start + .seconds(561))
    }

    @Test func aStartedResponseIsClosedRatherThanAnswered408() {
        var machine = HTTPConnectionGuardStateMachine(timeouts: Self.timeouts, now: Self.start)
        _ = machine.read(Self.head(), now: Self.start)
        _ = machine.wrote(Self.responseHead, now: Self.start)
        #expect(machine.timerFired(now: Self.start + .seconds(30)) == .close)
    }

    @Test(arguments: [nil, "a:99999", "a b"] as [String?])
    func badHostsAreRefusedWith400(host: String?) {
        var machine = HTTPConnectionGuardStateMachine(timeouts: Self.timeouts, now: Self.start)
        #expect(machine.read(Self.head(host), now: Self.start) == .refuseAndClose(.badRequest))
        #expect(machine.read(.end(nil), now: Self.start) == .drop)
    }

    @Test func aBadPipelinedRequestIsRefusedAfterTheResponsesBeforeIt() {
        var machine = HTTPConnectionGuardStateMachine(timeouts: Self.timeouts, now: Self.start)
        #expect(machine.read(Self.head(), now: Self.start) == .forward)
        #expect(machine.read(.end(nil), now: Self.start) == .forward)
        #expect(machine.read(Self.head(nil), now: Self.start) == .drop)
        #expect(machine.read(.end(nil), now: Self.start) == .drop)
        #expect(machine.wrote(Self.responseHead, now: Self.start) == .none)
        #expect(machine.wrote(.end(nil), now: Self.start) == .refuseAndClose(.badRequest))
    }

    @Test func http10WithoutHostIsServed() {
        var machine = HTTPConnectionGuardStateMachine(timeouts: Self.timeouts, now: Self.start)
        #expect(machine.read(Self.head(nil, version: .http1_0), now: Self.start) == .forward)
    }

    // MARK: - Handler

    private func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            HTTPConnectionGuardHandler(idleTimeout: .seconds(60), readTimeout: .seconds(30))
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    private func expectRefusal(_ channel: EmbeddedChannel, status: HTTPResponseStatus) throws {
        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no response head")
            return
        }
        #expect(head.status == status)
        #expect(head.headers["Connection"] == ["close"])
        guard case .end = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no response end")
            return
        }
        #expect(!channel.isActive)
    }

    @Test func handlerClosesAnIdleConnectionOnTheVirtualClock() throws {
        let channel = try makeChannel()
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func handlerAnswers408ToASlowRequestAnd400ToABadHost() throws {
        let slow = try makeChannel()
        try slow.writeInbound(Self.head())
        #expect(try slow.readInbound(as: HTTPServerRequestPart.self) != nil)
        slow.embeddedEventLoop.advanceTime(by: .seconds(30))
        try expectRefusal(slow, status: .requestTimeout)

        let badHost = try makeChannel()
        try badHost.writeInbound(Self.head("x:99999"))
        #expect(try badHost.readInbound(as: HTTPServerRequestPart.self) == nil)
        try expectRefusal(badHost, status: .badRequest)
    }

    @Test func handlerKeepsAServedConnectionOpenAndRestartsTheIdleClock() throws {
        let channel = try makeChannel()
        channel.embeddedEventLoop.advanceTime(by: .seconds(50))
        try channel.writeInbound(Self.head())
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(100))
        #expect(channel.isActive)
        try channel.writeOutbound(Self.responseHead)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }
}
