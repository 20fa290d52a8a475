import SluiceControlPlane
import SluiceModel

/// The Admin portal's form of a throttling policy (a request-count or a bandwidth limit), read from a browser or
/// a stored tier, and turned into a tier by the admin REST API's own checks (`AdminService.requestCountTier`,
/// `AdminService.bandwidthTier`).
struct PolicyForm {
    /// What the policy limits: requests, or data (WSO2's `REQUESTCOUNTLIMIT` and `BANDWIDTHLIMIT`).
    enum LimitType: String, CaseIterable {
        case requestCount
        case bandwidth

        var label: String {
            switch self {
            case .requestCount: "Request count"
            case .bandwidth: "Bandwidth"
            }
        }
    }

    var name = ""
    var displayName = ""
    var description = ""
    /// The submitted limit type; nil when a browser sent one the form does not offer.
    var limitType: LimitType? = .requestCount
    var requestCount = ""
    var dataAmount = ""
    var dataUnit = "MB"
    var unitTime = "1"
    var timeUnit = "min"
    var burstCount = ""
    var burstTimeUnit = "sec"
    var stopOnQuotaReach = true
    var billingPlan = "FREE"

    static let timeUnits = ["sec", "min", "hour", "day"]
    static let dataUnits = ["KB", "MB"]
    static let billingPlans = ["FREE", "COMMERCIAL"]

    init() {}

    /// The form of a stored tier.
    init(tier: ThrottleTier) {
        name = tier.name
        let display = AdminService.displayName(of: tier)
        displayName = display == tier.name ? "" : display
        description = tier.description ?? ""
        requestCount = tier.maxCount.map(String.init) ?? ""
        if let bandwidth = AdminService.bandwidth(of: tier) {
            limitType = .bandwidth
            dataAmount = String(bandwidth.dataAmount)
            dataUnit = bandwidth.dataUnit
        }
        let window = AdminService.window(of: tier)
        unitTime = String(window.unitTime)
        timeUnit = window.timeUnit
        burstCount = tier.burstLimit.map(String.init) ?? ""
        burstTimeUnit = (tier.burstUnitTime ?? 1_000) <= 1_000 ? "sec" : "min"
        stopOnQuotaReach = tier.stopOnQuotaReach
        billingPlan = tier.billingPlan ?? "FREE"
    }

    /// A submitted form.
    init(form: PortalForm) {
        name = form.text("name") ?? ""
        displayName = form.text("displayName") ?? ""
        description = form.text("description") ?? ""
        // Forms without the choice (older pages, scripts) describe request counts.
        limitType = LimitType(rawValue: form.text("limitType") ?? LimitType.requestCount.rawValue)
        requestCount = form.text("requestCount") ?? ""
        dataAmount = form.text("dataAmount") ?? ""
        dataUnit = form.text("dataUnit") ?? "MB"
        unitTime = form.text("unitTime") ?? ""
        timeUnit = form.text("timeUnit") ?? "min"
        burstCount = form.text("burstCount") ?? ""
        burstTimeUnit = form.text("burstTimeUnit") ?? "sec"
        stopOnQuotaReach = form["stopOnQuotaReach"] != nil
        billingPlan = form.text("billingPlan") ?? "FREE"
    }

