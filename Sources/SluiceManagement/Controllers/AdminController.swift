import Foundation
import Hummingbird
import Logging
import SluiceModel
import SluiceStorage

/// `/api/am/admin/v4`: users, roles and throttling policies.
struct AdminController: Sendable {
    static let prefix = "/api/am/admin/v4"

    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = Self.prefix
        routes.get("\(prefix)/users") { request, _ in try await users(request) }
        routes.post("\(prefix)/users") { request, _ in try await createUser(request) }
        routes.get("\(prefix)/users/:username") { request, context in
            try await user(request, context.parameters.path("username"))
        }
        routes.put("\(prefix)/users/:username/roles") { request, context in
            try await setRoles(request, context.parameters.path("username"))
        }
        routes.get("\(prefix)/roles") { request, _ in try await roles(request) }
        for (segment, level) in Self.policyLevels {
            let base = "\(prefix)/throttling/policies/\(segment)"
            routes.get(base) { request, _ in try await policies(request, level) }
            routes.post(base) { request, _ in try await createPolicy(request, level) }
            routes.get("\(base)/:policyId") { request, context in
                try await policy(request, level, context.parameters.path("policyId"))
            }
            routes.put("\(base)/:policyId") { request, context in
                try await updatePolicy(request, level, context.parameters.path("policyId"))
            }
            routes.delete("\(base)/:policyId") { request, context in
                try await deletePolicy(request, level, context.parameters.path("policyId"))
            }
        }
    }

    /// URL segments of the policy levels; WSO2's "advanced" policies are the API and resource level.
    static let policyLevels: [(String, TierLevel)] = [
        ("subscription", .subscription), ("application", .application), ("advanced", .resource),
    ]

    // MARK: - Users

    private func administrator(_ request: Request) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:admin")
        return principal
    }

    private func users(_ request: Request) async throws -> Response {
        _ = try await administrator(request)
        return JSONResponses.response(
            ListDTO(try await services.storage.users().map(UserDTO.init), page: try request.pagination())
        )
    }

    private func user(_ request: Request, _ username: String) async throws -> Response {
        _ = try await administrator(request)
        guard let user = try await services.storage.user(named: username) else {
            throw ManagementError.notFound("User \(username) not found")
        }
        return JSONResponses.response(UserDTO(user))
    }

    private func createUser(_ request: Request) async throws -> Response {
        _ = try await administrator(request)
        let dto = try await services.decoder.decode(UserCreationDTO.self, from: request)
        try UserRules.checkUsername(dto.username)
        try UserRules.checkPassword(dto.password)
        if let email = dto.email { try UserRules.checkEmail(email) }
        try await checkRoles(dto.roles)
        if try await services.storage.user(named: dto.username) != nil {
            throw ManagementError.conflict("The user name \(dto.username) is taken")
        }
        let record = UserRecord(
            username: dto.username,
            passwordHash: services.keyManager.configuration.passwordHasher.hash(dto.password),
            email: dto.email,
            roles: dto.roles,
            createdAt: Date()
        )
        try await services.storage.createUser(record)
        return JSONResponses.response(
            UserDTO(record),
            status: .created,
            headers: [.location: "\(Self.prefix)/users/\(record.username)"]
        )
    }

    private func setRoles(_ request: Request, _ username: String) async throws -> Response {
        let principal = try await administrator(request)
        let dto = try await services.decoder.decode(UserRolesDTO.self, from: request)
        try await checkRoles(dto.roles)
        guard let user = try await services.storage.user(named: username) else {
            throw ManagementError.notFound("User \(username) not found")
        }
        if user.username.caseInsensitiveCompare(principal.username) == .orderedSame
            && !dto.roles.contains(Role.admin.name)
        {
            throw ManagementError.badRequest("You cannot remove the admin role from yourself")
        }
        try await services.storage.setRoles(dto.roles, forUser: user.username)
        guard let updated = try await services.storage.user(named: username) else {
            throw ManagementError.notFound("User \(username) not found")
        }
        return JSONResponses.response(UserDTO(updated))
    }

    private func roles(_ request: Request) async throws -> Response {
        _ = try await administrator(request)
        return JSONResponses.response(ListDTO(try await services.storage.roles().map(RoleDTO.init)))
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

    private func policies(_ request: Request, _ level: TierLevel) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(["apim:admin_tier_view", "apim:tier_manage"])
        return JSONResponses.response(ListDTO(try await services.tiers(level).map(ThrottlePolicyDTO.init)))
    }

    private func policy(_ request: Request, _ level: TierLevel, _ name: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(["apim:admin_tier_view", "apim:tier_manage"])
        guard let tier = try await services.tiers(level).first(where: { $0.name == name }) else {
            throw ManagementError.notFound("\(level.rawValue) policy \(name) not found")
        }
        return JSONResponses.response(ThrottlePolicyDTO(tier))
    }

    private func createPolicy(_ request: Request, _ level: TierLevel) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(["apim:admin_tier_manage", "apim:tier_manage"])
        let dto = try await services.decoder.decode(
            ThrottlePolicyDTO.self,
            from: request,
            readOnlyFields: ThrottlePolicyDTO.readOnlyFields
        )
        let tier = try dto.tier(level: level)
        if try await services.tierNames(level).contains(tier.name) {
            throw ManagementError.conflict("A \(level.rawValue) policy named \(tier.name) already exists")
        }
        try await services.storage.createPolicy(tier, level: level)
        services.configuration.onThrottlingPolicyChange?(.upserted(tier, level: level))
        let segment = Self.policyLevels.first { $0.1 == level }?.0 ?? level.rawValue
        return JSONResponses.response(
            ThrottlePolicyDTO(tier),
            status: .created,
            headers: [.location: "\(Self.prefix)/throttling/policies/\(segment)/\(tier.name)"]
        )
    }

    /// Replaces a policy; a built-in tier gets a stored override.
    private func updatePolicy(_ request: Request, _ level: TierLevel, _ name: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(["apim:admin_tier_manage", "apim:tier_manage"])
        let dto = try await services.decoder.decode(
            ThrottlePolicyDTO.self,
            from: request,
            readOnlyFields: ThrottlePolicyDTO.readOnlyFields
        )
        guard dto.policyName == name else { throw ManagementError.badRequest("policyName cannot be changed") }
        guard name != ThrottleTier.unlimited.name else {
            throw ManagementError.badRequest("Unlimited cannot be changed")
        }
        let tier = try dto.tier(level: level)
        if try await services.storage.policies(level: level).contains(where: { $0.name == name }) {
            try await services.storage.updatePolicy(tier, level: level)
        } else if services.configuration.builtInTiers[level]?[name] != nil {
            try await services.storage.createPolicy(tier, level: level)
        } else {
            throw ManagementError.notFound("\(level.rawValue) policy \(name) not found")
        }
        services.configuration.onThrottlingPolicyChange?(.upserted(tier, level: level))
        return JSONResponses.response(ThrottlePolicyDTO(tier))
    }

    /// Deletes a stored policy no API, application or subscription uses; a deleted override of a built-in tier
    /// brings the built-in one back.
    private func deletePolicy(_ request: Request, _ level: TierLevel, _ name: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(["apim:admin_tier_manage", "apim:tier_manage"])
        guard try await services.storage.policies(level: level).contains(where: { $0.name == name }) else {
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
        return JSONResponses.empty()
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
}
