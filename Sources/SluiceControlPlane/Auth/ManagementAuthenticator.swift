import Foundation
import SluiceKeyManager
import SluiceModel
import SluiceStorage

/// Resolves the credentials of a management request into a ``Principal``: HTTP Basic against the user store, or a
/// bearer token from our own `/oauth2/token`.
///
/// A PBKDF2 check costs ~100 ms, so verified Basic credentials are remembered for `cacheLifetime`
/// (``VerifiedCredentialCache``); roles are read afresh on every request, so a role change takes effect at once.
/// Wrong passwords go through the login throttle of the caller's address (``ClientAddress``). The management
/// server has one authenticator, hence one credential cache, for the REST APIs and the internal endpoints.
package final class ManagementAuthenticator: Sendable {
    private let keyManager: KeyManager
    private let verified: VerifiedCredentialCache

    package init(keyManager: KeyManager, cacheLifetime: Duration = .seconds(60)) {
        self.keyManager = keyManager
        self.verified = VerifiedCredentialCache(lifetime: cacheLifetime)
    }

    /// The user with these HTTP Basic credentials.
    /// - Throws: ``ManagementError`` 401 when they are wrong; `LoginThrottled` when the caller's address is over
    ///   its sign-in budget.
    package func principal(username: String, password: String) async throws -> Principal {
        guard let user = try await verifiedUser(username: username, password: password) else {
            throw ManagementError.unauthenticated("Invalid user name or password")
        }
        let roles = try await keyManager.storage.roles()
        let scopes = Role.held(by: user.roles, in: roles).reduce(into: Set<String>()) {
            $0.formUnion($1.scopes)
        }
        return Principal(username: user.username, roles: user.roles, scopes: scopes, method: .basic)
    }

    /// The user with these HTTP Basic credentials, as stored now (roles included); nil when they are wrong. A
    /// credential verified less than `cacheLifetime` ago is not checked against the hash again.
    /// - Throws: `LoginThrottled` when the caller's address is over its sign-in budget; storage errors.
    package func verifiedUser(username: String, password: String) async throws -> UserRecord? {
        if verified.contains(username: username, password: password),
            let user = try await keyManager.storage.user(named: username)
        {
            return user
        }
        let user = try await keyManager.authenticateUser(username: username, password: password, from: ClientAddress.current)
        if user != nil { verified.insert(username: username, password: password) }
        return user
    }

    /// Changes a user's password after checking the current one (through the login throttle); the old password
    /// stops working at once, remembered Basic credentials included.
    /// - Throws: ``ManagementError`` 400 when the current password is wrong or the new one breaks the rules.
    package func changePassword(username: String, currentPassword: String, newPassword: String) async throws {
        try UserRules.checkPassword(newPassword)
        guard try await keyManager.authenticateUser(username: username, password: currentPassword, from: ClientAddress.current) != nil
        else { throw ManagementError.badRequest("The current password is wrong") }
        let hash = try await keyManager.hashPassword(newPassword)
        try await keyManager.storage.setPasswordHash(hash, forUser: username)
        verified.remove(username: username, password: currentPassword)
    }

    /// The user with these credentials, for a portal sign-in; nil when they are wrong. Always checked against the
    /// stored hash (a sign-in happens once per session), through the login throttle of the caller's address.
    /// - Throws: `LoginThrottled` when the caller's address is over its sign-in budget.
    package func user(username: String, password: String) async throws -> UserRecord? {
        try await keyManager.authenticateUser(username: username, password: password, from: ClientAddress.current)
    }

    /// The user of an access token from our own `/oauth2/token`.
    /// - Throws: ``ManagementError`` 401 when the token is invalid, expired or revoked.
    package func principal(bearerToken token: String) async throws -> Principal {
        let description = try await keyManager.introspect(token: token, tokenTypeHint: "access_token")
        guard description.active, description.tokenType == "Bearer", let username = description.username,
            let user = try await keyManager.storage.user(named: username)
        else { throw ManagementError.unauthenticated("The access token is invalid, expired or revoked") }
        let scopes = Set((description.scope ?? "").split(separator: " ").map(String.init))
        return Principal(username: user.username, roles: user.roles, scopes: scopes, method: .bearer)
    }
}