    /// The tier the form describes at `level`.
    /// - Throws: `ManagementError` 400 naming the field that is wrong.
    func tier(level: TierLevel) throws(ManagementError) -> ThrottleTier {
        guard let limitType else { throw ManagementError.badRequest("Choose a request count or a bandwidth limit") }
        guard let window = Int64(unitTime) else {
            throw ManagementError.badRequest("The time window must be a whole number")
        }
        var burst: Int64?
        if !burstCount.isEmpty {
            guard let value = Int64(burstCount) else {
                throw ManagementError.badRequest("The burst limit must be a whole number")
            }
            burst = value
        }
        let limit: AdminService.PolicyLimit
        if limitType == .bandwidth {
            guard let amount = Int64(dataAmount) else {
                throw ManagementError.badRequest("The data amount must be a whole number")
            }
            limit = .bandwidth(dataAmount: amount, dataUnit: dataUnit)
        } else {
            guard let count = Int64(requestCount) else {
                throw ManagementError.badRequest("Requests must be a whole number")
            }
            limit = .requestCount(count)
        }
        do {
            return try tier(level: level, window: window, burst: burst, limit: limit)
        } catch {
            // The admin service speaks of the REST API's fields; the form's user sees labels.
            throw ManagementError(
                error.status, message: error.message, detail: Self.labelled(error.detail), items: error.items
            )
        }
    }

    /// The form's labels for the REST fields the admin service's messages name, longest names first.
    static let fieldLabels: [(field: String, label: String)] = [
        ("defaultLimit.requestCount.requestCount", "Requests"),
        ("defaultLimit.requestCount.unitTime", "The time window"),
        ("defaultLimit.requestCount.timeUnit", "The time unit"),
        ("defaultLimit.bandwidth.dataAmount", "Data"),
        ("defaultLimit.bandwidth.dataUnit", "The data unit"),
        ("defaultLimit.bandwidth.unitTime", "The time window"),
        ("defaultLimit.bandwidth.timeUnit", "The time unit"),
        ("rateLimitTimeUnit", "The burst limit's unit"),
        ("rateLimitCount", "The burst limit"),
        ("stopOnQuotaReach", "Stop on quota reach"),
        ("policyName", "Name"),
        ("displayName", "Display name"),
        ("billingPlan", "Billing plan"),
    ]

    /// `message` with every REST field name replaced by the form's label for it.
    static func labelled(_ message: String) -> String {
        fieldLabels.reduce(message) { text, pair in text.replacingOccurrences(of: pair.field, with: pair.label) }
    }

    private func tier(level: TierLevel, window: Int64, burst: Int64?, limit: AdminService.PolicyLimit)
        throws(ManagementError) -> ThrottleTier
    {
        let subscription = level == .subscription
        return try AdminService.policyTier(
            name: name,
            displayName: displayName.isEmpty ? nil : displayName,
            description: description.isEmpty ? nil : description,
            limit: limit,
            unitTime: window,
            timeUnit: timeUnit,
            burstCount: subscription ? burst : nil,
            burstTimeUnit: subscription && burst != nil ? burstTimeUnit : nil,
            stopOnQuotaReach: subscription ? stopOnQuotaReach : nil,
            billingPlan: subscription ? billingPlan : nil,
            level: level
        )
    }

    /// What the `admin/policy-form` template reads.
    func view(level: TierLevel, segment: String, isEdit: Bool, errors: [String]) -> [String: Any] {
        [
            "name": name, "displayName": displayName, "description": description, "requestCount": requestCount,
            "unitTime": unitTime, "burstCount": burstCount, "stopOnQuotaReach": stopOnQuotaReach,
            "limitTypes": LimitType.allCases.map {
                ["value": $0.rawValue, "label": $0.label, "checked": $0 == (limitType ?? .requestCount)]
            },
            "dataAmount": dataAmount,
            "dataUnits": Self.dataUnits.map { ["value": $0, "selected": $0 == dataUnit] },
            "timeUnits": Self.timeUnits.map { ["value": $0, "selected": $0 == timeUnit] },
            "burstTimeUnits": ["sec", "min"].map { ["value": $0, "selected": $0 == burstTimeUnit] },
            "billingPlans": Self.billingPlans.map { ["value": $0, "selected": $0 == billingPlan] },
            "isSubscription": level == .subscription, "isEdit": isEdit, "segment": segment,
            "action": isEdit ? "/admin/policies/\(segment)/\(name)" : "/admin/policies/\(segment)",
            "errors": errors, "hasErrors": !errors.isEmpty,
        ]
    }
}
