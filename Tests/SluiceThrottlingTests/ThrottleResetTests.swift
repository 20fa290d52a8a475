import SluiceModel
import SluiceThrottling
import Testing

/// WSO2's reset-throttle-policy at the gateway: an application throttled by its application tier is admitted again
/// once its (application, user) counters are reset; other users, applications and levels keep their counts.
@Suite struct ThrottleResetTests {
    private let clock = ManualThrottleClock()

    private func engine(_ store: any ThrottleCounterStore = LocalCounterStore()) -> ThrottleEngine {
        let tier = ThrottleTier(name: "TwoPerMin", maxCount: 2, unitTime: 60_000)
        return ThrottleEngine(
            catalog: ThrottleTierCatalog([.application: TierSet(level: .application, tiers: [tier])]),
            store: store,
            clock: clock
        )
    }

    private func call(application: String = "7", user: String = "alice") -> ThrottleRequest {
        ThrottleRequest(
            apiScope: "/pizza/1.0.0:1.0.0",
            resourceScope: "/pizza/1.0.0:1.0.0:GET:/menu",
            caller: .application(id: application, subscriptionTier: "Unlimited", applicationTier: "TwoPerMin", user: user)
        )
    }

    @Test func aThrottledApplicationIsAdmittedAgainAfterItsReset() throws {
        let engine = engine()
        #expect(engine.evaluate(call()) == nil)
        #expect(engine.evaluate(call()) == nil)
        #expect(try #require(engine.evaluate(call())).httpStatus == 429)
        #expect(engine.evaluate(call(user: "bob")) == nil)
        #expect(engine.evaluate(call(user: "bob")) == nil)

        #expect(engine.resetApplication("7", user: "alice"))
        #expect(engine.evaluate(call()) == nil)
        #expect(engine.evaluate(call()) == nil)
        #expect(engine.evaluate(call()) != nil)
        // Bob of the same application, and another application, were not reset.
        #expect(engine.evaluate(call(user: "bob")) != nil)
        #expect(engine.resetApplication("8", user: "alice"))
        #expect(engine.evaluate(call()) != nil)
    }

    @Test func sharedClusterCountersAreNotResetHere() {
        let engine = engine(SharedCounterStore())
        #expect(engine.evaluate(call()) == nil)
        #expect(!engine.resetApplication("7", user: "alice"))
    }
}
