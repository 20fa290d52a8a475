import NIOCore
import NIOHTTP1
import SluiceMediation
import Testing

@testable import SluiceGateway

/// Which request ends the exchange's state machine has written with a watched write (a promise reporting
/// `sendingFailed`) and which it leaves to the channel's close (`connectionClosed`): unwatched only where both
/// readings lead to the same next step, the one fresh try after a pooled connection the backend had closed.
@Suite struct ProxyExchangeStateMachineEndWriteTests {
    typealias Tests = ProxyExchangeStateMachineTests
    typealias Machine = Tests.Machine

    /// The `watchEnd` of the send after `forward`, on a connection `reused` or fresh.
    static func watchEnd(reused: Bool, body: BackendRequest.Body) throws -> (Machine, Bool) {
        var machine = Machine(expectsRequestBody: false, maxBufferedBodyBytes: Tests.limit)
        guard case .prepare(let leaf) = machine.forward(to: Tests.single(), purpose: .send(receive: nil), dropsRequestBody: false, now: Tests.now)
        else { throw Tests.Failure.unexpected("no leaf") }
        guard case .acquire = machine.connect(Tests.request(leaf, body: body)) else { throw Tests.Failure.unexpected("no acquire") }
        guard case .send(_, _, _, let watchEnd) = machine.connectionAcquired(Tests.FakeConnection("c"), reused: reused) else {
            throw Tests.Failure.unexpected("not sent")
        }
        return (machine, watchEnd)
    }

    @Test func aPooledConnectionsFirstTryLeavesTheEndToTheClose() throws {
        #expect(try !Self.watchEnd(reused: true, body: .none).1)
        #expect(try !Self.watchEnd(reused: true, body: .whole(Tests.bytes("order"))).1)
    }

    @Test func aFreshConnectionWatchesTheEnd() throws {
        #expect(try Self.watchEnd(reused: false, body: .none).1)
        #expect(try Self.watchEnd(reused: false, body: .whole(Tests.bytes("order"))).1)
    }

    @Test func aStreamedBodyWatchesTheEndEvenOnAPooledConnection() throws {
        #expect(try Self.watchEnd(reused: true, body: .streamed).1)
    }

    @Test func theUnwatchedEndsFailureRetriesOnceAndTheRetryWatchesItsEnd() throws {
        var (machine, watched) = try Self.watchEnd(reused: true, body: .none)
        #expect(!watched)
        // The failed write closed the channel: the connection reports the close.
        guard case .retry = machine.backendFailed(.connectionClosed, now: Tests.now) else {
            throw Tests.Failure.unexpected("no retry")
        }
        // The retry goes out on a fresh connection; were it reused, its end is still watched (the one retry is spent).
        guard case .send(_, _, _, let watchEnd) = machine.connectionAcquired(Tests.FakeConnection("fresh"), reused: true) else {
            throw Tests.Failure.unexpected("retry not sent")
        }
        #expect(watchEnd)
        // Its failure is the endpoint's: reported as the write's own error, no second retry.
        guard case .fault(let fault) = machine.backendFailed(.sendingFailed("reset"), now: Tests.now) else {
            throw Tests.Failure.unexpected("retried twice")
        }
        #expect(fault.code == SynapseErrorCode.sendingFailed)
    }
}
