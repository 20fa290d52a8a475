import SluiceModel

/// Which of the scopes a token request names the user may have (WSO2's role-based scope issuing).
///
/// - A scope of the management REST APIs (`apim:*`, the roles' scopes) is granted when one of the user's roles
///   carries it.
/// - A scope an API declares is granted when the user holds a role of each of its declarations (a declaration
///   bound to no role admits everyone).
/// - `default` is always granted; any other scope is unknown and left out, as WSO2 leaves out scopes no API
///   defines: a scope with no declared roles must not open a resource to anyone who asks.
///
/// Refused scopes are dropped, not errors (RFC 6749 §3.3 lets the server issue less than asked); a request left
/// with nothing gets `default`.
struct ScopeGrantPolicy: Sendable {
    /// Every role with its REST API scopes.
    var roles: [Role]
    /// The API scopes, see ``APIScopeCatalog``.
    var declarations: APIScopeCatalog.Declarations

    /// The scope every token may carry.
    static let defaultScope = "default"

    /// The requested scopes the user may have, in request order; `default` when none is left or none was asked.
    func granted(_ requested: [String]?, toUserWith userRoles: [String]) -> [String] {
        guard let requested else { return [Self.defaultScope] }
        // The roles named and those they are aliases of (WSO2's role aliases).
        let heldRoles = Role.held(by: userRoles, in: roles)
        let held = Set(userRoles).union(heldRoles.map(\.name))
        let systemScopes = roles.reduce(into: Set<String>()) { $0.formUnion($1.scopes) }
        let userSystemScopes = heldRoles.reduce(into: Set<String>()) {
            $0.formUnion($1.scopes)
        }
        let granted = requested.filter { scope in
            if scope == Self.defaultScope { return true }
            if systemScopes.contains(scope) { return userSystemScopes.contains(scope) }
            guard let declared = declarations[scope] else { return false }
            return declared.allSatisfy { roles in roles.isEmpty || !roles.isDisjoint(with: held) }
        }
        return granted.isEmpty ? [Self.defaultScope] : granted
    }
}
