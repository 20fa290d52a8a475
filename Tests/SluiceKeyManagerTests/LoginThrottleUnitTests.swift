import Foundation
import SluiceKeyManager
import SluiceTesting
import Testing

/// Issue #12, items 9 and 11: the login throttle's rules with a hand-moved clock, and the bounded tables under it.
@Suite struct LoginThrottleUnitTests {
    static func fail(_ throttle: LoginThrottle, _ name: String, from address: String, times: Int = 1) {
        for _ in 0..<times {
            #expect(throttle.attempt(name, from: address, secret: .password) == .admitted)
            throttle.finish(name, from: address, secret: .password, outcome: .failure)
        }
    }

    @Test func delaysDoubleAfterTheFreeFailuresAndASuccessClearsThem() {
        let clock = ManualWallClock()
        let throttle = LoginThrottle(configuration: .init(freeFailures: 3, baseDelay: 1, maximumDelay: 8), clock: clock)
        Self.fail(throttle, "alice", from: "a", times: 3)
        #expect(throttle.attempt("alice", from: "a", secret: .password) == .refused(retryAfter: 1))
        #expect(throttle.attempt("ALICE", from: "a", secret: .password) == .refused(retryAfter: 1), "names ignore case")
        #expect(throttle.attempt("alice", from: "b", secret: .password) == .admitted, "other addresses are free")
        throttle.finish("alice", from: "b", secret: .password, outcome: .success)
        var expected = 1
        for _ in 0..<5 {
            clock.advance(by: TimeInterval(expected))
            Self.fail(throttle, "alice", from: "a")
            expected = min(expected * 2, 8)
            #expect(throttle.attempt("alice", from: "a", secret: .password) == .refused(retryAfter: expected))
        }
        clock.advance(by: 8)
        #expect(throttle.attempt("alice", from: "a", secret: .password) == .admitted)
        throttle.finish("alice", from: "a", secret: .password, outcome: .success)
        Self.fail(throttle, "alice", from: "a", times: 3)
        #expect(throttle.attempt("alice", from: "a", secret: .password) == .refused(retryAfter: 1), "counting restarted")
    }

    @Test func anAddressHasABudgetOfFailuresAcrossNamesThatRefills() {
        let clock = ManualWallClock()
        let throttle = LoginThrottle(configuration: .init(addressBurst: 4, addressRefillInterval: 10), clock: clock)
        for index in 0..<4 { Self.fail(throttle, "user\(index)", from: "sprayer") }
        #expect(throttle.attempt("user9", from: "sprayer", secret: .clientSecret) == .refused(retryAfter: 10))
        #expect(throttle.attempt("user9", from: "elsewhere", secret: .clientSecret) == .admitted)
        clock.advance(by: 10)
        #expect(throttle.attempt("user9", from: "sprayer", secret: .clientSecret) == .admitted)
    }

    @Test func passwordChecksInFlightPerAddressAreCapped() {
        let throttle = LoginThrottle(configuration: .init(concurrentPasswordChecks: 2), clock: ManualWallClock())
        #expect(throttle.attempt("a", from: "x", secret: .password) == .admitted)
        #expect(throttle.attempt("b", from: "x", secret: .password) == .admitted)
        #expect(throttle.attempt("c", from: "x", secret: .password) == .refused(retryAfter: 1))
        #expect(throttle.attempt("c", from: "x", secret: .clientSecret) == .admitted, "hash comparisons are cheap")
        throttle.finish("a", from: "x", secret: .password, outcome: .success)
        #expect(throttle.attempt("c", from: "x", secret: .password) == .admitted)
    }

    /// The sign-in throttle this replaces emptied its table when 10,000 names filled it: spraying names reset
    /// the victim's count. A bounded LRU table only forgets the least recently used entries, and every attempt
    /// on the victim's name makes its entry recent again.
    @Test func sprayingOtherNamesDoesNotResetAVictimsCount() {
        let clock = ManualWallClock()
        let throttle = LoginThrottle(configuration: .init(freeFailures: 3, maximumEntries: 50), clock: clock)
        Self.fail(throttle, "victim", from: "attacker", times: 3)
        for round in 0..<4 {
            // Filling the table (from other addresses, so no address budget stops it) between two attempts.
            for index in 0..<49 { Self.fail(throttle, "name\(round)-\(index)", from: "botnet-\(round)-\(index)") }
            #expect(throttle.attempt("victim", from: "attacker", secret: .password) == .refused(retryAfter: 1))
        }
    }

    @Test func theLRUCacheForgetsTheLeastRecentlyUsedEntryOnly() {
        var cache = LRUCache<String, Int>(capacity: 3)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        cache.set(3, for: "c")
        #expect(cache.value(for: "a") == 1)
        cache.set(4, for: "d")
        #expect(cache.value(for: "b") == nil, "b was used least recently")
        #expect(cache.value(for: "a") == 1)
        #expect(cache.value(for: "c") == 3)
        #expect(cache.value(for: "d") == 4)
        cache.remove("c")
        #expect(cache.count == 2)
        cache.set(5, for: "e")
        cache.set(6, for: "f")
        #expect(cache.count == 3)
        #expect(cache.value(for: "a") == nil)
        #expect([cache.value(for: "d"), cache.value(for: "e"), cache.value(for: "f")] == [4, 5, 6])
        for index in 0..<1_000 { cache.set(index, for: "k\(index)") }
        #expect(cache.count == 3)
        #expect(cache.value(for: "k999") == 999)
    }

    @Test func tokenBucketsRefillAtTheirRate() {
        let rate = TokenBucket.Rate(capacity: 2, refillPerSecond: 0.5)
        var bucket = TokenBucket(rate: rate, now: 0)
        #expect(bucket.take(rate: rate, now: 0) == nil)
        #expect(bucket.take(rate: rate, now: 0) == nil)
        #expect(bucket.take(rate: rate, now: 0) == 2)
        #expect(bucket.take(rate: rate, now: 1) == 1)
        #expect(bucket.take(rate: rate, now: 2) == nil)
        #expect(bucket.take(rate: rate, now: 100) == nil)
        #expect(bucket.take(rate: rate, now: 100) == nil, "capped at the capacity")
        #expect(bucket.take(rate: rate, now: 100) != nil)
    }
}
