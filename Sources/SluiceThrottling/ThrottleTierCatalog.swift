import NIOConcurrencyHelpers
import SluiceModel
import Synchronization

/// The tiers in force, per level, swapped as a whole when tiers.xml & co. or the admin's policies change, so a tier
/// change applies to the next request without a restart.
public final class ThrottleTierCatalog: Sendable {
    private let current: NIOLockedValueBox<[TierLevel: TierSet]>
    private let bandwidthTiersPresent = Atomic<Bool>(false)

    /// - Parameter tiers: the sets read from tiers.xml, app-tiers.xml, res-tiers.xml; missing levels get WSO2's defaults.
    public init(_ tiers: [TierLevel: TierSet] = [:]) {
        let completed = Self.completed(tiers)
        current = NIOLockedValueBox(completed)
        bandwidthTiersPresent.store(Self.containsBandwidth(completed), ordering: .releasing)
    }

    /// True when some tier in force limits bandwidth: only then do responses need counting.
    public var hasBandwidthTiers: Bool { bandwidthTiersPresent.load(ordering: .acquiring) }

    /// Replaces every level at once.
    public func replace(with tiers: [TierLevel: TierSet]) {
        let completed = Self.completed(tiers)
        current.withLockedValue { sets in
            sets = completed
            bandwidthTiersPresent.store(Self.containsBandwidth(sets), ordering: .releasing)
        }
    }

    private static func containsBandwidth(_ sets: [TierLevel: TierSet]) -> Bool {
        sets.values.contains { $0.tiers.contains { $0.bandwidthLimitBytes != nil } }
    }

    /// Adds or replaces one tier of a level (an admin policy created or edited).
    public func upsert(_ tier: ThrottleTier, level: TierLevel) {
        current.withLockedValue { sets in
            var set = sets[level] ?? TierSet.wso2Defaults(level)
            if let index = set.tiers.firstIndex(where: { $0.name == tier.name }) {
                set.tiers[index] = tier
            } else {
                set.tiers.append(tier)
            }
            sets[level] = set
            bandwidthTiersPresent.store(Self.containsBandwidth(sets), ordering: .releasing)
        }
    }

    /// Removes a tier of a level.
    public func remove(tierNamed name: String, level: TierLevel) {
        current.withLockedValue { sets in
            sets[level]?.tiers.removeAll { $0.name == name }
            bandwidthTiersPresent.store(Self.containsBandwidth(sets), ordering: .releasing)
        }
    }

    /// All sets in force.
    public var tierSets: [TierLevel: TierSet] { current.withLockedValue { $0 } }

    /// The tier called `name` at `level`: the level's file first, then WSO2's advanced-throttling default policies
    /// (`50KPerMin`, `50PerMin`...), then `Unlimited`.
    public func tier(named name: String, level: TierLevel) -> ThrottleTier? {
        if let tier = current.withLockedValue({ $0[level]?[name] }) { return tier }
        return Self.advancedDefaults[level]?.first { $0.name == name }
    }

    private static func completed(_ tiers: [TierLevel: TierSet]) -> [TierLevel: TierSet] {
        var result = tiers
        for level in TierLevel.allCases where result[level] == nil {
            result[level] = TierSet.wso2Defaults(level)
        }
        return result
    }

    /// WSO2's advanced throttling defaults (requests per minute), so definitions written for API-M 2.x+ resolve.
    private static let advancedDefaults: [TierLevel: [ThrottleTier]] = [
        .subscription: [
            perMinute("Gold", 5000), perMinute("Silver", 2000), perMinute("Bronze", 1000),
            perMinute("Unauthenticated", 500),
        ],
        .application: [perMinute("50PerMin", 50), perMinute("20PerMin", 20), perMinute("10PerMin", 10)],
        .resource: [perMinute("50KPerMin", 50_000), perMinute("20KPerMin", 20_000), perMinute("10KPerMin", 10_000)],
    ]

    private static func perMinute(_ name: String, _ count: Int64) -> ThrottleTier {
        ThrottleTier(name: name, maxCount: count, unitTime: 60_000, description: "Allows \(count) requests per minute")
    }
}
