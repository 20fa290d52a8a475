import SluiceModel
import SluiceSynapse
import SluiceThrottling

/// The throttle engine over the repository's tier files, plus `Bench*` tiers far above any count a benchmark
/// reaches, so a decision counts at every level (API, resource, subscription, application) and always passes.
struct ThrottleFixture: Sendable {
    let engine: ThrottleEngine
    /// Counted at all four levels.
    let everyLevel: ThrottleRequest
    /// Unlimited everywhere: the tiers are looked up, no counter is touched.
    let unlimited: ThrottleRequest

    init() throws {
        let catalog = ThrottleTierCatalog(try TierConfigReader.readAll(confDirectory: RepositoryFiles.conf.path))
        let generous: Int64 = 1_000_000_000_000
        catalog.upsert(ThrottleTier(name: "BenchResource", maxCount: generous), level: .resource)
        catalog.upsert(
            ThrottleTier(name: "BenchGold", maxCount: generous, burstLimit: generous, burstUnitTime: 1000),
            level: .subscription
        )
        catalog.upsert(ThrottleTier(name: "BenchApp", maxCount: generous), level: .application)
        engine = ThrottleEngine(catalog: catalog)
        everyLevel = ThrottleRequest(
            apiScope: "/pizzashack/1.0.0:1.0.0",
            apiTier: "BenchResource",
            resourceScope: "/pizzashack/1.0.0:1.0.0:GET:/menu",
            resourceTier: "BenchResource",
            caller: .application(id: "app-1", subscriptionTier: "BenchGold", applicationTier: "BenchApp", user: "alice")
        )
        unlimited = ThrottleRequest(
            apiScope: "/pizzashack/1.0.0:1.0.0",
            resourceScope: "/pizzashack/1.0.0:1.0.0:GET:/menu",
            resourceTier: "Unlimited",
            caller: .application(
                id: "app-1",
                subscriptionTier: "Unlimited",
                applicationTier: "Unlimited",
                user: "alice"
            )
        )
        guard engine.evaluate(everyLevel) == nil, engine.evaluate(unlimited) == nil else {
            fatalError("the throttle fixture refused a request")
        }
    }
}
