import NIOCore
import NIOHTTP1
import SluiceMediation
import Testing

@testable import SluiceGateway

/// The proxy exchange's state machine on the way back: streamed and buffered responses, the reply, backend resets
/// after the reply started, faults, and the client going away.
@Suite struct ProxyExchangeStateMachineResponseTests {
    typealias Tests = ProxyExchangeStateMachineTests
    typealias Machine = Tests.Machine
    typealias Failure = Tests.Failure

    @Test func partsBeforeTheReplyHeadAreHeldAndGoOutWithIt() throws {
        let connection = Tests.FakeConnection("c")
        var (machine, _) = try Tests.sending(to: Tests.single(), over: connection)
        guard case .streamBody = machine.responseHead(status: 200, headers: [:], bufferBody: false, now: Tests.now) else {
            throw Failure.unexpected("not streamed")
        }
        guard case .hold(let paused) = machine.responseBodyPart(Tests.bytes("early")), paused === connection else {
            throw Failure.unexpected("not held")
        }
        // The reply head goes out inside the backend read: its flush comes with the read-complete.
        guard case .writeStreamed(let held, false, false, let resumed) = machine.startReply(body: .streaming),
            resumed === connection
        else { throw Failure.unexpected("reply not streamed") }
        #expect(held.map { String(buffer: $0) } == ["early"])
        let flushes = machine.backendReadComplete()
        #expect(flushes)
        guard case .write(let part, _) = machine.responseBodyPart(Tests.bytes("late")) else { throw Failure.unexpected("not written") }
        #expect(String(buffer: part) == "late")
        guard case .finishReply(nil) = machine.responseEnd() else { throw Failure.unexpected("reply not finished") }
        #expect(machine.isFinished)
    }

    @Test func replyOutsideABackendReadIsFlushedAtOnce() throws {
        var (machine, _) = try Tests.sending(to: Tests.single(), over: Tests.FakeConnection("c"))
        _ = machine.responseHead(status: 200, headers: [:], bufferBody: false, now: Tests.now)
        let flushes = machine.backendReadComplete()
        #expect(!flushes)  // the reply has not started: nothing to flush
        // A handler suspended and resumed later: the head must not wait for the next backend read.
        guard case .writeStreamed(_, false, true, _) = machine.startReply(body: .streaming) else {
            throw Failure.unexpected("head not flushed")
        }
    }

    @Test func responseThatEndedBeforeTheReplyGoesOutWhole() throws {
        var (machine, _) = try Tests.sending(to: Tests.single(), over: Tests.FakeConnection("c"))
        _ = machine.responseHead(status: 200, headers: [:], bufferBody: false, now: Tests.now)
        _ = machine.responseBodyPart(Tests.bytes("all"))
        guard case .none(nil) = machine.responseEnd() else { throw Failure.unexpected("end acted") }
        guard case .writeStreamed(let held, true, _, nil) = machine.startReply(body: .streaming) else {
            throw Failure.unexpected("not complete")
        }
        #expect(held.map { String(buffer: $0) } == ["all"])
        #expect(machine.isFinished)
    }

    @Test func bufferedResponseIsDeliveredAtItsEnd() throws {
        var (machine, _) = try Tests.sending(to: Tests.single(), over: Tests.FakeConnection("c"))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        guard case .bufferBody = machine.responseHead(status: 201, headers: headers, bufferBody: true, now: Tests.now) else {
            throw Failure.unexpected("not buffered")
        }
        _ = machine.responseBodyPart(Tests.bytes("{\"a\":"))
        _ = machine.responseBodyPart(Tests.bytes("1}"))
        guard case .deliver(201, let delivered, .buffered(let body), false, nil) = machine.responseEnd() else {
            throw Failure.unexpected("not delivered")
        }
        #expect(delivered.first(name: "content-type") == "application/json")
        #expect(String(buffer: body) == "{\"a\":1}")
        #expect(!machine.isFinished)
    }

    @Test func callResponseIsAlwaysBufferedAndResumesTheSequence() throws {
        var machine = Machine(expectsRequestBody: false, maxBufferedBodyBytes: Tests.limit)
        guard case .prepare(let leaf) = machine.forward(to: Tests.single(), purpose: .call, dropsRequestBody: false, now: Tests.now)
        else { throw Failure.unexpected("no leaf") }
        _ = machine.connect(Tests.request(leaf, body: .none))
        _ = machine.connectionAcquired(Tests.FakeConnection("c"), reused: false)
        guard case .bufferBody = machine.responseHead(status: 200, headers: [:], bufferBody: false, now: Tests.now) else {
            throw Failure.unexpected("call streamed")
        }
        guard case .deliver(200, _, .empty, true, nil) = machine.responseEnd() else { throw Failure.unexpected("not delivered") }
    }

    @Test func bufferedResponseOverTheLimitFaults() throws {
        let connection = Tests.FakeConnection("c")
        var (machine, _) = try Tests.sending(to: Tests.single(), over: connection)
        _ = machine.responseHead(status: 200, headers: [:], bufferBody: true, now: Tests.now)
        let big = Tests.bytes(String(repeating: "r", count: Tests.limit + 1))
        guard case .fault(let fault, let abandoned) = machine.responseBodyPart(big), abandoned === connection else {
            throw Failure.unexpected("no fault")
        }
        #expect(fault.code == SynapseErrorCode.receivingFailed)
        guard case .handle(nil) = machine.fault() else { throw Failure.unexpected("fault flow not run") }
    }

