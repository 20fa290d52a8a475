import NIOCore
import SluiceMediation
import SluiceModel
import Testing

@Suite struct EndpointStateMachineTests {
    static func at(_ milliseconds: Int64) -> NIODeadline {
        .uptimeNanoseconds(UInt64(milliseconds) * 1_000_000)
    }

    @Test func defaultsFollowSynapse() {
        let settings = EndpointStateMachine.Settings(qos: EndpointQoS())
        #expect(settings.initialDuration == .milliseconds(30_000))
        #expect(settings.progressionFactor == 1)
        #expect(settings.maximumDuration == nil)
        #expect(settings.timeoutErrorCodes == [101504, 101505])
        #expect(settings.retriesBeforeSuspension == 0)
    }

    @Test func anyErrorSuspendsByDefaultAndSuccessResumes() {
        var machine = EndpointStateMachine(qos: EndpointQoS())
        #expect(
            machine.recordFailure(errorCode: 101503, now: Self.at(1_000)) == .suspended(duration: .milliseconds(30_000))
        )
        #expect(!machine.isReady(now: Self.at(30_999)))
        #expect(machine.isReady(now: Self.at(31_000)))
        #expect(machine.recordSuccess() == .resumed)
        #expect(machine.state == .active)
        #expect(machine.recordSuccess() == .none)
    }

    @Test func markForSuspensionRetriesThenSuspends() {
        let qos = EndpointQoS(
            suspendOnFailure: SuspendOnFailure(errorCodes: [101503], initialDuration: 1_000),
            markForSuspension: MarkForSuspension(errorCodes: [101504], retriesBeforeSuspension: 2, retryDelay: 500)
        )
        var machine = EndpointStateMachine(qos: qos)
        #expect(machine.recordFailure(errorCode: 101504, now: Self.at(0)) == .markedForSuspension(retriesLeft: 2))
        #expect(!machine.isReady(now: Self.at(499)))
        #expect(machine.isReady(now: Self.at(500)))
        #expect(machine.recordFailure(errorCode: 101504, now: Self.at(600)) == .markedForSuspension(retriesLeft: 1))
        #expect(
            machine.recordFailure(errorCode: 101504, now: Self.at(1_200)) == .suspended(duration: .milliseconds(1_000))
        )
        #expect(machine.state.name == "SUSPENDED")
        #expect(machine.isReady(now: Self.at(2_200)))
    }

    @Test func timeoutStateRecoversOnSuccess() {
        let qos = EndpointQoS(markForSuspension: MarkForSuspension(retriesBeforeSuspension: 3, retryDelay: 100))
        var machine = EndpointStateMachine(qos: qos)
        #expect(machine.recordFailure(errorCode: 101505, now: Self.at(0)) == .markedForSuspension(retriesLeft: 3))
        #expect(machine.state.name == "TIMEOUT")
        #expect(machine.recordSuccess() == .resumed)
        #expect(machine.state == .active)
    }

    @Test func suspensionGrowsByTheFactorUpToTheCap() {
        let qos = EndpointQoS(
            suspendOnFailure: SuspendOnFailure(initialDuration: 1_000, progressionFactor: 2, maximumDuration: 5_000)
        )
        var machine = EndpointStateMachine(qos: qos)
        var now: Int64 = 0
        var durations: [TimeAmount] = []
        for _ in 0..<5 {
            if case .suspended(let duration) = machine.recordFailure(errorCode: 101503, now: Self.at(now)) {
                durations.append(duration)
                now += duration.nanoseconds / 1_000_000
            }
        }
        #expect(durations == [1_000, 2_000, 4_000, 5_000, 5_000].map { .milliseconds($0) })
        #expect(machine.recordSuccess() == .resumed)
        #expect(
            machine.recordFailure(errorCode: 101503, now: Self.at(now)) == .suspended(duration: .milliseconds(1_000))
        )
    }

    @Test func wso2NeverSuspendTemplateNeverBlocks() {
        let qos = EndpointQoS(
            timeout: EndpointTimeout(duration: 30_000, responseAction: .fault),
            suspendOnFailure: SuspendOnFailure(
                errorCodes: [-1],
                initialDuration: 0,
                progressionFactor: 1,
                maximumDuration: 0
            ),
            markForSuspension: MarkForSuspension(errorCodes: [-1])
        )
        var machine = EndpointStateMachine(qos: qos)
        for code in [101503, 101504, 101505, 101500] {
            #expect(machine.recordFailure(errorCode: code, now: Self.at(10)) == .none)
            #expect(machine.isReady(now: Self.at(10)))
        }
    }

    @Test func errorsOutsideBothListsChangeNothing() {
        let qos = EndpointQoS(suspendOnFailure: SuspendOnFailure(errorCodes: [101503]))
        var machine = EndpointStateMachine(qos: qos)
        #expect(machine.recordFailure(errorCode: 101500, now: Self.at(0)) == .none)
        #expect(machine.state == .active)
    }

    @Test func sharedStateResetForgetsSuspension() {
        let state = EndpointState(machine: EndpointStateMachine(qos: EndpointQoS()))
        state.recordFailure(errorCode: 101503, now: Self.at(0))
        #expect(!state.isReady(now: Self.at(1)))
        state.reset()
        #expect(state.isReady(now: Self.at(1)))
    }
}
