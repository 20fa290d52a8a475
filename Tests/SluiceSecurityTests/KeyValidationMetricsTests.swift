import MetricsTestKit
import NIOPosix
import SluiceMediation
import SluiceModel
import Testing

@testable import SluiceSecurity

/// `sluice_key_validations_total{outcome}` as the authentication handler decides, and
/// `sluice_key_validation_cache_lookups_total{result}` as a remote key manager's cache answers.
@Suite(.timeLimit(.minutes(1))) struct KeyValidationMetricsTests {
    static func outcome(_ metrics: TestMetrics, _ outcome: String) -> Int64 {
        metrics.counterTotal(label: "sluice_key_validations_total", dimensions: [("outcome", outcome)])
    }

    @Test func everyOutcomeIsCountedFromTheStartAndEachCallOnce() {
        let metrics = TestMetrics()
        let counted = KeyValidationMetrics(factory: metrics)
        #expect(metrics.counters(label: "sluice_key_validations_total").count == KeyValidationMetrics.Outcome.allCases.count)
        let handler = APIAuthenticationHandler(
            source: .immediate { request in
                switch request.accessToken {
                case "good", "reader": APIAuthenticationHandlerTests.authorized(scopes: ["read"])
                case "old": .denied(.accessTokenExpired)
                case "revoked": .denied(.accessTokenInactive)
                case "unsubscribed": .denied(.resourceForbidden)
                default: .denied(.invalidCredentials)
                }
            },
            clock: EpochClock { 1_000 },
            metrics: counted
        )
        let scoped = DispatchedResource(
            apiName: "admin--Orders", context: "/orders/1.0", version: "1.0", resourceTemplate: "/order",
            methods: ["GET"], scopes: ["write"]
        )
        for (token, resource) in [
            ("good", APIAuthenticationHandlerTests.resource), ("good", APIAuthenticationHandlerTests.resource),
            ("forged", APIAuthenticationHandlerTests.resource), ("old", APIAuthenticationHandlerTests.resource),
            ("revoked", APIAuthenticationHandlerTests.resource), ("unsubscribed", APIAuthenticationHandlerTests.resource),
            ("reader", scoped),
        ] {
            var context = APIAuthenticationHandlerTests.request(["Authorization": "Bearer \(token)"])
            _ = handler.handleRequest(&context, resource: resource)
        }
        var bare = APIAuthenticationHandlerTests.request([:])
        _ = handler.handleRequest(&bare, resource: APIAuthenticationHandlerTests.resource)
        var unmatched = APIAuthenticationHandlerTests.request(["Authorization": "Bearer good"])
        _ = handler.handleRequest(&unmatched, resource: nil)

        #expect(Self.outcome(metrics, "valid") == 2)
        #expect(Self.outcome(metrics, "invalid_credentials") == 1)
        #expect(Self.outcome(metrics, "expired") == 1)
        #expect(Self.outcome(metrics, "inactive") == 1)
        #expect(Self.outcome(metrics, "unsubscribed") == 1)
        #expect(Self.outcome(metrics, "scope_refused") == 1)
        #expect(Self.outcome(metrics, "missing_credentials") == 1)
        #expect(Self.outcome(metrics, "no_matching_resource") == 1)
        #expect(Self.outcome(metrics, "key_manager_error") == 0)
    }

    @Test func outcomesFollowWSO2Codes() {
        #expect(KeyValidationMetrics.Outcome(failureCode: 900905) == .wrongTokenType)
        #expect(KeyValidationMetrics.Outcome(failureCode: 900907) == .apiBlocked)
        #expect(KeyValidationMetrics.Outcome(failureCode: 900909) == .subscriptionInactive)
        #expect(KeyValidationMetrics.Outcome(failureCode: 900900) == .keyManagerError)
        #expect(KeyValidationMetrics.Outcome(failureCode: 123) == .keyManagerError)
    }

    static func lookups(_ metrics: TestMetrics, _ result: String) -> Int64 {
        metrics.counterTotal(label: "sluice_key_validation_cache_lookups_total", dimensions: [("result", result)])
    }

    @Test func cacheLookupsAreCountedByResult() async throws {
        let metrics = TestMetrics()
        let validator = CountingValidator(["tok": KeyValidationResult(authorized: true, validUntil: 2_000)])
        let cache = KeyValidationCache(
            validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, clock: EpochClock { 1_000_000 },
            metricsFactory: metrics
        )
        #expect(try await KeyValidationCacheTests.resolve(cache).authorized)
        _ = cache.lookup(KeyValidationCacheTests.request, apiScope: "/a/1:1")
        #expect(Self.lookups(metrics, "miss") == 1)
        #expect(Self.lookups(metrics, "hit") == 2)

        // A JWT refused on its signature never reaches the key manager.
        let signer = try await KeyValidationCacheJWTTests.signer()
        cache.useVerifier(try await signer.verifier(issuer: KeyValidationCacheJWTTests.issuer))
        let foreign = try await KeyValidationCacheJWTTests.signer()
        let forged = try foreign.sign(KeyValidationCacheJWTTests.claims(), type: "at+jwt")
        _ = cache.lookup(KeyValidationCacheJWTTests.request(forged), apiScope: "/a/1:1")
        #expect(Self.lookups(metrics, "refused_locally") == 1)
        #expect(Self.lookups(metrics, "overloaded") == 0)

        // No call slot and no queue: refused at once.
        let full = KeyValidationCache(
            validator: validator, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            configuration: .init(maxConcurrentLookups: 0, maxQueuedLookups: 0), clock: EpochClock { 1_000_000 },
            metricsFactory: metrics
        )
        guard case .hit(let refused) = full.lookup(KeyValidationCacheTests.request, apiScope: "/a/1:1") else {
            Issue.record("an overloaded cache answers at once")
            return
        }
        #expect(!refused.authorized)
        #expect(Self.lookups(metrics, "overloaded") == 1)
        #expect(validator.calls.withLock { $0 } == 1)
    }
}