    @Test func backendResetAfterTheReplyStartedCutsTheClient() throws {
        var (machine, _) = try Tests.sending(to: Tests.single(), over: Tests.FakeConnection("c"))
        _ = machine.responseHead(status: 200, headers: [:], bufferBody: false, now: Tests.now)
        _ = machine.startReply(body: .streaming)
        guard case .abortReply = machine.backendFailed(.connectionClosed, now: Tests.now) else {
            throw Failure.unexpected("reply not aborted")
        }
        #expect(machine.isFinished)
        guard case .none = machine.backendFailed(.connectionClosed, now: Tests.now) else { throw Failure.unexpected("acted twice") }
    }

    @Test func faultAfterTheReplyStartedAbortsIt() throws {
        let connection = Tests.FakeConnection("c")
        var (machine, _) = try Tests.sending(to: Tests.single(), over: connection)
        _ = machine.responseHead(status: 200, headers: [:], bufferBody: false, now: Tests.now)
        _ = machine.startReply(body: .streaming)
        guard case .abortReply(let abandoned) = machine.fault(), abandoned === connection else {
            throw Failure.unexpected("not aborted")
        }
        guard case .none = machine.fault() else { throw Failure.unexpected("second fault acted") }
    }

    @Test func faultBeforeTheReplyDropsTheBackend() throws {
        let connection = Tests.FakeConnection("c")
        var (machine, _) = try Tests.sending(to: Tests.single(), over: connection)
        guard case .handle(let abandoned) = machine.fault(), abandoned === connection else {
            throw Failure.unexpected("backend kept")
        }
        // The dropped connection's late events change nothing.
        guard case .none = machine.responseHead(status: 200, headers: [:], bufferBody: false, now: Tests.now) else {
            throw Failure.unexpected("late head accepted")
        }
    }

    @Test func clientGoneAbandonsTheBackendAndIgnoresWhatFollows() throws {
        let connection = Tests.FakeConnection("c")
        var (machine, _) = try Tests.sending(to: Tests.single(), over: connection)
        #expect(machine.clientClosed() === connection)
        #expect(machine.isFinished)
        #expect(machine.clientClosed() == nil)
        guard case .none = machine.responseHead(status: 200, headers: [:], bufferBody: false, now: Tests.now),
            case .none = machine.responseBodyPart(Tests.bytes("x")),
            case .none(nil) = machine.responseEnd(),
            case .none = machine.backendFailed(.connectionClosed, now: Tests.now),
            case .none = machine.startReply(body: .buffered(Tests.bytes("late")))
        else { throw Failure.unexpected("acted after the client left") }
    }

    @Test func connectionArrivingAfterTheClientLeftGoesBackToThePool() throws {
        var machine = Machine(expectsRequestBody: false, maxBufferedBodyBytes: Tests.limit)
        guard case .prepare(let leaf) = machine.forward(to: Tests.single(), purpose: .send(receive: nil), dropsRequestBody: false, now: Tests.now)
        else { throw Failure.unexpected("no leaf") }
        _ = machine.connect(Tests.request(leaf, body: .none))
        #expect(machine.clientClosed() == nil)
        let late = Tests.FakeConnection("late")
        guard case .release(let released) = machine.connectionAcquired(late, reused: false), released === late else {
            throw Failure.unexpected("not released")
        }
        guard case .none = machine.connectFailed(.connectTimeout, now: Tests.now) else { throw Failure.unexpected("failure acted") }
    }

    @Test func backendThatAnsweredBeforeTheWholeRequestIsClosed() throws {
        let connection = Tests.FakeConnection("c")
        var (machine, _) = try Tests.sending(to: Tests.single(), over: connection, expectsBody: true, body: .streamed)
        _ = machine.requestBodyPart(Tests.bytes("part"))
        _ = machine.responseHead(status: 413, headers: [:], bufferBody: true, now: Tests.now)
        guard case .deliver(413, _, _, false, let closing) = machine.responseEnd(), closing === connection else {
            throw Failure.unexpected("connection kept")
        }
        guard case .none = machine.requestBodyPart(Tests.bytes("rest")) else { throw Failure.unexpected("rest forwarded") }
    }

    @Test func wholeReplyWhileTheBackendStillStreamsDropsIt() throws {
        let connection = Tests.FakeConnection("c")
        var (machine, _) = try Tests.sending(to: Tests.single(), over: connection)
        _ = machine.responseHead(status: 200, headers: [:], bufferBody: false, now: Tests.now)
        guard case .writeWhole(let body, let abandoned) = machine.startReply(body: .buffered(Tests.bytes("built"))),
            abandoned === connection
        else { throw Failure.unexpected("backend kept") }
        #expect(String(buffer: body) == "built")
        #expect(machine.isFinished)
    }

    @Test func emptyReplyWithoutABackendStream() throws {
        var machine = Machine(expectsRequestBody: true, maxBufferedBodyBytes: Tests.limit)
        guard case .writeEmpty(nil) = machine.startReply(body: .streaming) else { throw Failure.unexpected("not empty") }
        guard case .none = machine.startReply(body: .empty) else { throw Failure.unexpected("replied twice") }
    }
}
