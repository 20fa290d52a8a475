import SluiceThrottling
import Testing

@Suite struct LocalCounterStoreTests {
    private let key = ThrottleKey(level: .subscription, scope: "/pizza/1.0.0:1.0.0", subject: "app-1")

    @Test func admitsExactlyTheLimitThenRejectsUntilTheWindowEnds() {
        let store = LocalCounterStore()
        let start: Int64 = 1_000_000
        let decisions = (0..<5).map { _ in store.consume(key: key, limit: 3, windowMillis: 60_000, nowMillis: start) }
        #expect(decisions.map(\.admitted) == [true, true, true, false, false])
        #expect(decisions.map(\.count) == [1, 2, 3, 3, 3])
        #expect(decisions.allSatisfy { $0.windowEndMillis == start + 60_000 })

        let justBefore = store.consume(key: key, limit: 3, windowMillis: 60_000, nowMillis: start + 59_999)
        #expect(!justBefore.admitted)
        let nextWindow = store.consume(key: key, limit: 3, windowMillis: 60_000, nowMillis: start + 60_000)
        #expect(nextWindow.admitted)
        #expect(nextWindow.count == 1)
        #expect(nextWindow.windowEndMillis == start + 120_000)
    }

    @Test func keysAreIndependent() {
        let store = LocalCounterStore()
        let other = ThrottleKey(level: .subscription, scope: key.scope, subject: "app-2")
        #expect(store.consume(key: key, limit: 1, windowMillis: 1000, nowMillis: 0).admitted)
        #expect(!store.consume(key: key, limit: 1, windowMillis: 1000, nowMillis: 0).admitted)
        #expect(store.consume(key: other, limit: 1, windowMillis: 1000, nowMillis: 0).admitted)
    }

    @Test func zeroLimitAdmitsNothing() {
        let store = LocalCounterStore()
        #expect(!store.consume(key: key, limit: 0, windowMillis: 1000, nowMillis: 0).admitted)
        #expect(!store.consume(key: key, limit: 0, windowMillis: 1000, nowMillis: 0).admitted)
    }

    @Test func expiredWindowsAreSwept() {
        let store = LocalCounterStore(shardCount: 1, sweepEvery: 10)
        for index in 0..<10 {
            _ = store.consume(key: ThrottleKey(level: .api, scope: "s\(index)"), limit: 5, windowMillis: 100, nowMillis: 0)
        }
        #expect(store.activeWindowCount <= 10)
        for index in 0..<10 {
            _ = store.consume(key: ThrottleKey(level: .api, scope: "t\(index)"), limit: 5, windowMillis: 100, nowMillis: 500)
        }
        #expect(store.activeWindowCount == 10)
    }

    @Test(.timeLimit(.minutes(1)))
    func admitsExactlyNUnderConcurrency() async {
        let store = LocalCounterStore()
        let limit: Int64 = 1000
        let admitted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    var count = 0
                    for _ in 0..<500 where store.consume(key: key, limit: limit, windowMillis: 60_000, nowMillis: 42).admitted {
                        count += 1
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(admitted == Int(limit))
    }
}
