import Foundation
import SluiceModel

/// WSO2's role aliases (`GET|PUT /admin/v4/system-scopes/role-aliases`): a role's users also hold the roles it is
/// an alias of, with their scopes (basic callers at once, new tokens from their issue; a token keeps the scopes it
/// was issued with, as in WSO2).
extension PlatformService {
    /// A role and the roles mapped onto it.
    package struct RoleAlias: Sendable, Hashable {
        package var role: String
        package var aliases: [String]

        package init(role: String, aliases: [String]) {
            self.role = role
            self.aliases = aliases
        }
    }

    /// The roles that have aliases, by name.
    /// - Throws: ``ManagementError`` 403 without `apim:admin` or `apim:scope_manage`.
    package func roleAliases(by principal: Principal) async throws -> [RoleAlias] {
        try principal.requireAny(["apim:admin", "apim:scope_manage"])
        return Self.aliases(of: try await services.storage.roles())
    }

    /// Replaces every role's aliases with `list` (roles left out lose theirs, as WSO2's PUT replaces the mapping).
    /// - Throws: ``ManagementError`` 403; 400 for a role or alias that does not exist, a role named twice, or a
    ///   role that is its own alias. Nothing is stored then.
    package func setRoleAliases(_ list: [RoleAlias], by principal: Principal) async throws -> [RoleAlias] {
        try principal.requireAny(["apim:admin", "apim:scope_manage"])
        var roles = try await services.storage.roles()
        let known = Set(roles.map(\.name))
        var wanted: [String: [String]] = [:]
        for entry in list {
            guard known.contains(entry.role) else { throw ManagementError.badRequest("role: no role \(entry.role)") }
            guard wanted[entry.role] == nil else { throw ManagementError.badRequest("role: \(entry.role) is listed twice") }
            if let unknown = entry.aliases.first(where: { !known.contains($0) }) {
                throw ManagementError.badRequest("aliases: no role \(unknown) (alias of \(entry.role))")
            }
            guard !entry.aliases.contains(entry.role) else {
                throw ManagementError.badRequest("aliases: \(entry.role) cannot be an alias of itself")
            }
            var seen: Set<String> = []
            wanted[entry.role] = entry.aliases.filter { seen.insert($0).inserted }
        }
        for index in roles.indices {
            let aliases = wanted[roles[index].name] ?? []
            guard roles[index].aliases != aliases else { continue }
            roles[index].aliases = aliases
            try await services.storage.saveRole(roles[index])
        }
        return Self.aliases(of: roles)
    }

    private static func aliases(of roles: [Role]) -> [RoleAlias] {
        roles.filter { !$0.aliases.isEmpty }.map { RoleAlias(role: $0.name, aliases: $0.aliases) }
    }
}
