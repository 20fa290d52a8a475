import SluiceModel
import Testing

@testable import SluiceAnalytics

@Suite struct UsageEventQueueTests {
    static func event(_ index: Int) -> UsageEvent {
        UsageEvent(
            requestTime: Int64(index), apiName: "a", apiContext: "/a/1", apiVersion: "1", resourceTemplate: "/x",
            resourcePath: "/x", method: "GET", responseCode: 200, responseTimeMillis: 1
        )
    }

    @Test func fullQueueDropsAndCountsWithoutBlocking() {
        let queue = UsageEventQueue(capacity: 3)
        let accepted = (0..<5).map { queue.offer(Self.event($0)) }
        #expect(accepted == [true, true, true, false, false])
        #expect(queue.droppedCount == 2)
        #expect(queue.count == 3)
        #expect(queue.drain(maxCount: 2).map(\.requestTime) == [0, 1])
        #expect(queue.offer(Self.event(9)))
        #expect(queue.drain(maxCount: 10).map(\.requestTime) == [2, 9])
        #expect(queue.count == 0)
        #expect(queue.acceptedCount == 4)
    }

    @Test func concurrentProducersNeverExceedTheCapacity() async {
        let queue = UsageEventQueue(capacity: 1_000)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<500 { queue.offer(Self.event(worker * 1_000 + index)) }
                }
            }
        }
        #expect(queue.count == 1_000)
        #expect(queue.droppedCount == 1_000)
    }
}
