import Testing

@testable import SluiceCluster

struct BackoffTests {
    @Test func pausesDoubleUpToTheMaximumAndStayThere() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
        let pauses = (0..<9).map { _ in backoff.next() }
        #expect(
            pauses == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000].map { Duration.milliseconds($0) }
        )
    }

    @Test func aSuccessStartsOverFromTheInitialPause() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(5))
        _ = backoff.next()
        _ = backoff.next()
        backoff.reset()
        #expect(backoff.next() == .milliseconds(100))
        #expect(backoff.next() == .milliseconds(200))
    }

    @Test func aMaximumBelowTheInitialPauseCapsEveryPause() {
        var backoff = Backoff(initial: .seconds(2), maximum: .seconds(1))
        #expect(backoff.next() == .seconds(1))
        #expect(backoff.next() == .seconds(1))
        backoff.reset()
        #expect(backoff.next() == .seconds(1))
    }
}
