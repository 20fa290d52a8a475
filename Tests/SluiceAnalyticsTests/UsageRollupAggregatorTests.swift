import SluiceMediation
import SluiceModel
import Testing

@testable import SluiceAnalytics

/// The gateway's in-memory rollups and the raw-event sampler.
@Suite struct UsageRollupAggregatorTests {
    static func event(at offset: Int64, app: String = "a1", code: Int = 200) -> UsageEvent {
        UsageEvent(
            requestTime: 1_699_999_980_000 + offset, apiName: "admin--Pizza", apiContext: "/pizza/1.0.0",
            apiVersion: "1.0.0", resourceTemplate: "/menu", resourcePath: "/menu", method: "GET", applicationID: app,
            responseCode: code, responseTimeMillis: 4
        )
    }

    @Test func callsAreCountedPerKeyAndDrainedOnce() {
        let aggregator = UsageRollupAggregator()
        for index in 0..<10 { aggregator.record(Self.event(at: Int64(index))) }
        aggregator.record(Self.event(at: 1, app: "a2"))
        #expect(aggregator.keyCount == 2)
        let drained = aggregator.drain()
        #expect(drained.count == 2)
        #expect(drained.map(\.counts.requests).sorted() == [1, 10])
        #expect(aggregator.drain().isEmpty)
    }

    @Test func newKeysBeyondTheLimitAreDroppedButKnownKeysStillCount() {
        let aggregator = UsageRollupAggregator(maxKeys: 2)
        #expect(aggregator.record(Self.event(at: 0, app: "a1")))
        #expect(aggregator.record(Self.event(at: 0, app: "a2")))
        #expect(!aggregator.record(Self.event(at: 0, app: "a3")))
        #expect(aggregator.record(Self.event(at: 1, app: "a1")))
        #expect(aggregator.droppedCount == 1)
        #expect(aggregator.drain().reduce(0) { $0 + $1.counts.requests } == 3)
    }

    @Test func restoredRollupsMergeWithWhatCameSince() {
        let aggregator = UsageRollupAggregator()
        aggregator.record(Self.event(at: 0))
        let taken = aggregator.drain()
        aggregator.record(Self.event(at: 2))
        aggregator.restore(taken)
        let merged = aggregator.drain()
        #expect(merged.count == 1 && merged[0].counts.requests == 2)
    }

    @Test func samplerTakesAnEvenShare() {
        let all = UsageSampler(rate: 1)
        let none = UsageSampler(rate: 0)
        let quarter = UsageSampler(rate: 0.25)
        let percent = UsageSampler(rate: 0.01)
        #expect((0..<100).allSatisfy { _ in all.sample() })
        #expect(!(0..<100).contains { _ in none.sample() })
        #expect((0..<8).map { _ in quarter.sample() } == [false, false, false, true, false, false, false, true])
        #expect((0..<1_000).filter { _ in percent.sample() }.count == 10)
        #expect(UsageSampler(rate: 7).rate == 1 && UsageSampler(rate: -1).rate == 0 && UsageSampler(rate: .nan).rate == 0)
    }

    @Test func recorderCountsEveryCallInRollupsAndSamplesRawEvents() {
        let rollups = UsageRollupAggregator()
        let queue = UsageEventQueue(capacity: 100)
        let recorder = UsageRecorder(rollups: rollups, queue: queue, rawEventRate: 0.5)
        for _ in 0..<10 {
            var context = MessageContext(method: "GET", requestPath: "/pizzashack/1.0.0/orders/7")
            context.receiveResponse(status: 200, headers: [:], body: .empty)
            recorder.recordResponse(&context, resource: UsageRecorderTests.resource)
        }
        #expect(rollups.drain().reduce(0) { $0 + $1.counts.requests } == 10)
        #expect(queue.count == 5)
        // Without a queue nothing is sampled.
        #expect(UsageRecorder(rollups: rollups, queue: nil, rawEventRate: 1).rawEvents.rate == 0)
    }
}
