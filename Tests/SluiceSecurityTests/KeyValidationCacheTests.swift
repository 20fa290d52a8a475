import NIOCore
import NIOPosix
import SluiceMediation
import SluiceModel
import Synchronization
import Testing

@testable import SluiceSecurity

/// A key manager that counts its calls and answers from a table (the remote side of the cache).
final class CountingValidator: KeyValidator {
    let calls = Mutex(0)
    let answers: Mutex<[String: KeyValidationResult]>

    init(_ answers: [String: KeyValidationResult]) {
        self.answers = Mutex(answers)
    }

    func validate(_ request: KeyValidationRequest) async -> KeyValidationResult {
        calls.withLock { $0 += 1 }
        return answers.withLock { $0[request.accessToken] } ?? .denied(.invalidCredentials)
    }
}

@Suite(.timeLimit(.minutes(1))) struct KeyValidationCacheTests {
    static let request = KeyValidationRequest(
        accessToken: "tok", apiContext: "/a/1", apiVersion: "1", resource: "/x", httpMethod: "GET"
    )

    static func resolve(_ cache: KeyValidationCache, _ request: KeyValidationRequest = request) async throws
        -> KeyValidationResult
    {
        for _ in 0..<5 {
            switch cache.lookup(request, apiScope: "/a/1:1") {
            case .hit(let result): return result
            case .pending(let future): try await future.get()
            }
        }
        throw CancellationError()
    }

    @Test func missThenHitWithOneCallForConcurrentMisses() async throws {
        let validator = CountingValidator(["tok": KeyValidationResult(authorized: true, validUntil: 2_000)])
        let cache = KeyValidationCache(
            validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, clock: EpochClock { 1_000_000 }
        )
        guard case .pending(let first) = cache.lookup(Self.request, apiScope: "/a/1:1"),
            case .pending(let second) = cache.lookup(Self.request, apiScope: "/a/1:1")
        else {
            Issue.record("an empty cache must go to the key manager")
            return
        }
        try await first.get()
        try await second.get()
        guard case .hit(let result) = cache.lookup(Self.request, apiScope: "/a/1:1") else {
            Issue.record("the answer must be cached")
            return
        }
        #expect(result.authorized)
        #expect(validator.calls.withLock { $0 } == 1)
    }

    @Test func positiveEntriesLiveNoLongerThanTheToken() async throws {
        let now = Mutex<Int64>(1_000_000)
        let validator = CountingValidator(["tok": KeyValidationResult(authorized: true, validUntil: 1_005)])
        let cache = KeyValidationCache(
            validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            configuration: .init(maxPositiveAge: 60), clock: EpochClock { now.withLock { $0 } }
        )
        _ = try await Self.resolve(cache)
        now.withLock { $0 = 1_004_000 }
        _ = try await Self.resolve(cache)
        #expect(validator.calls.withLock { $0 } == 1)
        now.withLock { $0 = 1_005_000 }
        #expect(try await Self.resolve(cache).errorCode == .accessTokenExpired)
        #expect(validator.calls.withLock { $0 } == 2)
    }

    @Test func revokedTokensAreForgottenAtOnceAndRefusalsExpire() async throws {
        let now = Mutex<Int64>(1_000_000)
        let validator = CountingValidator(["tok": KeyValidationResult(authorized: true)])
        let cache = KeyValidationCache(
            validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            configuration: .init(negativeAge: 2), clock: EpochClock { now.withLock { $0 } }
        )
        #expect(try await Self.resolve(cache).authorized)
        validator.answers.withLock { $0["tok"] = .denied(.accessTokenInactive) }
        cache.invalidate(tokenHashes: [KeyValidationCache.hash("other")])
        #expect(try await Self.resolve(cache).authorized)
        cache.invalidate(tokenHashes: [KeyValidationCache.hash("tok")])
        #expect(try await Self.resolve(cache).errorCode == .accessTokenInactive)
        validator.answers.withLock { $0["tok"] = KeyValidationResult(authorized: true) }
        now.withLock { $0 += 1_000 }
        #expect(try await Self.resolve(cache).authorized == false)
        now.withLock { $0 += 1_500 }
        #expect(try await Self.resolve(cache).authorized)
        #expect(validator.calls.withLock { $0 } == 3)
    }

    @Test func handlerSuspendsOnAMissAndPassesAfterwards() async throws {
        let validator = CountingValidator(["tok": KeyValidationResult(authorized: true, applicationID: "app")])
        let cache = KeyValidationCache(validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let handler = APIAuthenticationHandler(source: .cached(cache))
        let resource = DispatchedResource(apiName: "a", context: "/a/1", version: "1", resourceTemplate: "/x")
        var context = MessageContext(method: "GET", requestPath: "/a/1/x", headers: ["Authorization": "Bearer tok"])
        guard case .suspend(let future) = handler.handleRequest(&context, resource: resource) else {
            Issue.record("a miss must suspend")
            return
        }
        try await future.get()
        guard case .proceed = handler.handleRequest(&context, resource: resource) else {
            Issue.record("the resumed hook must find the answer")
            return
        }
        #expect(context[property: "api.ut.application.id"] == "app")
    }
}
