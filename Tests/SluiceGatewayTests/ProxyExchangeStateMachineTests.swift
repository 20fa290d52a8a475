import NIOCore
import NIOHTTP1
import SluiceMediation
import Testing

@testable import SluiceGateway

/// The proxy exchange's state machine, event by event, without sockets: request bodies, connections, retries,
/// failover, timeouts, the client going away, backend resets, and the reply.
@Suite struct ProxyExchangeStateMachineTests {
    final class FakeConnection {
        let name: String
        init(_ name: String) { self.name = name }
    }

    typealias Machine = ProxyExchangeStateMachine<FakeConnection>

    static let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
    static let limit = 1024

    static func leaf(_ name: String) -> EndpointLeaf {
        EndpointLeaf(name: name, target: .address(uri: "http://\(name).local/x"))
    }

    static func request(_ leaf: EndpointLeaf, body: BackendRequest.Body = .streamed) -> BackendRequest {
        BackendRequest(
            leaf: leaf,
            key: UpstreamKey(host: "\(leaf.displayName).local", port: 80),
            head: HTTPRequestHead(version: .http1_1, method: .POST, uri: "/x"),
            timeout: .seconds(30),
            body: body
        )
    }

    static func bytes(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// A machine that forwarded to `endpoint` and holds the connection `connection` for `leaf`'s request.
    static func sending(
        to endpoint: ResolvedEndpoint,
        over connection: FakeConnection,
        reused: Bool = false,
        expectsBody: Bool = false,
        body: BackendRequest.Body = .none
    ) throws -> (Machine, EndpointLeaf) {
        var machine = Machine(expectsRequestBody: expectsBody, maxBufferedBodyBytes: limit)
        guard case .prepare(let leaf) = machine.forward(to: endpoint, purpose: .send(receive: nil), dropsRequestBody: false, now: now)
        else { throw Failure.unexpected("no leaf") }
        guard case .acquire = machine.connect(request(leaf, body: body)) else { throw Failure.unexpected("no acquire") }
        guard case .send(let sentOver, _, _, _) = machine.connectionAcquired(connection, reused: reused), sentOver === connection
        else { throw Failure.unexpected("not sent") }
        return (machine, leaf)
    }

    enum Failure: Error {
        case unexpected(String)
    }

    static func single(_ name: String = "a") -> ResolvedEndpoint {
        ResolvedEndpoint(name: name, kind: .leaf(leaf(name)))
    }

    // MARK: - Request body

    @Test func bodilessRequestRunsTheHandlersAtOnce() {
        var machine = Machine(expectsRequestBody: false, maxBufferedBodyBytes: Self.limit)
        #expect(machine.bufferRequestBody(contentLength: nil) == .runRequestHandlers)
        guard case .none = machine.requestBodyPart(Self.bytes("late")) else { Issue.record("part accepted"); return }
    }

    @Test func bufferedBodyIsHandedToTheHandlersWholeAtItsEnd() {
        var machine = Machine(expectsRequestBody: true, maxBufferedBodyBytes: Self.limit)
        #expect(machine.bufferRequestBody(contentLength: nil) == .waitForBody)
        for part in ["ab", "cd", "ef"] {
            guard case .none = machine.requestBodyPart(Self.bytes(part)) else { Issue.record("not buffered"); return }
        }
        guard case .runRequestHandlers(.buffered(let body)) = machine.requestEnd() else {
            Issue.record("handlers not run")
            return
        }
        #expect(String(buffer: body) == "abcdef")
    }

    @Test func bufferedBodyOverTheLimitIsRejected() {
        var announced = Machine(expectsRequestBody: true, maxBufferedBodyBytes: Self.limit)
        #expect(announced.bufferRequestBody(contentLength: Self.limit + 1) == .rejectTooLarge)
        #expect(announced.isFinished)

        var chunked = Machine(expectsRequestBody: true, maxBufferedBodyBytes: Self.limit)
        #expect(chunked.bufferRequestBody(contentLength: nil) == .waitForBody)
        let half = Self.bytes(String(repeating: "x", count: Self.limit / 2 + 1))
        guard case .none = chunked.requestBodyPart(half) else { Issue.record("first half refused"); return }
        guard case .rejectTooLarge = chunked.requestBodyPart(half) else { Issue.record("not rejected"); return }
        #expect(chunked.isFinished)
        guard case .none = chunked.requestEnd() else { Issue.record("end after rejection acted"); return }
    }

    @Test func heldBodyPausesTheClientBeyondTheHoldingLimit() {
        var machine = Machine(expectsRequestBody: true, maxBufferedBodyBytes: 10 << 20)
        let chunk = Self.bytes(String(repeating: "h", count: 64 * 1024))
        for _ in 0..<4 {
            guard case .none = machine.requestBodyPart(chunk) else { Issue.record("paused too early"); return }
        }
        guard case .pauseClientReads = machine.requestBodyPart(chunk) else { Issue.record("not paused"); return }
    }

    @Test func streamedBodyGoesOutHeldPartsFirstThenAsItArrives() throws {
        var machine = Machine(expectsRequestBody: true, maxBufferedBodyBytes: Self.limit)
        guard case .prepare(let leaf) = machine.forward(to: Self.single(), purpose: .send(receive: nil), dropsRequestBody: false, now: Self.now)
        else { throw Failure.unexpected("no leaf") }
        _ = machine.requestBodyPart(Self.bytes("one"))
        guard case .acquire = machine.connect(Self.request(leaf)) else { throw Failure.unexpected("no acquire") }
        _ = machine.requestBodyPart(Self.bytes("two"))
        let connection = FakeConnection("c")
        guard case .send(_, let request, .parts(let held, let end), _) = machine.connectionAcquired(connection, reused: false)
        else { throw Failure.unexpected("not sent") }
        #expect(request.hasBody)
        #expect(held.map { String(buffer: $0) } == ["one", "two"] && !end)
        guard case .write(let part, let target) = machine.requestBodyPart(Self.bytes("three")), target === connection else {
            throw Failure.unexpected("not streamed")
        }
        #expect(String(buffer: part) == "three")
        guard case .finishRequest(let finished) = machine.requestEnd(), finished === connection else {
            throw Failure.unexpected("request not finished")
        }
    }

    @Test func bodyThatEndedBeforeTheConnectionGoesOutWithItsEnd() throws {
        var machine = Machine(expectsRequestBody: true, maxBufferedBodyBytes: Self.limit)
        _ = machine.requestBodyPart(Self.bytes("all"))
        guard case .none = machine.requestEnd() else { throw Failure.unexpected("end acted before a backend") }
        guard case .prepare(let leaf) = machine.forward(to: Self.single(), purpose: .send(receive: nil), dropsRequestBody: false, now: Self.now),
            case .acquire = machine.connect(Self.request(leaf)),
            case .send(_, _, .parts(let held, let end), _) = machine.connectionAcquired(FakeConnection("c"), reused: false)
        else { throw Failure.unexpected("not sent") }
        #expect(held.map { String(buffer: $0) } == ["all"] && end)
    }

    @Test func formatConversionWaitsForTheWholeBody() throws {
        var machine = Machine(expectsRequestBody: true, maxBufferedBodyBytes: Self.limit)
        guard case .prepare(let leaf) = machine.forward(to: Self.single(), purpose: .send(receive: nil), dropsRequestBody: false, now: Self.now)
        else { throw Failure.unexpected("no leaf") }
        guard case .waitForBody = machine.awaitWholeBody(for: leaf) else { throw Failure.unexpected("did not wait") }
        _ = machine.requestBodyPart(Self.bytes("<a>"))
        _ = machine.requestBodyPart(Self.bytes("</a>"))
        guard case .prepare(let again, .buffered(let body)) = machine.requestEnd() else { throw Failure.unexpected("not prepared") }
        #expect(again.displayName == leaf.displayName && String(buffer: body) == "<a></a>")

        var large = Machine(expectsRequestBody: true, maxBufferedBodyBytes: Self.limit)
        guard case .prepare(let leaf2) = large.forward(to: Self.single(), purpose: .send(receive: nil), dropsRequestBody: false, now: Self.now)
        else { throw Failure.unexpected("no leaf") }
        _ = large.awaitWholeBody(for: leaf2)
        guard case .rejectTooLarge = large.requestBodyPart(Self.bytes(String(repeating: "x", count: Self.limit + 1))) else {
            throw Failure.unexpected("not rejected")
        }
    }

    @Test func callDropsTheStreamedRequestBody() {
        var machine = Machine(expectsRequestBody: true, maxBufferedBodyBytes: Self.limit)
        _ = machine.forward(to: Self.single(), purpose: .call, dropsRequestBody: true, now: Self.now)
        guard case .none = machine.requestBodyPart(Self.bytes(String(repeating: "x", count: 300 * 1024))) else {
            Issue.record("dropped body still held")
            return
        }
    }

    // MARK: - Retries and failover

    @Test func staleReusedConnectionGetsOneRetryOnAFreshOne() throws {
        let endpoint = Self.single()
        let stale = FakeConnection("stale")
        var (machine, leaf) = try Self.sending(to: endpoint, over: stale, reused: true)
        guard case .retry(let request) = machine.backendFailed(.connectionClosed, now: Self.now) else {
            throw Failure.unexpected("no retry")
        }
        #expect(request.leaf.displayName == leaf.displayName)
        // The retry is not counted against the endpoint.
        #expect(leaf.state.snapshot.state == .active)
        let fresh = FakeConnection("fresh")
        guard case .send(let over, _, _, _) = machine.connectionAcquired(fresh, reused: false), over === fresh else {
            throw Failure.unexpected("retry not sent")
        }
        // The fresh connection failing as well is the endpoint's failure: no second retry.
        guard case .fault(let fault) = machine.backendFailed(.connectionClosed, now: Self.now) else {
            throw Failure.unexpected("retried twice")
        }
        #expect(fault.code == SynapseErrorCode.connectionClosed)
        #expect(leaf.state.snapshot.state != .active)
    }

    @Test func onlyAClosedReusedConnectionIsRetried() throws {
        var fresh = try Self.sending(to: Self.single("f"), over: FakeConnection("c"), reused: false).0
        guard case .fault = fresh.backendFailed(.connectionClosed, now: Self.now) else { throw Failure.unexpected("fresh retried") }
        var timedOut = try Self.sending(to: Self.single("t"), over: FakeConnection("c"), reused: true).0
        guard case .fault(let fault) = timedOut.backendFailed(.responseTimeout, now: Self.now) else {
            throw Failure.unexpected("timeout retried")
        }
        #expect(fault.code == SynapseErrorCode.connectionTimeout)
    }

    @Test func failoverTriesTheNextMemberAfterAConnectFailure() throws {
        let first = Self.leaf("primary")
        let second = Self.leaf("secondary")
        let group = ResolvedEndpoint(
            name: "group",
            kind: .failover(members: [ResolvedEndpoint(name: nil, kind: .leaf(first)), ResolvedEndpoint(name: nil, kind: .leaf(second))])
        )
        var machine = Machine(expectsRequestBody: false, maxBufferedBodyBytes: Self.limit)
        guard case .prepare(let leaf) = machine.forward(to: group, purpose: .send(receive: nil), dropsRequestBody: false, now: Self.now)
        else { throw Failure.unexpected("no leaf") }
        #expect(leaf.displayName == "primary")
        _ = machine.connect(Self.request(leaf, body: .none))
        guard case .prepare(let next) = machine.connectFailed(.connectionFailed("refused"), now: Self.now) else {
            throw Failure.unexpected("no failover")
        }
        #expect(next.displayName == "secondary")
        #expect(first.state.snapshot.state != .active)
        _ = machine.connect(Self.request(next, body: .none))
        let connection = FakeConnection("c")
        _ = machine.connectionAcquired(connection, reused: false)
        guard case .streamBody = machine.responseHead(status: 200, headers: [:], bufferBody: false, now: Self.now) else {
            throw Failure.unexpected("response not streamed")
        }
        #expect(second.state.snapshot.state == .active)
    }

    @Test func timeoutFailsOverAndTheLastFailureIsRaised() throws {
        let group = ResolvedEndpoint(
            name: "group",
            kind: .failover(members: [
                ResolvedEndpoint(name: nil, kind: .leaf(Self.leaf("one"))),
                ResolvedEndpoint(name: nil, kind: .leaf(Self.leaf("two"))),
            ])
        )
        var (machine, _) = try Self.sending(to: group, over: FakeConnection("c1"))
        guard case .prepare(let next) = machine.backendFailed(.responseTimeout, now: Self.now) else {
            throw Failure.unexpected("no failover")
        }
        _ = machine.connect(Self.request(next, body: .none))
        _ = machine.connectionAcquired(FakeConnection("c2"), reused: false)
        guard case .fault(let fault) = machine.backendFailed(.responseTimeout, now: Self.now) else {
            throw Failure.unexpected("no fault")
        }
        #expect(fault.code == SynapseErrorCode.connectionTimeout)
    }

    @Test func noFailoverOnceAStreamedBodyByteWentOut() throws {
        let group = ResolvedEndpoint(
            name: "group",
            kind: .failover(members: [
                ResolvedEndpoint(name: nil, kind: .leaf(Self.leaf("one"))),
                ResolvedEndpoint(name: nil, kind: .leaf(Self.leaf("two"))),
            ])
        )
        var (machine, _) = try Self.sending(to: group, over: FakeConnection("c"), expectsBody: true, body: .streamed)
        _ = machine.requestBodyPart(Self.bytes("gone"))
        guard case .fault(let fault) = machine.backendFailed(.connectionClosed, now: Self.now) else {
            throw Failure.unexpected("failed over with a partly sent body")
        }
        #expect(fault.code == SynapseErrorCode.connectionClosed)
        // The body cannot go anywhere else now (a fault sequence that sends again gets a clear fault).
        guard case .fault(let lost) = machine.connect(Self.request(Self.leaf("three"))) else {
            throw Failure.unexpected("lost body sent again")
        }
        #expect(lost.code == SynapseErrorCode.sendingFailed)
    }

    @Test func emptyStreamedBodyIsReplayedOnFailover() throws {
        let group = ResolvedEndpoint(
            name: "group",
            kind: .failover(members: [
                ResolvedEndpoint(name: nil, kind: .leaf(Self.leaf("one"))),
                ResolvedEndpoint(name: nil, kind: .leaf(Self.leaf("two"))),
            ])
        )
        var (machine, _) = try Self.sending(to: group, over: FakeConnection("c"), expectsBody: true, body: .streamed)
        guard case .prepare(let next) = machine.backendFailed(.connectionFailed("reset"), now: Self.now) else {
            throw Failure.unexpected("no failover")
        }
        _ = machine.requestBodyPart(Self.bytes("late"))
        _ = machine.connect(Self.request(next))
        guard case .send(_, _, .parts(let held, false), _) = machine.connectionAcquired(FakeConnection("c2"), reused: false) else {
            throw Failure.unexpected("body not replayed")
        }
        #expect(held.map { String(buffer: $0) } == ["late"])
    }

    @Test func noFailoverOnceTheResponseHeadArrived() throws {
        let group = ResolvedEndpoint(
            name: "group",
            kind: .failover(members: [
                ResolvedEndpoint(name: nil, kind: .leaf(Self.leaf("one"))),
                ResolvedEndpoint(name: nil, kind: .leaf(Self.leaf("two"))),
            ])
        )
        var (machine, _) = try Self.sending(to: group, over: FakeConnection("c"))
        _ = machine.responseHead(status: 200, headers: [:], bufferBody: true, now: Self.now)
        guard case .fault(let fault) = machine.backendFailed(.connectionClosed, now: Self.now) else {
            throw Failure.unexpected("failed over after the head")
        }
        #expect(fault.code == SynapseErrorCode.connectionClosed)
    }

    @Test func invalidURLFailsTheLeafWithoutFailover() throws {
        let leaf = Self.leaf("bad")
        var machine = Machine(expectsRequestBody: false, maxBufferedBodyBytes: Self.limit)
        _ = machine.forward(to: ResolvedEndpoint(name: nil, kind: .leaf(leaf)), purpose: .send(receive: nil), dropsRequestBody: false, now: Self.now)
        guard case .fault(let fault) = machine.prepareFailed(.connectionFailed("invalid URL"), now: Self.now) else {
            throw Failure.unexpected("no fault")
        }
        #expect(fault.code == SynapseErrorCode.connectionFailed)
        #expect(leaf.state.snapshot.state != .active)
    }

    @Test func suspendedEndpointFaultsWithoutAConnection() throws {
        let leaf = Self.leaf("down")
        leaf.state.recordFailure(errorCode: SynapseErrorCode.connectionFailed, now: Self.now)
        var machine = Machine(expectsRequestBody: false, maxBufferedBodyBytes: Self.limit)
        guard case .fault(let fault) = machine.forward(
            to: ResolvedEndpoint(name: nil, kind: .leaf(leaf)), purpose: .send(receive: nil), dropsRequestBody: false, now: Self.now
        ) else { throw Failure.unexpected("sent to a suspended endpoint") }
        #expect(fault.code == SynapseErrorCode.addressNoneReady)
    }
}
