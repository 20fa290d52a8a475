import Foundation
package import SluiceModel
package import SluiceStorage

/// Users, roles and throttling policies: the logic behind `/api/am/admin/v4`, shared with the Admin portal.
///
/// Policy changes call ``APIManagerConfiguration/onThrottlingPolicyChange`` after they are stored, so gateways
/// apply them without a restart, whichever way the change came in.
package struct AdminService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    /// URL segments of the policy levels; WSO2's "advanced" policies are the API and resource level.
    package static let policyLevels: [(segment: String, level: TierLevel)] = [
        ("subscription", .subscription), ("application", .application), ("advanced", .resource),
    ]

    // MARK: - Users

    /// Every user, without password hashes in sight of the caller's views.
    /// - Throws: ``ManagementError`` 403 without `apim:admin`.
    package func users(by principal: Principal) async throws -> [UserRecord] {
        try principal.require("apim:admin")
        return try await services.storage.users()
    }

    /// One user.
    /// - Throws: ``ManagementError`` 403 without `apim:admin`, 404.
    package func user(_ username: String, by principal: Principal) async throws -> UserRecord {
        try principal.require("apim:admin")
        guard let user = try await services.storage.user(named: username) else {
            throw ManagementError.notFound("User \(username) not found")
        }
        return user
    }

    /// The roles users may have.
    /// - Throws: ``ManagementError`` 403 without `apim:admin`.
    package func roles(by principal: Principal) async throws -> [Role] {
        try principal.require("apim:admin")
        return try await services.storage.roles()
    }

    /// Creates a user; the password is stored as a hash only.
    /// - Throws: ``ManagementError`` 403, 400 for an invalid name, password, e-mail or role, 409 for a taken name.
    package func createUser(
        username: String,
        password: String,
        email: String?,
        roles: [String],
        by principal: Principal
    ) async throws -> UserRecord {
        try principal.require("apim:admin")
        try UserRules.checkUsername(username)
        try UserRules.checkPassword(password)
        if let email { try UserRules.checkEmail(email) }
        try await checkRoles(roles)
        if try await services.storage.user(named: username) != nil {
            throw ManagementError.conflict("The user name \(username) is taken")
        }
        let record = UserRecord(
            username: username,
            passwordHash: services.keyManager.configuration.passwordHasher.hash(password),
            email: email,
            roles: roles,
            createdAt: Date()
        )
        try await services.storage.createUser(record)
        return record
    }

    /// Replaces the roles of a user; administrators cannot take the admin role from themselves.
    /// - Throws: ``ManagementError`` 403, 400 for unknown roles or self-demotion, 404.
    package func setRoles(_ roles: [String], username: String, by principal: Principal) async throws -> UserRecord {
        try principal.require("apim:admin")
        try await checkRoles(roles)
        guard let user = try await services.storage.user(named: username) else {
            throw ManagementError.notFound("User \(username) not found")
        }
        if user.username.caseInsensitiveCompare(principal.username) == .orderedSame && !roles.contains(Role.admin.name)
        {
            throw ManagementError.badRequest("You cannot remove the admin role from yourself")
        }
        // The key manager revokes the user's tokens when the roles change: their scopes came from the old roles.
        return try await services.keyManager.setRoles(roles, forUser: user.username)
    }

    /// Removes a user and revokes their tokens; administrators cannot remove themselves.
    /// - Throws: ``ManagementError`` 403, 400 for self-removal, 404.
    package func removeUser(_ username: String, by principal: Principal) async throws {
        try principal.require("apim:admin")
        guard let user = try await services.storage.user(named: username) else {
            throw ManagementError.notFound("User \(username) not found")
        }
        if user.username.caseInsensitiveCompare(principal.username) == .orderedSame {
            throw ManagementError.badRequest("You cannot remove yourself")
        }
        guard try await services.keyManager.removeUser(user.username) else {
            throw ManagementError.notFound("User \(username) not found")
        }
    }

    private func checkRoles(_ roles: [String]) async throws {
        guard !roles.isEmpty else { throw ManagementError.badRequest("roles must name at least one role") }
        let known = Set(try await services.storage.roles().map(\.name))
        let unknown = roles.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw ManagementError.badRequest(
                "Unknown role\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")); "
                    + "use \(known.sorted().joined(separator: ", "))"
            )
        }
    }

    // MARK: - Throttling policies

    /// The policies of a level in effect (tier files overridden and extended by stored policies, and Unlimited).
    /// - Throws: ``ManagementError`` 403 without a tier scope.
    package func policies(_ level: TierLevel, by principal: Principal) async throws -> [ThrottleTier] {
        try principal.requireAny(["apim:admin_tier_view", "apim:tier_manage"])
        return try await services.tiers(level)
    }

    /// One policy of a level in effect.
    /// - Throws: ``ManagementError`` 403 without a tier scope, 404.
    package func policy(named name: String, level: TierLevel, by principal: Principal) async throws -> ThrottleTier {
        guard let tier = try await policies(level, by: principal).first(where: { $0.name == name }) else {
            throw ManagementError.notFound("\(level.rawValue) policy \(name) not found")
        }
        return tier
    }

    /// Whether `name` is a stored policy (deletable), as opposed to one from the tier files only.
    package func isStoredPolicy(_ name: String, level: TierLevel) async throws -> Bool {
        try await services.storage.policies(level: level).contains { $0.name == name }
    }

    /// Stores a new policy and tells the gateways.
    /// - Throws: ``ManagementError`` 403, 409 for a name in use.
    package func createPolicy(_ tier: ThrottleTier, level: TierLevel, by principal: Principal) async throws {
        try principal.requireAny(["apim:admin_tier_manage", "apim:tier_manage"])
        if try await services.tierNames(level).contains(tier.name) {
            throw ManagementError.conflict("A \(level.rawValue) policy named \(tier.name) already exists")
        }
        try await services.storage.createPolicy(tier, level: level)
        services.configuration.onThrottlingPolicyChange?(.upserted(tier, level: level))
    }

    /// Replaces a policy; a tier-file policy gets a stored override. Unlimited cannot change.
    /// - Throws: ``ManagementError`` 403, 400, 404.
    package func updatePolicy(_ tier: ThrottleTier, level: TierLevel, by principal: Principal) async throws {
        try principal.requireAny(["apim:admin_tier_manage", "apim:tier_manage"])
        guard tier.name != ThrottleTier.unlimited.name else {
            throw ManagementError.badRequest("Unlimited cannot be changed")
        }
        if try await isStoredPolicy(tier.name, level: level) {
            try await services.storage.updatePolicy(tier, level: level)
        } else if services.configuration.builtInTiers[level]?[tier.name] != nil {
            try await services.storage.createPolicy(tier, level: level)
        } else {
            throw ManagementError.notFound("\(level.rawValue) policy \(tier.name) not found")
        }
        services.configuration.onThrottlingPolicyChange?(.upserted(tier, level: level))
    }

    /// Deletes a stored policy no API, application or subscription uses; deleting the override of a tier-file
    /// policy brings the tier-file one back.
    /// - Throws: ``ManagementError`` 403, 400 (tier-file policy), 404, 409 (in use).
    package func deletePolicy(named name: String, level: TierLevel, by principal: Principal) async throws {
        try principal.requireAny(["apim:admin_tier_manage", "apim:tier_manage"])
        guard try await isStoredPolicy(name, level: level) else {
            if try await services.tierNames(level).contains(name) {
                throw ManagementError.badRequest("\(name) is defined in the tier files and cannot be deleted here")
            }
            throw ManagementError.notFound("\(level.rawValue) policy \(name) not found")
        }
        let builtIn = services.configuration.builtInTiers[level]?[name]
        if builtIn == nil, let user = try await usage(of: name, level: level) {
            throw ManagementError.conflict("The policy \(name) is in use by \(user)")
        }
        _ = try await services.storage.deletePolicy(named: name, level: level)
        if let builtIn {
            services.configuration.onThrottlingPolicyChange?(.upserted(builtIn, level: level))
        } else {
            services.configuration.onThrottlingPolicyChange?(.removed(name: name, level: level))
        }
    }

    /// Something that uses the policy, for the refusal message; nil when unused.
    private func usage(of name: String, level: TierLevel) async throws -> String? {
        switch level {
        case .subscription:
            if let api = try await services.storage.apis().first(where: { $0.stored.definition.policies.contains(name) }
            ) {
                return "the API \(api.name) \(api.version)"
            }
            if try await services.storage.allSubscriptions().contains(where: { $0.tier == name }) {
                return "subscriptions"
            }
        case .application:
            if let application = try await services.storage.applications(owner: nil).first(where: {
                $0.throttlingTier == name
            }) {
                return "the application \(application.name)"
            }
        case .resource:
            if let api = try await services.storage.apis().first(where: { record in
                let definition = record.stored.definition
                return definition.apiThrottlingPolicy == name
                    || definition.operations.contains { $0.throttlingPolicy == name }
            }) {
                return "the API \(api.name) \(api.version)"
            }
        }
        return nil
    }

    /// What a policy limits per window: requests, or response data (WSO2's `BANDWIDTHLIMIT`).
    package enum PolicyLimit: Sendable {
        case requestCount(Int64)
        /// `dataAmount` at least 1, `dataUnit` `KB` or `MB`.
        case bandwidth(dataAmount: Int64, dataUnit: String)
    }

    /// A policy from form fields, checked exactly as the admin REST API checks its DTO.
    /// - Parameters:
    ///   - name: `policyName`.
    ///   - displayName: Shown instead of the name; nil: the name.
    ///   - description: Free text.
    ///   - limit: Requests or data allowed per window.
    ///   - unitTime: Window length in `timeUnit`s (1 to 1000).
    ///   - timeUnit: `sec`, `min`, `hour` or `day`.
    ///   - burstCount: Subscription policies: burst limit per `burstTimeUnit`; nil for none.
    ///   - burstTimeUnit: `sec` or `min`.
    ///   - stopOnQuotaReach: Subscription policies: refuse calls over the quota (nil: level default).
    ///   - billingPlan: Subscription policies: `FREE`, `COMMERCIAL`... (nil: none).
    ///   - level: The policy level; other levels refuse the subscription-only fields.
    /// - Throws: ``ManagementError`` 400 naming the bad field.
    package static func policyTier(
        name: String,
        displayName: String?,
        description: String?,
        limit: PolicyLimit,
        unitTime: Int64,
        timeUnit: String,
        burstCount: Int64?,
        burstTimeUnit: String?,
        stopOnQuotaReach: Bool?,
        billingPlan: String?,
        level: TierLevel
    ) throws(ManagementError) -> ThrottleTier {
        let defaultLimit =
            switch limit {
            case .requestCount(let count):
                ThrottlePolicyDTO.Limit(
                    type: "REQUESTCOUNTLIMIT",
                    requestCount: ThrottlePolicyDTO.RequestCount(
                        timeUnit: timeUnit, unitTime: unitTime, requestCount: count
                    )
                )
            case .bandwidth(let amount, let unit):
                ThrottlePolicyDTO.Limit(
                    type: "BANDWIDTHLIMIT",
                    bandwidth: ThrottlePolicyDTO.Bandwidth(
                        timeUnit: timeUnit, unitTime: unitTime, dataAmount: amount, dataUnit: unit
                    )
                )
            }
        let dto = ThrottlePolicyDTO(
            policyName: name,
            displayName: displayName,
            description: description,
            defaultLimit: defaultLimit,
            rateLimitCount: burstCount,
            rateLimitTimeUnit: burstTimeUnit,
            stopOnQuotaReach: stopOnQuotaReach,
            billingPlan: billingPlan
        )
        return try dto.tier(level: level)
    }

    /// The bandwidth limit of a tier as form fields, e.g. (10, "MB"); nil for request-count tiers.
    package static func bandwidth(of tier: ThrottleTier) -> (dataAmount: Int64, dataUnit: String)? {
        ThrottlePolicyDTO(tier).defaultLimit.bandwidth.map { ($0.dataAmount, $0.dataUnit) }
    }

    /// The window of a tier as form fields: (`timeUnit`, `unitTime`), e.g. ("min", 1).
    package static func window(of tier: ThrottleTier) -> (timeUnit: String, unitTime: Int64) {
        let limit = ThrottlePolicyDTO(tier).defaultLimit
        if let count = limit.requestCount { return (count.timeUnit, count.unitTime) }
        if let bandwidth = limit.bandwidth { return (bandwidth.timeUnit, bandwidth.unitTime) }
        return ("min", 1)
    }

    /// The display name of a tier (its name when none was given).
    package static func displayName(of tier: ThrottleTier) -> String {
        tier.attributes[ThrottlePolicyDTO.displayNameAttribute] ?? tier.name
    }
}

extension ThrottlePolicyDTO {
    /// A DTO for a request-count or bandwidth limit with the optional fields of a form.
    init(
        policyName: String,
        displayName: String?,
        description: String?,
        defaultLimit: Limit,
        rateLimitCount: Int64?,
        rateLimitTimeUnit: String?,
        stopOnQuotaReach: Bool?,
        billingPlan: String?
    ) {
        self.policyId = nil
        self.policyName = policyName
        self.displayName = displayName
        self.description = description
        self.isDeployed = nil
        self.defaultLimit = defaultLimit
        self.rateLimitCount = rateLimitCount
        self.rateLimitTimeUnit = rateLimitTimeUnit
        self.stopOnQuotaReach = stopOnQuotaReach
        self.billingPlan = billingPlan
    }
}
