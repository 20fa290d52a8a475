import Logging
import SluiceStorage
import SluiceThrottling
import Synchronization
import Testing

@testable import SluiceCluster

/// Shared throttle counters with local batching: a gateway's ``SharedCounterStore`` and the
/// ``SharedCounterSyncService`` that adds its counts to the cluster's totals, on an injected clock.
struct SharedCountersTests {
    final class ManualClock: ThrottleClock {
        private let now: Mutex<Int64>
        init(_ start: Int64) { now = Mutex(start) }
        func nowMillis() -> Int64 { now.withLock { $0 } }
        func advance(_ millis: Int64) { now.withLock { $0 += millis } }
    }

    let key = ThrottleKey(level: .subscription, scope: "/orders/1.0.0:1.0.0", subject: "app-1")
    let log = InMemoryClusterLog()
    let clock = ManualClock(60_000 * 1_000 + 5_000)  // 5 s into a minute window
    let windowStart: Int64 = 60_000 * 1_000

    func sync(_ store: SharedCounterStore) -> SharedCounterSyncService {
        SharedCounterSyncService(
            store: store, repository: log, interval: .milliseconds(100), clock: clock,
            logger: Logger(label: "cluster-test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    func admitted(_ store: SharedCounterStore, _ count: Int, limit: Int64 = 10) -> Int {
        (0..<count).filter { _ in
            store.consume(key: key, limit: limit, windowMillis: 60_000, nowMillis: clock.nowMillis()).admitted
        }.count
    }

    @Test func countsReachTheSharedTotalAndTheOthersCountsLimitThisGateway() async throws {
        let store = SharedCounterStore()
        #expect(admitted(store, 3) == 3)
        log.add(6, to: "requests|" + key.description, windowStart: windowStart)  // the other gateways' share

        await sync(store).sync()
        #expect(try await log.addToSharedCounters([
            SharedCounterDelta(key: "requests|" + key.description, windowStart: windowStart,
                               windowEnd: windowStart + 60_000, delta: 0)
        ]) == [9])
        #expect(admitted(store, 5) == 1, "9 of 10 counted in the cluster: one more")
    }

    @Test func betweenSyncsAGatewayDecidesFromMemoryAlone() async {
        let store = SharedCounterStore()
        #expect(admitted(store, 4) == 4)
        log.add(100, to: "requests|" + key.description, windowStart: windowStart)
        #expect(admitted(store, 4) == 4, "the others' counts are not seen before the next sync: the bounded overshoot")
        await sync(store).sync()
        #expect(admitted(store, 1) == 0)
    }

    @Test func aFailedSyncKeepsTheCountsForTheNextOne() async throws {
        let store = SharedCounterStore()
        let service = sync(store)
        #expect(admitted(store, 4) == 4)
        log.reachable = false
        await service.sync()
        #expect(admitted(store, 10) == 6, "the gateway goes on from its own counts")

        log.reachable = true
        await service.sync()
        let total = try await log.addToSharedCounters([
            SharedCounterDelta(key: "requests|" + key.description, windowStart: windowStart,
                               windowEnd: windowStart + 60_000, delta: 0)
        ])
        #expect(total == [10], "nothing lost and nothing counted twice")
    }

    @Test func aSharedTotalThatWentDownNeverLowersWhatTheGatewayKnows() {
        let store = SharedCounterStore()
        #expect(admitted(store, 5) == 5)
        let items = store.beginSync(nowMillis: clock.nowMillis())
        #expect(items.map(\.delta) == [5])
        store.finishSync(items, totals: [2])
        #expect(admitted(store, 10) == 5, "5 counted here stay counted although the shared row says 2")
    }

    @Test func windowsAreAlignedToTheEpochAndEndedOnesAreDroppedAtTheNextSync() {
        let store = SharedCounterStore()
        #expect(admitted(store, 10) == 10)
        let items = store.beginSync(nowMillis: clock.nowMillis())
        #expect(items.map(\.windowStart) == [windowStart])
        #expect(items.map(\.windowEnd) == [windowStart + 60_000])
        store.finishSync(items, totals: items.map(\.delta))
        #expect(admitted(store, 1) == 0)

        clock.advance(55_000)  // the next window
        #expect(admitted(store, 1) == 1)
        #expect(store.beginSync(nowMillis: clock.nowMillis()).map(\.windowStart) == [windowStart + 60_000])
        #expect(store.counterCount == 1, "the ended window's counter is gone")
    }
}
