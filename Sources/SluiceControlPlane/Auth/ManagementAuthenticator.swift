import Foundation
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Synchronization

/// Resolves the credentials of a management request into a ``Principal``: HTTP Basic against the user store, or a
/// bearer token from our own `/oauth2/token`.
///
/// A PBKDF2 check costs ~100 ms, so successful Basic checks are remembered for `cacheLifetime` as a SHA-256
/// under a per-process random salt (never the password); roles are read afresh on every request, so a role
/// change takes effect at once.
package final class ManagementAuthenticator: Sendable {
    private let keyManager: KeyManager
    private let salt = SecretGenerator.randomValue()
    private let remembered = Mutex<[Data: ContinuousClock.Instant]>([:])
    private let cacheLifetime: Duration

    package init(keyManager: KeyManager, cacheLifetime: Duration = .seconds(60)) {
        self.keyManager = keyManager
        self.cacheLifetime = cacheLifetime
    }

    /// The user with these HTTP Basic credentials.
    /// - Throws: ``ManagementError`` 401 when they are wrong.
    package func principal(username: String, password: String) async throws -> Principal {
        let fingerprint = SecretGenerator.hash("\(salt)\u{0}\(username)\u{0}\(password)")
        let now = ContinuousClock.now
        let known = remembered.withLock { entries in
            if let expiry = entries[fingerprint], expiry > now { return true }
            entries[fingerprint] = nil
            return false
        }
        let user: UserRecord
        if known, let stored = try await keyManager.storage.user(named: username) {
            user = stored
        } else {
            guard
                let checked = try await keyManager.authenticateUser(username: username, password: password)
            else { throw ManagementError.unauthenticated("Invalid user name or password") }
            user = checked
            remembered.withLock { entries in
                // Bounded: drop everything expired before adding, and start over if it still grows too much.
                entries = entries.filter { $0.value > now }
                if entries.count > 1_000 { entries.removeAll() }
                entries[fingerprint] = now.advanced(by: cacheLifetime)
            }
        }
        let roles = try await keyManager.storage.roles()
        let scopes = roles.filter { user.roles.contains($0.name) }.reduce(into: Set<String>()) {
            $0.formUnion($1.scopes)
        }
        return Principal(username: user.username, roles: user.roles, scopes: scopes, method: .basic)
    }

    /// The user with these credentials, for a portal sign-in; nil when they are wrong. Always checked against the
    /// stored hash: a sign-in happens once per session.
    package func user(username: String, password: String) async throws -> UserRecord? {
        try await keyManager.authenticateUser(username: username, password: password)
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
