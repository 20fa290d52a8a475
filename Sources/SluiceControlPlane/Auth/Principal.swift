import SluiceModel

/// The authenticated caller of a management request: a user with roles, and the scopes the request carries.
///
/// With HTTP Basic the scopes are those of the user's roles; with a bearer token they are the token's scopes
/// (which the key manager already limited to the user's roles when it issued the token).
public struct Principal: Sendable, Hashable {
    /// How the caller authenticated.
    public enum Method: String, Sendable, Hashable {
        case basic
        case bearer
    }

    public var username: String
    public var roles: [String]
    public var scopes: Set<String>
    public var method: Method

    /// Creates a principal.
    public init(username: String, roles: [String], scopes: Set<String>, method: Method) {
        self.username = username
        self.roles = roles
        self.scopes = scopes
        self.method = method
    }

    /// Whether the request carries `scope`.
    public func has(_ scope: String) -> Bool { scopes.contains(scope) }

    /// Whether the caller administers everything (`apim:admin`): object-level checks let such callers through.
    public var isAdministrator: Bool { has("apim:admin") }

    /// Function-level check.
    /// - Parameter scope: The scope the resource needs.
    /// - Throws: ``ManagementError`` 403 naming the missing scope.
    public func require(_ scope: String) throws(ManagementError) {
        guard has(scope) else { throw ManagementError.forbidden("This operation needs the scope \(scope)") }
    }

    /// Function-level check for resources any of several scopes opens.
    /// - Throws: ``ManagementError`` 403 naming the scopes.
    public func requireAny(_ scopes: [String]) throws(ManagementError) {
        guard scopes.contains(where: has) else {
            throw ManagementError.forbidden("This operation needs one of the scopes \(scopes.joined(separator: ", "))")
        }
    }

    /// Object-level check: the caller owns the object, or is an administrator.
    /// - Parameters:
    ///   - owner: The object's owner.
    ///   - what: The object, for the message (`application 1234`).
    /// - Throws: ``ManagementError`` 404, so a caller cannot probe for other users' objects.
    public func requireOwnership(of owner: String, _ what: String) throws(ManagementError) {
        guard isAdministrator || owner.caseInsensitiveCompare(username) == .orderedSame else {
            throw ManagementError.notFound("\(what) not found")
        }
    }
}
