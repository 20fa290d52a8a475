import SluiceModel
import SluiceThrottling
import Testing

@Suite struct ThrottleEngineTests {
    private let clock = ManualThrottleClock()

    private func engine(_ tiers: [TierLevel: TierSet] = [:]) -> ThrottleEngine {
        ThrottleEngine(catalog: ThrottleTierCatalog(tiers), store: LocalCounterStore(), clock: clock)
    }

    private func request(
        apiTier: String? = nil,
        resourceTier: String? = nil,
        hardLimit: Int64? = nil,
        subscriptionTier: String = "Unlimited",
        applicationTier: String = "Unlimited",
        app: String = "7",
        user: String = "alice"
    ) -> ThrottleRequest {
        ThrottleRequest(
            apiScope: "/pizza/1.0.0:1.0.0",
            apiTier: apiTier,
            resourceScope: "/pizza/1.0.0:1.0.0:GET:/menu",
            resourceTier: resourceTier,
            hardLimitPerSecond: hardLimit,
            caller: .application(id: app, subscriptionTier: subscriptionTier, applicationTier: applicationTier, user: user)
        )
    }

    /// Sends requests until one is throttled and returns how many passed and the outcome.
    private func drain(_ engine: ThrottleEngine, _ request: ThrottleRequest, max: Int = 100) -> (Int, ThrottleOutcome?) {
        for passed in 0..<max {
            if let outcome = engine.evaluate(request) { return (passed, outcome) }
        }
        return (max, nil)
    }

    @Test func unlimitedNeverThrottles() {
        let (passed, outcome) = drain(engine(), request())
        #expect(passed == 100)
        #expect(outcome == nil)
    }

    @Test(arguments: [
        // Default tiers.xml: Gold 20/min, Silver 5, Bronze 1.
        ("Gold", 20), ("Silver", 5), ("Bronze", 1),
    ])
    func subscriptionTierFromTiersXML(tier: String, limit: Int) {
        let (passed, outcome) = drain(engine(), request(subscriptionTier: tier))
        #expect(passed == limit)
        #expect(outcome?.code == 900804)
        #expect(outcome?.httpStatus == 429)
        #expect(outcome?.reason == "SUBSCRIPTION_LIMIT_EXCEEDED")
        #expect(outcome?.retryAfterSeconds == 60)
        #expect(outcome?.nextAccessMillis == clock.nowMillis() + 60_000)
    }

    @Test func eachLevelAnswersWithItsCode() {
        #expect(drain(engine(), request(apiTier: "Basic")).1?.code == 900800)
        #expect(drain(engine(), request(resourceTier: "Basic")).1?.code == 900802)
        #expect(drain(engine(), request(applicationTier: "Small")).1?.code == 900803)
        let hard = drain(engine(), request(hardLimit: 2))
        #expect(hard.0 == 2)
        #expect(hard.1?.code == 900801)
        #expect(hard.1?.httpStatus == 503)
        #expect(hard.1?.message == "API Limit Reached")
    }

    @Test func windowReopensAfterUnitTime() {
        let engine = engine()
        #expect(drain(engine, request(subscriptionTier: "Bronze")).0 == 1)
        clock.advance(by: 59_999)
        #expect(engine.evaluate(request(subscriptionTier: "Bronze")) != nil)
        clock.advance(by: 1)
        #expect(engine.evaluate(request(subscriptionTier: "Bronze")) == nil)
    }

    @Test func subscriptionsAreCountedPerApplicationAndApplicationsPerUser() {
        let engine = engine()
        #expect(drain(engine, request(subscriptionTier: "Bronze", app: "1")).0 == 1)
        #expect(drain(engine, request(subscriptionTier: "Bronze", app: "2")).0 == 1)
        #expect(drain(engine, request(applicationTier: "Small", user: "alice")).0 == 1)
        #expect(drain(engine, request(applicationTier: "Small", user: "bob")).0 == 1)
    }

    @Test func burstControlComesBeforeTheQuota() {
        let gold = ThrottleTier(name: "Gold", maxCount: 10, unitTime: 60_000, burstLimit: 2, burstUnitTime: 1000)
        let engine = engine([.subscription: TierSet(level: .subscription, tiers: [gold])])
        let (passed, outcome) = drain(engine, request(subscriptionTier: "Gold"))
        #expect(passed == 2)
        #expect(outcome?.code == 900807)
        #expect(outcome?.retryAfterSeconds == 1)
        var total = passed
        for _ in 0..<10 {
            clock.advance(by: 1000)
            total += drain(engine, request(subscriptionTier: "Gold")).0
        }
        // The quota of 10 per minute still holds across bursts.
        #expect(total == 10)
        #expect(engine.evaluate(request(subscriptionTier: "Gold"))?.code == 900804)
    }

    @Test func applicationBurstHasItsOwnCode() {
        let tier = ThrottleTier(name: "Spiky", maxCount: 100, burstLimit: 1, burstUnitTime: 1000)
        let engine = engine([.application: TierSet(level: .application, tiers: [tier])])
        #expect(drain(engine, request(applicationTier: "Spiky")).1?.code == 900809)
    }

    @Test func quotaThatDoesNotStopOnlyCounts() {
        let soft = ThrottleTier(name: "Soft", maxCount: 1, stopOnQuotaReach: false)
        let engine = engine([.subscription: TierSet(level: .subscription, tiers: [soft])])
        #expect(drain(engine, request(subscriptionTier: "Soft")).1 == nil)
    }

    @Test func anonymousCallersShareTheUnauthenticatedTierPerIP() {
        let engine = engine()
        func anonymous(_ ip: String) -> ThrottleRequest {
            ThrottleRequest(apiScope: "/a:1", resourceScope: "/a:1:GET:/x", caller: .anonymous(clientIP: ip))
        }
        let (passed, outcome) = drain(engine, anonymous("10.0.0.1"), max: 200)
        #expect(passed == 60)
        #expect(outcome?.code == 900804)
        #expect(engine.evaluate(anonymous("10.0.0.2")) == nil)
    }

    @Test func tierChangesApplyWithoutRestart() {
        let engine = engine()
        #expect(drain(engine, request(subscriptionTier: "Bronze")).0 == 1)
        engine.catalog.upsert(ThrottleTier(name: "Bronze", maxCount: 3), level: .subscription)
        // Same window: two more requests fit under the raised limit.
        #expect(drain(engine, request(subscriptionTier: "Bronze")).0 == 2)
        engine.catalog.remove(tierNamed: "Bronze", level: .subscription)
        // WSO2's advanced default Bronze (1000/min) applies once the file's tier is gone.
        #expect(engine.evaluate(request(subscriptionTier: "Bronze")) == nil)
    }

    @Test func unknownTierDoesNotThrottle() {
        #expect(drain(engine(), request(subscriptionTier: "Platinum")).1 == nil)
    }
}
