import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
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
        routes.delete("\(prefix)/users/:username") { request, context in
            try await removeUser(request, context.parameters.path("username"))
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
    static var policyLevels: [(String, TierLevel)] { AdminService.policyLevels.map { ($0.segment, $0.level) } }

    private var admin: AdminService { AdminService(services: services) }

    // MARK: - Users

    private func administrator(_ request: Request) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:admin")
        return principal
    }

    private func users(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        return JSONResponses.response(
            ListDTO(try await admin.users(by: principal).map(UserDTO.init), page: try request.pagination())
        )
    }

    private func user(_ request: Request, _ username: String) async throws -> Response {
        let principal = try await administrator(request)
        return JSONResponses.response(UserDTO(try await admin.user(username, by: principal)))
    }

    private func createUser(_ request: Request) async throws -> Response {
        let principal = try await administrator(request)
        let dto = try await services.decoder.decode(UserCreationDTO.self, from: request)
        let record = try await admin.createUser(
            username: dto.username,
            password: dto.password,
            email: dto.email,
            roles: dto.roles,
            by: principal
        )
        return JSONResponses.response(
            UserDTO(record),
            status: .created,
            headers: [.location: "\(Self.prefix)/users/\(record.username)"]
        )
    }

    private func removeUser(_ request: Request, _ username: String) async throws -> Response {
        let principal = try await administrator(request)
        try await admin.removeUser(username, by: principal)
        return JSONResponses.empty()
    }

    private func setRoles(_ request: Request, _ username: String) async throws -> Response {
        let principal = try await administrator(request)
        let dto = try await services.decoder.decode(UserRolesDTO.self, from: request)
        return JSONResponses.response(UserDTO(try await admin.setRoles(dto.roles, username: username, by: principal)))
    }

    private func roles(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        return JSONResponses.response(ListDTO(try await admin.roles(by: principal).map(RoleDTO.init)))
    }

    // MARK: - Throttling policies

    private func policies(_ request: Request, _ level: TierLevel) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        return JSONResponses.response(ListDTO(try await admin.policies(level, by: principal).map(ThrottlePolicyDTO.init)))
    }

    private func policy(_ request: Request, _ level: TierLevel, _ name: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        return JSONResponses.response(ThrottlePolicyDTO(try await admin.policy(named: name, level: level, by: principal)))
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
        try await admin.createPolicy(tier, level: level, by: principal)
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
        try await admin.updatePolicy(tier, level: level, by: principal)
        return JSONResponses.response(ThrottlePolicyDTO(tier))
    }

    /// Deletes a stored policy no API, application or subscription uses; a deleted override of a built-in tier
    /// brings the built-in one back.
    private func deletePolicy(_ request: Request, _ level: TierLevel, _ name: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try await admin.deletePolicy(named: name, level: level, by: principal)
        return JSONResponses.empty()
    }
}
