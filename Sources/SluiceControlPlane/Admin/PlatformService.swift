import Foundation
import SluiceModel

/// What WSO2's portals and apictl read before anything else: the REST APIs' settings, the key manager, the gateway
/// environment, and the role bindings of the REST APIs' own scopes (WSO2's "system scopes").
package struct PlatformService: Sendable {
    /// The one gateway environment: Sluice's gateways all serve every deployed API.
    package struct GatewayEnvironment: Sendable, Hashable {
        package var id: String
        package var name: String
        package var host: String
        package var httpPort: Int
        package var httpsPort: Int
    }

    /// A REST API scope and the roles that grant it.
    package struct SystemScope: Sendable, Hashable {
        package var name: String
        package var roles: [String]

        package init(name: String, roles: [String]) {
            self.name = name
            self.roles = roles
        }
    }

    let services: APIManagerServices

    package init(services: APIManagerServices) {
        self.services = services
    }

    /// The grant types the key manager serves (identity.xml's).
    package var grantTypes: [String] { services.keyManager.configuration.identity.supportedGrantTypes }

    /// WSO2's name of the built-in key manager, and its fixed id.
    package static let keyManagerName = KeyMapping.keyManagerName
    package static let keyManagerID = "6f2d1c3e-5a4b-4c8d-9e7f-0a1b2c3d4e5f"

    /// The gateway environment APIs are deployed to (WSO2's `Default`).
    package var environment: GatewayEnvironment {
        let gateway = services.configuration.gateway
        return GatewayEnvironment(
            id: Self.environmentID,
            name: "Default",
            host: gateway.host,
            httpPort: gateway.httpPort,
            httpsPort: gateway.httpsPort
        )
    }

    package static let environmentID = "d3c1e0f4-1d6b-4b8a-8f3e-4a5b6c7d8e9f"

    /// Every scope some role grants, with those roles, sorted by name.
    /// - Throws: ``ManagementError`` 403 without `apim:admin` or `apim:scope_manage`.
    package func systemScopes(by principal: Principal) async throws -> [SystemScope] {
        try principal.requireAny(["apim:admin", "apim:scope_manage"])
        return try await Self.scopes(inRoles: services.storage.roles())
    }

    /// The scopes `roles` grant, each with the roles granting it, sorted by name.
    package static func scopes(inRoles roles: [Role]) -> [SystemScope] {
        var bindings: [String: [String]] = [:]
        for role in roles {
            for scope in role.scopes { bindings[scope, default: []].append(role.name) }
        }
        return bindings.keys.sorted().map { SystemScope(name: $0, roles: bindings[$0]!.sorted()) }
    }

    /// Every REST scope some role grants (the settings list them to any caller allowed to read settings).
    package func allScopes() async throws -> [SystemScope] {
        try await Self.scopes(inRoles: services.storage.roles())
    }

    /// Whether `username` (the caller when nil) holds `scope` through a role.
    /// - Throws: ``ManagementError`` 403 (another user's scopes need `apim:admin`), 404 for an unknown scope or user.
    package func userHasScope(_ scope: String, username: String?, by principal: Principal) async throws -> Bool {
        let roles = try await services.storage.roles()
        guard Self.scopes(inRoles: roles).contains(where: { $0.name == scope }) else {
            throw ManagementError.notFound("No system scope \(scope)")
        }
        let name = username ?? principal.username
        if name != principal.username { try principal.requireAny(["apim:admin", "apim:scope_manage"]) }
        guard let user = try await services.storage.user(named: name) else {
            throw ManagementError.notFound("No user \(name)")
        }
        return Role.held(by: user.roles, in: roles).contains { $0.scopes.contains(scope) }
    }

    /// Binds each scope of `bindings` to exactly its roles (other scopes keep theirs). A token keeps the scopes it
    /// was issued with until it expires, as in WSO2; new tokens follow the new bindings.
    /// - Throws: ``ManagementError`` 403, 400 for a role that does not exist or a scope outside `apim:`.
    package func bindSystemScopes(_ bindings: [SystemScope], by principal: Principal) async throws -> [SystemScope] {
        try principal.requireAny(["apim:admin", "apim:scope_manage"])
        var roles = try await services.storage.roles()
        let known = Set(roles.map(\.name))
        for binding in bindings {
            guard binding.name.hasPrefix("apim:") else {
                throw ManagementError.badRequest("\(binding.name) is not a REST API scope (apim:...)")
            }
            if let unknown = binding.roles.first(where: { !known.contains($0) }) {
                throw ManagementError.badRequest("No role \(unknown) (scope \(binding.name))")
            }
        }
        // The administrator's own scope stays with an administrator role, so nobody locks the admin API out.
        if let admin = bindings.first(where: { $0.name == "apim:admin" }), admin.roles.isEmpty {
            throw ManagementError.badRequest("apim:admin must stay bound to at least one role")
        }
        for index in roles.indices {
            var role = roles[index]
            for binding in bindings {
                if binding.roles.contains(role.name) { role.scopes.insert(binding.name) } else { role.scopes.remove(binding.name) }
            }
            if role != roles[index] {
                try await services.storage.saveRole(role)
                roles[index] = role
            }
        }
        return Self.scopes(inRoles: roles)
    }

    /// Whether a role exists; `roleID` is the role's name, or WSO2's base64url encoding of it.
    package func roleExists(_ roleID: String) async throws -> Bool {
        let names = Set(try await services.storage.roles().map(\.name))
        return !names.isDisjoint(with: Self.roleNames(for: roleID))
    }

    /// The role names a WSO2 `roleId` may stand for: itself, and its base64url decoding when it is one.
    package static func roleNames(for roleID: String) -> Set<String> {
        var encoded = roleID.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        encoded += String(repeating: "=", count: (4 - encoded.count % 4) % 4)
        guard let data = Data(base64Encoded: encoded), let name = String(data: data, encoding: .utf8) else {
            return [roleID]
        }
        return [roleID, name]
    }
}
