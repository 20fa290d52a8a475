import NIOCore
import Testing

@testable import SluiceGateway

/// The backend connection's state machine: one exchange at a time, keep-alive, the coalesced response timer,
/// failures and read backpressure.
@Suite struct UpstreamConnectionStateMachineTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func exchangeCompletesAndTheConnectionGoesBackToThePool() {
        var machine = UpstreamConnectionStateMachine()
        let deadline = Self.start + .seconds(30)
        #expect(machine.startRequest(keepAlive: true, responseDeadline: deadline, channelIsActive: true) == .writeHead(scheduleTimer: deadline))
        #expect(machine.acceptsRequestBody)
        #expect(machine.finishRequest(channelIsActive: true) == Optional.some(.none))
        #expect(!machine.acceptsRequestBody)
        #expect(machine.responseHead(keepAlive: true) == .forward)
        #expect(machine.responseBodyPart() == .forward)
        #expect(machine.responseEnd(channelIsActive: true) == .forwardEnd(then: .release))
        #expect(machine.isIdle && machine.completedExchanges == 1)
    }

    @Test func busyClosedOrInactiveConnectionsRefuseARequest() {
        var busy = UpstreamConnectionStateMachine()
        _ = busy.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true)
        #expect(busy.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true) == .refuse)
        var inactive = UpstreamConnectionStateMachine()
        #expect(inactive.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: false) == .refuse)
        var closed = UpstreamConnectionStateMachine()
        #expect(closed.abandon() == .close)
        #expect(closed.abandon() == .none)
        #expect(closed.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true) == .refuse)
    }

    @Test func connectionCloseOnEitherSideEndsTheConnection() {
        var byBackend = UpstreamConnectionStateMachine()
        _ = byBackend.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true)
        _ = byBackend.finishRequest(channelIsActive: true)
        _ = byBackend.responseHead(keepAlive: false)
        #expect(byBackend.responseEnd(channelIsActive: true) == .forwardEnd(then: .close))
        var byGateway = UpstreamConnectionStateMachine()
        _ = byGateway.startRequest(keepAlive: false, responseDeadline: Self.start, channelIsActive: true)
        _ = byGateway.finishRequest(channelIsActive: true)
        _ = byGateway.responseHead(keepAlive: true)
        #expect(byGateway.responseEnd(channelIsActive: true) == .forwardEnd(then: .close))
        var gone = UpstreamConnectionStateMachine()
        _ = gone.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true)
        _ = gone.finishRequest(channelIsActive: true)
        _ = gone.responseHead(keepAlive: true)
        #expect(gone.responseEnd(channelIsActive: false) == .forwardEnd(then: .close))
    }

    @Test func responseBeforeTheRequestEndedIsNotReused() {
        var machine = UpstreamConnectionStateMachine()
        _ = machine.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true)
        _ = machine.responseHead(keepAlive: true)
        #expect(machine.responseEnd(channelIsActive: true) == .forwardEnd(then: .none))
        #expect(machine.acceptsRequestBody)
        #expect(machine.finishRequest(channelIsActive: true) == .close)
        #expect(!machine.isIdle)
    }

    @Test func oneTimerServesSuccessiveExchanges() {
        var machine = UpstreamConnectionStateMachine()
        let first = Self.start + .seconds(30)
        #expect(machine.startRequest(keepAlive: true, responseDeadline: first, channelIsActive: true) == .writeHead(scheduleTimer: first))
        _ = machine.finishRequest(channelIsActive: true)
        _ = machine.responseHead(keepAlive: true)
        _ = machine.responseEnd(channelIsActive: true)
        // The next exchange's deadline is later: the armed timer stays, and re-arms when it fires.
        let second = Self.start + .seconds(31)
        #expect(machine.startRequest(keepAlive: true, responseDeadline: second, channelIsActive: true) == .writeHead(scheduleTimer: nil))
        #expect(machine.timerFired(now: first) == .schedule(second))
        // An earlier deadline (a shorter endpoint timeout) needs the timer moved.
        _ = machine.finishRequest(channelIsActive: true)
        _ = machine.responseHead(keepAlive: true)
        _ = machine.responseEnd(channelIsActive: true)
        let shorter = Self.start + .seconds(5)
        #expect(machine.startRequest(keepAlive: true, responseDeadline: shorter, channelIsActive: true) == .writeHead(scheduleTimer: shorter))
    }

    @Test func responseTimeoutFailsTheExchange() {
        var machine = UpstreamConnectionStateMachine()
        let deadline = Self.start + .seconds(2)
        _ = machine.startRequest(keepAlive: true, responseDeadline: deadline, channelIsActive: true)
        _ = machine.finishRequest(channelIsActive: true)
        #expect(machine.timerFired(now: deadline) == .failExchange(.responseTimeout))
        #expect(machine.state == .closed)
        #expect(machine.responseHead(keepAlive: true) == .none)
    }

    @Test func timerAfterTheHeadDoesNothing() {
        var machine = UpstreamConnectionStateMachine()
        _ = machine.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true)
        _ = machine.responseHead(keepAlive: true)
        #expect(machine.timerFired(now: Self.start + .seconds(60)) == .none)
        var idle = UpstreamConnectionStateMachine()
        #expect(idle.timerFired(now: Self.start) == .none)
    }

    @Test func failuresTellTheExchangeOnlyWhileItWaitsForTheResponse() {
        var waiting = UpstreamConnectionStateMachine()
        _ = waiting.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true)
        #expect(waiting.fail(.connectionClosed) == .failExchange(.connectionClosed))
        #expect(waiting.fail(.connectionClosed) == .none)

        var receiving = UpstreamConnectionStateMachine()
        _ = receiving.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true)
        _ = receiving.responseHead(keepAlive: true)
        #expect(receiving.fail(.protocolViolation("bad chunk")) == .failExchange(.protocolViolation("bad chunk")))

        var answered = UpstreamConnectionStateMachine()
        _ = answered.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true)
        _ = answered.responseHead(keepAlive: true)
        _ = answered.responseEnd(channelIsActive: true)
        #expect(answered.fail(.connectionClosed) == .close)

        var idle = UpstreamConnectionStateMachine()
        #expect(idle.fail(.connectionClosed) == .close)
    }

    @Test func pausedReadsAreHeldAndIssuedOnResume() {
        var machine = UpstreamConnectionStateMachine()
        #expect(machine.read() == .read)
        machine.pauseReading()
        #expect(machine.read() == .none)
        #expect(machine.resumeReading() == .read)
        #expect(machine.resumeReading() == .none)
        // A read held while the exchange ran is issued when the connection goes back to the pool.
        _ = machine.startRequest(keepAlive: true, responseDeadline: Self.start, channelIsActive: true)
        _ = machine.finishRequest(channelIsActive: true)
        _ = machine.responseHead(keepAlive: true)
        machine.pauseReading()
        #expect(machine.read() == .none)
        #expect(machine.responseEnd(channelIsActive: true) == .forwardEnd(then: .release))
        let first = machine.takePendingRead()
        let second = machine.takePendingRead()
        #expect(first && !second)
    }
}
