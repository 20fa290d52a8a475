import SluiceModel
import SluiceThrottling
import Testing

/// Bandwidth tiers (WSO2 `BandwidthLimit`): response bytes per window, with an injected clock.
@Suite struct BandwidthThrottleTests {
    private let clock = ManualThrottleClock()

    static func bandwidthTier(_ name: String, amount: Int64, unit: String, windowMillis: Int64 = 60_000) -> ThrottleTier {
        ThrottleTier(
            name: name, maxCount: nil, unitTime: windowMillis,
            attributes: [ThrottleTier.bandwidthAmountAttribute: String(amount), ThrottleTier.bandwidthUnitAttribute: unit]
        )
    }

    private func request(subscriptionTier: String = "Unlimited", applicationTier: String = "Unlimited") -> ThrottleRequest {
        ThrottleRequest(
            apiScope: "/pizza/1.0.0:1.0.0",
            resourceScope: "/pizza/1.0.0:1.0.0:GET:/menu",
            caller: .application(id: "7", subscriptionTier: subscriptionTier, applicationTier: applicationTier, user: "alice")
        )
    }

    @Test func dataUnitsCountBinaryKilobytesAndMegabytes() {
        #expect(Self.bandwidthTier("a", amount: 2, unit: "KB").bandwidthLimitBytes == 2048)
        #expect(Self.bandwidthTier("b", amount: 3, unit: "MB").bandwidthLimitBytes == 3 << 20)
        #expect(Self.bandwidthTier("c", amount: 3, unit: "GB").bandwidthLimitBytes == nil)
        #expect(Self.bandwidthTier("d", amount: Int64.max, unit: "MB").bandwidthLimitBytes == Int64.max)
        // A request-count tier is never a bandwidth tier, whatever its attributes say.
        var counted = Self.bandwidthTier("e", amount: 1, unit: "KB")
        counted.maxCount = 5
        #expect(counted.bandwidthLimitBytes == nil)
    }

    @Test func callsAreRefusedOnceTheWindowsBytesReachTheLimitUntilItEnds() throws {
        let catalog = ThrottleTierCatalog([
            .subscription: TierSet(level: .subscription, tiers: [Self.bandwidthTier("OneKB", amount: 1, unit: "KB")])
        ])
        #expect(catalog.hasBandwidthTiers)
        let engine = ThrottleEngine(catalog: catalog, store: LocalCounterStore(), clock: clock)
        let call = request(subscriptionTier: "OneKB")
        #expect(engine.evaluate(call) == nil)
        engine.recordResponse(call, bytes: 600)
        #expect(engine.evaluate(call) == nil)
        // The call that crosses the limit was already served; the next one is refused.
        engine.recordResponse(call, bytes: 600)
        let refused = try #require(engine.evaluate(call))
        #expect(refused.code == 900804)
        #expect(refused.httpStatus == 429)
        #expect(refused.nextAccessMillis == clock.nowMillis() + 60_000)
        // Another application has its own total.
        #expect(engine.evaluate(ThrottleRequest(
            apiScope: call.apiScope, resourceScope: call.resourceScope,
            caller: .application(id: "8", subscriptionTier: "OneKB", applicationTier: "Unlimited", user: "bob")
        )) == nil)
        clock.advance(by: 60_000)
        #expect(engine.evaluate(call) == nil)
    }

    @Test func applicationBandwidthTiersCountPerApplicationAndUser() {
        let catalog = ThrottleTierCatalog([
            .application: TierSet(level: .application, tiers: [Self.bandwidthTier("AppKB", amount: 1, unit: "KB")])
        ])
        let engine = ThrottleEngine(catalog: catalog, store: LocalCounterStore(), clock: clock)
        let call = request(applicationTier: "AppKB")
        engine.recordResponse(call, bytes: 1024)
        #expect(engine.evaluate(call)?.code == 900803)
    }

    @Test func withoutBandwidthTiersResponsesAreNotCounted() {
        let store = LocalCounterStore()
        let catalog = ThrottleTierCatalog()
        #expect(!catalog.hasBandwidthTiers)
        let engine = ThrottleEngine(catalog: catalog, store: store, clock: clock)
        engine.recordResponse(request(subscriptionTier: "Gold"), bytes: 10_000)
        #expect(store.activeWindowCount == 0)
        // An admin policy turns counting on, and removing it turns it off.
        catalog.upsert(Self.bandwidthTier("Big", amount: 1, unit: "MB"), level: .subscription)
        #expect(catalog.hasBandwidthTiers)
        catalog.remove(tierNamed: "Big", level: .subscription)
        #expect(!catalog.hasBandwidthTiers)
    }

    @Test func chargingKeepsBytesApartFromRequestCounts() {
        let store = LocalCounterStore()
        let key = ThrottleKey(level: .subscription, scope: "s", subject: "7")
        #expect(store.consume(key: key, limit: 1, windowMillis: 1000, nowMillis: 0).admitted)
        let first = store.charge(key: key, amount: 0, limit: 100, windowMillis: 1000, nowMillis: 0)
        #expect(first.admitted && first.count == 0)
        let second = store.charge(key: key, amount: 150, limit: 100, windowMillis: 1000, nowMillis: 10)
        #expect(second.admitted && second.count == 150)
        #expect(!store.charge(key: key, amount: 0, limit: 100, windowMillis: 1000, nowMillis: 20).admitted)
        #expect(!store.consume(key: key, limit: 1, windowMillis: 1000, nowMillis: 20).admitted)
        #expect(store.charge(key: key, amount: 0, limit: 100, windowMillis: 1000, nowMillis: 1000).admitted)
    }
}
