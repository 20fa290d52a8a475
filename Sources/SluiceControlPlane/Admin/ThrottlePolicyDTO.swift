import Foundation
import SluiceModel

/// WSO2's admin throttling policy DTOs (`SubscriptionThrottlePolicyDTO`, `ApplicationThrottlePolicyDTO`,
/// `AdvancedThrottlePolicyDTO`) in one shape; burst control, quota behaviour and billing belong to
/// subscription policies only.
package struct ThrottlePolicyDTO: Codable, Sendable {
    package static let readOnlyFields: Set<String> = ["policyId", "isDeployed", "type"]

    /// `defaultLimit`.
    package struct Limit: Codable, Sendable {
        /// `REQUESTCOUNTLIMIT` or `BANDWIDTHLIMIT`; inferred when absent.
        package var type: String?
        package var requestCount: RequestCount?
        package var bandwidth: Bandwidth?
    }

    /// `RequestCountLimitDTO`.
    package struct RequestCount: Codable, Sendable {
        package var timeUnit: String
        package var unitTime: Int64
        package var requestCount: Int64
    }

    /// `BandwidthLimitDTO`.
    package struct Bandwidth: Codable, Sendable {
        package var timeUnit: String
        package var unitTime: Int64
        package var dataAmount: Int64
        /// `KB` or `MB`.
        package var dataUnit: String
    }

    package var policyId: String?
    package var policyName: String
    package var displayName: String?
    package var description: String?
    package var isDeployed: Bool?
    package var defaultLimit: Limit
    package var rateLimitCount: Int64?
    package var rateLimitTimeUnit: String?
    package var stopOnQuotaReach: Bool?
    package var billingPlan: String?

    // Attribute keys that carry DTO fields without a column of their own.
    package static let displayNameAttribute = "displayName"
    package static let bandwidthAmountAttribute = ThrottleTier.bandwidthAmountAttribute
    package static let bandwidthUnitAttribute = ThrottleTier.bandwidthUnitAttribute
    package static let bandwidthTimeAttribute = "bandwidthUnitTime"

    /// The DTO of a stored or built-in tier.
    package init(_ tier: ThrottleTier) {
        policyId = tier.name
        policyName = tier.name
        displayName = tier.attributes[Self.displayNameAttribute] ?? tier.name
        description = tier.description
        isDeployed = true
        if let amount = tier.attributes[Self.bandwidthAmountAttribute].flatMap(Int64.init),
            let unit = tier.attributes[Self.bandwidthUnitAttribute],
            let window = tier.attributes[Self.bandwidthTimeAttribute].flatMap(Int64.init)
        {
            let (timeUnit, unitTime) = Self.describe(milliseconds: window)
            defaultLimit = Limit(
                type: "BANDWIDTHLIMIT",
                requestCount: nil,
                bandwidth: Bandwidth(timeUnit: timeUnit, unitTime: unitTime, dataAmount: amount, dataUnit: unit)
            )
        } else {
            let (timeUnit, unitTime) = Self.describe(milliseconds: tier.unitTime)
            defaultLimit = Limit(
                type: "REQUESTCOUNTLIMIT",
                requestCount: RequestCount(timeUnit: timeUnit, unitTime: unitTime, requestCount: tier.maxCount ?? -1),
                bandwidth: nil
            )
        }
        rateLimitCount = tier.burstLimit
        rateLimitTimeUnit = tier.burstUnitTime.map { $0 <= 1_000 ? "sec" : "min" }
        stopOnQuotaReach = tier.stopOnQuotaReach
        billingPlan = tier.billingPlan
    }

    /// The tier this DTO describes at `level`.
    /// - Throws: ``ManagementError`` 400 for invalid names, limits, units or fields of another level.
    package func tier(level: TierLevel) throws(ManagementError) -> ThrottleTier {
        guard policyName.range(of: "^[A-Za-z0-9_.-]{1,64}$", options: .regularExpression) != nil else {
            throw ManagementError.badRequest("policyName must be 1 to 64 letters, digits, '_', '.' or '-'")
        }
        if level != .subscription {
            let subscriptionOnly = [
                ("rateLimitCount", rateLimitCount != nil), ("rateLimitTimeUnit", rateLimitTimeUnit != nil),
                ("stopOnQuotaReach", stopOnQuotaReach != nil), ("billingPlan", billingPlan != nil),
            ].filter(\.1).map(\.0)
            guard subscriptionOnly.isEmpty else {
                throw ManagementError.badRequest(
                    "\(subscriptionOnly.joined(separator: ", ")) apply to subscription policies only"
                )
            }
        }
        var attributes: [String: String] = [:]
        if let displayName { attributes[Self.displayNameAttribute] = displayName }
        var maxCount: Int64?
        var unitTime: Int64
        switch (defaultLimit.type?.uppercased(), defaultLimit.requestCount, defaultLimit.bandwidth) {
        // WSO2's `type` chooses the limit; its clients send the other one too (WSO2 ignores it, so does Sluice).
        case ("REQUESTCOUNTLIMIT", let count?, _), (nil, let count?, nil):
            guard count.requestCount >= 1 else {
                throw ManagementError.badRequest("defaultLimit.requestCount.requestCount must be at least 1")
            }
            maxCount = count.requestCount
            unitTime = try Self.milliseconds(count.timeUnit, count.unitTime, field: "defaultLimit.requestCount")
        case ("BANDWIDTHLIMIT", _, let bandwidth?), (nil, nil, let bandwidth?):
            guard bandwidth.dataAmount >= 1 else {
                throw ManagementError.badRequest("defaultLimit.bandwidth.dataAmount must be at least 1")
            }
            guard ["KB", "MB"].contains(bandwidth.dataUnit) else {
                throw ManagementError.badRequest("defaultLimit.bandwidth.dataUnit must be KB or MB")
            }
            unitTime = try Self.milliseconds(bandwidth.timeUnit, bandwidth.unitTime, field: "defaultLimit.bandwidth")
            attributes[Self.bandwidthAmountAttribute] = String(bandwidth.dataAmount)
            attributes[Self.bandwidthUnitAttribute] = bandwidth.dataUnit
            attributes[Self.bandwidthTimeAttribute] = String(unitTime)
        default:
            throw ManagementError.badRequest(
                "defaultLimit needs exactly one of requestCount or bandwidth, "
                    + "matching its type (REQUESTCOUNTLIMIT, BANDWIDTHLIMIT)"
            )
        }
        var burstUnitTime: Int64?
        if let rateLimitCount {
            guard rateLimitCount >= 1 else { throw ManagementError.badRequest("rateLimitCount must be at least 1") }
            switch rateLimitTimeUnit?.lowercased() {
            case "sec", "second", "s": burstUnitTime = 1_000
            case "min", "minute", "m": burstUnitTime = 60_000
            default: throw ManagementError.badRequest("rateLimitTimeUnit must be sec or min when rateLimitCount is set")
            }
        } else if rateLimitTimeUnit != nil {
            throw ManagementError.badRequest("rateLimitTimeUnit needs rateLimitCount")
        }
        return ThrottleTier(
            name: policyName,
            maxCount: maxCount,
            unitTime: unitTime,
            burstLimit: rateLimitCount,
            burstUnitTime: burstUnitTime,
            billingPlan: billingPlan,
            stopOnQuotaReach: stopOnQuotaReach ?? true,
            description: description,
            attributes: attributes
        )
    }

    private static let units: [(names: Set<String>, milliseconds: Int64, name: String)] = [
        (["day", "days"], 86_400_000, "day"),
        (["hour", "hours"], 3_600_000, "hour"),
        (["min", "minute", "minutes"], 60_000, "min"),
        (["sec", "second", "seconds", "s"], 1_000, "sec"),
    ]

    private static func milliseconds(_ timeUnit: String, _ unitTime: Int64, field: String) throws(ManagementError)
        -> Int64
    {
        guard unitTime >= 1, unitTime <= 1_000 else {
            throw ManagementError.badRequest("\(field).unitTime must be 1 to 1000")
        }
        guard let unit = units.first(where: { $0.names.contains(timeUnit.lowercased()) }) else {
            throw ManagementError.badRequest("\(field).timeUnit must be sec, min, hour or day")
        }
        return unit.milliseconds * unitTime
    }

    private static func describe(milliseconds: Int64) -> (String, Int64) {
        for unit in units where milliseconds % unit.milliseconds == 0 {
            return (unit.name, milliseconds / unit.milliseconds)
        }
        return ("sec", max(1, milliseconds / 1_000))
    }
}
