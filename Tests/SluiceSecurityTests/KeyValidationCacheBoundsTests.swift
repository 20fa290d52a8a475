import NIOCore
import NIOPosix
import SluiceMediation
import SluiceModel
import Synchronization
import Testing

@testable import SluiceSecurity

/// A key manager whose calls wait until the test lets them go, counting how many run at once.
private final class GatedValidator: KeyValidator {
    private struct State {
        var running = 0
        var mostRunning = 0
        var calls = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func validate(_ request: KeyValidationRequest) async -> KeyValidationResult {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                state.running += 1
                state.mostRunning = max(state.mostRunning, state.running)
                state.calls += 1
                state.waiting.append(continuation)
            }
        }
        state.withLock { $0.running -= 1 }
        return KeyValidationResult(authorized: true)
    }

    var waiting: Int { state.withLock { $0.waiting.count } }
    var calls: Int { state.withLock { $0.calls } }
    var mostRunning: Int { state.withLock { $0.mostRunning } }

    /// Waits (by yielding, not by a timed sleep race) until `count` calls are parked here.
    func waitUntilWaiting(_ count: Int) async throws {
        while waiting < count {
            try Task.checkCancellation()
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    func releaseAll() {
        let parked = state.withLock { state in
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in parked { continuation.resume() }
    }
}

/// Token spraying against a split gateway (issue #12 item 11): misses bounded and coalesced, LRU eviction.
@Suite(.timeLimit(.minutes(1))) struct KeyValidationCacheBoundsTests {
    private static func request(_ token: String) -> KeyValidationRequest {
        KeyValidationRequest(accessToken: token, apiContext: "/a/1", apiVersion: "1", resource: "/x", httpMethod: "GET")
    }

    @Test func missesRunBoundedQueueBoundedAndCoalesced() async throws {
        let validator = GatedValidator()
        let cache = KeyValidationCache(
            validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            configuration: .init(maxConcurrentLookups: 2, maxQueuedLookups: 3), clock: EpochClock { 1_000_000 }
        )
        var futures: [EventLoopFuture<Void>] = []
        var refusedAtOnce = 0
        for index in 0..<10 {
            switch cache.lookup(Self.request("spray-\(index)"), apiScope: "/a/1:1") {
            case .pending(let future): futures.append(future)
            case .hit(let result):
                #expect(!result.authorized)
                refusedAtOnce += 1
            }
        }
        // Two calls run, three wait, the other five are refused without reaching the key manager.
        #expect(futures.count == 5)
        #expect(refusedAtOnce == 5)
        #expect(cache.queuedLookups == 3)
        // The same token again shares the call already under way or queued.
        guard case .pending = cache.lookup(Self.request("spray-0"), apiScope: "/a/1:1"),
            case .pending = cache.lookup(Self.request("spray-4"), apiScope: "/a/1:1")
        else {
            Issue.record("a miss under way must be shared")
            return
        }
        try await validator.waitUntilWaiting(2)
        while validator.calls < 5 || validator.waiting > 0 {
            try await validator.waitUntilWaiting(1)
            validator.releaseAll()
            try await Task.sleep(for: .milliseconds(1))
        }
        for future in futures { try await future.get() }
        #expect(validator.calls == 5)
        #expect(validator.mostRunning == 2)
        #expect(cache.queuedLookups == 0)
        // Answers were stored, and the workers are free again.
        guard case .hit(let answer) = cache.lookup(Self.request("spray-4"), apiScope: "/a/1:1") else {
            Issue.record("a queued miss must be answered and cached")
            return
        }
        #expect(answer.authorized)
    }

    @Test func sprayedTokensEvictTheLeastRecentlyUsedNotATokenInUse() async throws {
        let validator = CountingValidator(["victim": KeyValidationResult(authorized: true)])
        let cache = KeyValidationCache(
            validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            configuration: .init(maxEntries: 4), clock: EpochClock { 1_000_000 }
        )
        _ = try await KeyValidationCacheTests.resolve(cache, Self.request("victim"))
        for index in 0..<50 {
            _ = try await KeyValidationCacheTests.resolve(cache, Self.request("spray-\(index)"))
            // The victim keeps calling the API between the attacker's requests.
            if index % 2 == 1 {
                guard case .hit(let result) = cache.lookup(Self.request("victim"), apiScope: "/a/1:1") else {
                    Issue.record("the victim's entry was evicted after \(index + 1) sprayed tokens")
                    return
                }
                #expect(result.authorized)
            }
        }
        #expect(cache.count == 4)
        #expect(validator.calls.withLock { $0 } == 51)
    }
}
