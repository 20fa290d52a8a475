/// A throttling tier: at most `maxCount` requests per `unitTime` milliseconds, optionally with burst control.
public struct ThrottleTier: Sendable, Hashable {
    /// `throttle:ID`, e.g. `Gold`.
    public var name: String
    /// Nil for `Unlimited`.
    public var maxCount: Int64?
    /// Window length in milliseconds.
    public var unitTime: Int64
    /// Burst control: at most this many requests per `burstUnitTime` on top of the quota (nil: none).
    public var burstLimit: Int64?
    public var burstUnitTime: Int64?
    /// `x-wso2-BillingPlan` (FREE, COMMERCIAL).
    public var billingPlan: String?
    /// `x-wso2-StopOnQuotaReach`: false lets requests through (and only counts them) after the quota.
    public var stopOnQuotaReach: Bool
    public var description: String?
    /// Other `x-*` attributes, kept so a tiers file round-trips.
    public var attributes: [String: String]

    public init(
        name: String,
        maxCount: Int64?,
        unitTime: Int64 = 60_000,
        burstLimit: Int64? = nil,
        burstUnitTime: Int64? = nil,
        billingPlan: String? = nil,
        stopOnQuotaReach: Bool = true,
        description: String? = nil,
        attributes: [String: String] = [:]
    ) {
        self.name = name
        self.maxCount = maxCount
        self.unitTime = unitTime
        self.burstLimit = burstLimit
        self.burstUnitTime = burstUnitTime
        self.billingPlan = billingPlan
        self.stopOnQuotaReach = stopOnQuotaReach
        self.description = description
        self.attributes = attributes
    }

    public var isUnlimited: Bool { maxCount == nil }

    /// The attribute holding a bandwidth tier's data amount (WSO2 `BandwidthLimit.dataAmount`).
    public static let bandwidthAmountAttribute = "bandwidthDataAmount"
    /// The attribute holding a bandwidth tier's data unit, `KB` or `MB` (WSO2 `BandwidthLimit.dataUnit`).
    public static let bandwidthUnitAttribute = "bandwidthDataUnit"

    /// For a bandwidth tier (no `maxCount`, a data amount and unit in ``attributes``): the bytes allowed per
    /// `unitTime`, counting 1 KB as 1024 bytes as WSO2 does; nil for request-count tiers.
    public var bandwidthLimitBytes: Int64? {
        guard maxCount == nil, let amount = attributes[Self.bandwidthAmountAttribute].flatMap(Int64.init), amount > 0
        else { return nil }
        let shift: Int64
        switch attributes[Self.bandwidthUnitAttribute]?.uppercased() {
        case "KB": shift = 10
        case "MB": shift = 20
        default: return nil
        }
        return amount > Int64.max >> shift ? Int64.max : amount << shift
    }

    public static let unlimited = ThrottleTier(name: "Unlimited", maxCount: nil, description: "Allows unlimited requests")
}

/// Which file, and which kind of limit, a tier set belongs to.
public enum TierLevel: String, Sendable, Hashable, CaseIterable {
    /// `tiers.xml`: subscription tiers.
    case subscription
    /// `app-tiers.xml`: application tiers.
    case application
    /// `res-tiers.xml`: resource (and API) tiers.
    case resource

    /// The file name under `repository/conf/`.
    public var fileName: String {
        switch self {
        case .subscription: "tiers.xml"
        case .application: "app-tiers.xml"
        case .resource: "res-tiers.xml"
        }
    }
}

/// The tiers of one level, in file order; `Unlimited` is always available even when not listed.
public struct TierSet: Sendable, Hashable {
    public var level: TierLevel
    public var tiers: [ThrottleTier]

    public init(level: TierLevel, tiers: [ThrottleTier]) {
        self.level = level
        self.tiers = tiers
    }

    /// The named tier; `Unlimited` resolves even when the file does not declare it.
    public subscript(name: String) -> ThrottleTier? {
        if let tier = tiers.first(where: { $0.name == name }) { return tier }
        return name == ThrottleTier.unlimited.name ? .unlimited : nil
    }

    /// WSO2's default tiers for a level, used when its file is absent
    /// (`default-tiers.xml`, `default-app-tiers.xml`, `default-res-tiers.xml`: requests per minute).
    public static func wso2Defaults(_ level: TierLevel) -> TierSet {
        let names: [String] =
            switch level {
            case .subscription: ["Gold", "Silver", "Bronze"]
            case .application: ["Large", "Medium", "Small"]
            case .resource: ["Ultimate", "Plus", "Basic"]
            }
        let counts: [Int64] = [20, 5, 1]
        var tiers = zip(names, counts).map { name, count in
            ThrottleTier(
                name: name,
                maxCount: count,
                unitTime: 60_000,
                billingPlan: "FREE",
                description: "Allows \(count) request\(count == 1 ? "" : "s") per minute"
            )
        }
        tiers.append(
            ThrottleTier(
                name: "Unauthenticated",
                maxCount: 60,
                unitTime: 60_000,
                billingPlan: "FREE",
                description: "Allows 60 requests per minute"
            )
        )
        return TierSet(level: level, tiers: tiers)
    }
}
