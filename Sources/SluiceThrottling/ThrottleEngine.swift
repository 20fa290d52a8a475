import SluiceModel

/// Decides whether a request is within every limit that applies to it, in WSO2's order: hard limit, API, resource,
/// subscription (with burst), application (with burst).
///
/// Synchronous and lock-light: one counter-store call per level that has a finite tier. Unknown tier names do not
/// throttle (they are reported when the API deploys, not per request).
///
/// Bandwidth tiers (WSO2 `BandwidthLimit`, ``ThrottleTier/bandwidthLimitBytes``) count response bytes: a call
/// is refused while the bytes of its window already reached the limit, and ``recordResponse(_:bytes:)`` adds
/// each response's bytes once it is answered, so the call that crosses the limit is still served.
public struct ThrottleEngine: Sendable {
    public let catalog: ThrottleTierCatalog
    public let store: any ThrottleCounterStore
    public let clock: any ThrottleClock
    /// Where throttle handlers count their decisions; nil counts nothing.
    public var decisionMetrics: ThrottleDecisionMetrics?
    /// The administrators' deny policies, checked by throttle handlers before counting.
    public let blockingConditions: BlockingConditionRegistry

    public init(
        catalog: ThrottleTierCatalog,
        store: any ThrottleCounterStore = LocalCounterStore(),
        clock: any ThrottleClock = SystemThrottleClock(),
        blockingConditions: BlockingConditionRegistry = BlockingConditionRegistry()
    ) {
        self.catalog = catalog
        self.store = store
        self.clock = clock
        self.blockingConditions = blockingConditions
    }

    /// Counts the request at every level and returns the first limit it exceeds, or nil when it may pass.
    public func evaluate(_ request: ThrottleRequest) -> ThrottleOutcome? {
        let now = clock.nowMillis()
        if let perSecond = request.hardLimitPerSecond, perSecond > 0 {
            let key = ThrottleKey(level: .hardLimit, scope: request.apiScope)
            if let outcome = consume(key, limit: perSecond, windowMillis: 1000, stop: true, now: now) {
                return outcome
            }
        }
        if let outcome = check(tierNamed: request.apiTier, level: .resource, key: .init(level: .api, scope: request.apiScope), now: now) {
            return outcome
        }
        if let outcome = check(
            tierNamed: request.resourceTier,
            level: .resource,
            key: .init(level: .resource, scope: request.resourceScope),
            now: now
        ) {
            return outcome
        }
        switch request.caller {
        case .anonymous(let clientIP):
            return check(
                tierNamed: "Unauthenticated",
                level: .subscription,
                key: .init(level: .subscription, scope: request.apiScope, subject: clientIP),
                now: now
            )
        case .application(let id, let subscriptionTier, let applicationTier, let user):
            if let outcome = check(
                tierNamed: subscriptionTier,
                level: .subscription,
                key: .init(level: .subscription, scope: request.apiScope, subject: id),
                burstLevel: .subscriptionBurst,
                now: now
            ) {
                return outcome
            }
            return check(
                tierNamed: applicationTier,
                level: .application,
                key: .init(level: .application, scope: id, subject: user),
                burstLevel: .applicationBurst,
                now: now
            )
        }
    }

    private func check(
        tierNamed name: String?,
        level: TierLevel,
        key: ThrottleKey,
        burstLevel: ThrottleLevel? = nil,
        now: Int64
    ) -> ThrottleOutcome? {
        guard let name, let tier = catalog.tier(named: name, level: level) else { return nil }
        let bandwidth = tier.maxCount == nil ? tier.bandwidthLimitBytes : nil
        guard tier.maxCount != nil || bandwidth != nil else { return nil }
        // Burst control is checked first: a burst-throttled request must not eat into the quota.
        if let burstLevel, let burst = tier.burstLimit, burst > 0 {
            var burstKey = key
            burstKey.level = burstLevel
            if let outcome = consume(burstKey, limit: burst, windowMillis: tier.burstUnitTime ?? 1000, stop: true, now: now) {
                return outcome
            }
        }
        if let bandwidth {
            let decision = store.charge(key: key, amount: 0, limit: bandwidth, windowMillis: tier.unitTime, nowMillis: now)
            guard !decision.admitted, tier.stopOnQuotaReach else { return nil }
            return ThrottleOutcome(level: key.level, nextAccessMillis: decision.windowEndMillis, nowMillis: now)
        }
        return consume(key, limit: tier.maxCount ?? 0, windowMillis: tier.unitTime, stop: tier.stopOnQuotaReach, now: now)
    }

    /// Charges a served call's response bytes to every bandwidth tier that applies to it (cheap and a no-op
    /// while the catalog has no bandwidth tier).
    /// - Parameters:
    ///   - request: The call, as ``evaluate(_:)`` saw it.
    ///   - bytes: The response body's size.
    public func recordResponse(_ request: ThrottleRequest, bytes: Int64) {
        guard catalog.hasBandwidthTiers, bytes > 0 else { return }
        let now = clock.nowMillis()
        func charge(_ name: String?, _ level: TierLevel, _ key: ThrottleKey) {
            guard let name, let tier = catalog.tier(named: name, level: level), let limit = tier.bandwidthLimitBytes
            else { return }
            _ = store.charge(key: key, amount: bytes, limit: limit, windowMillis: tier.unitTime, nowMillis: now)
        }
        charge(request.apiTier, .resource, ThrottleKey(level: .api, scope: request.apiScope))
        charge(request.resourceTier, .resource, ThrottleKey(level: .resource, scope: request.resourceScope))
        switch request.caller {
        case .anonymous(let clientIP):
            charge("Unauthenticated", .subscription, ThrottleKey(level: .subscription, scope: request.apiScope, subject: clientIP))
        case .application(let id, let subscriptionTier, let applicationTier, let user):
            charge(subscriptionTier, .subscription, ThrottleKey(level: .subscription, scope: request.apiScope, subject: id))
            charge(applicationTier, .application, ThrottleKey(level: .application, scope: id, subject: user))
        }
    }

    private func consume(_ key: ThrottleKey, limit: Int64, windowMillis: Int64, stop: Bool, now: Int64) -> ThrottleOutcome? {
        let decision = store.consume(key: key, limit: limit, windowMillis: windowMillis, nowMillis: now)
        // A tier that does not stop on quota lets the request through; the count still shows in usage statistics.
        guard !decision.admitted, stop else { return nil }
        return ThrottleOutcome(level: key.level, nextAccessMillis: decision.windowEndMillis, nowMillis: now)
    }
}
