import Foundation
import Hummingbird
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Synchronization

/// Resolves the `Authorization` header of a management request into a ``Principal``: HTTP Basic against the
/// user store, or a bearer token from our own `/oauth2/token`.
///
/// A PBKDF2 check costs ~100 ms, so successful Basic checks are remembered for `cacheLifetime` as a SHA-256
/// under a per-process random salt (never the password); roles are read afresh on every request, so a role
/// change takes effect at once.
final class ManagementAuthenticator: Sendable {
    private let keyManager: KeyManager
    private let salt = SecretGenerator.randomValue()
    private let remembered = Mutex<[Data: ContinuousClock.Instant]>([:])
    private let cacheLifetime: Duration

    init(keyManager: KeyManager, cacheLifetime: Duration = .seconds(60)) {
        self.keyManager = keyManager
        self.cacheLifetime = cacheLifetime
    }

    /// The caller of `request`.
    /// - Throws: ``ManagementError`` 401 when credentials are missing, malformed or wrong.
    func principal(for request: Request) async throws -> Principal {
        let values = request.headers[values: .authorization]
        guard let header = values.first else {
            throw ManagementError.unauthenticated("Authentication is required: HTTP Basic or a bearer token")
        }
        guard values.count == 1 else {
            throw ManagementError.unauthenticated("Only one Authorization header is allowed")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { throw ManagementError.unauthenticated("The Authorization header is malformed") }
        switch parts[0].lowercased() {
        case "basic":
            guard case .credentials(let credentials) = BasicCredentials.parse(request.headers, formEncoded: false)
            else {
                throw ManagementError.unauthenticated("The Basic credentials are malformed")
            }
            return try await basic(credentials)
        case "bearer":
            return try await bearer(String(parts[1]).trimmingCharacters(in: .whitespaces))
        default:
            throw ManagementError.unauthenticated("Unsupported authentication scheme; use Basic or Bearer")
        }
    }

    private func basic(_ credentials: BasicCredentials) async throws -> Principal {
        let fingerprint = SecretGenerator.hash("\(salt)\u{0}\(credentials.username)\u{0}\(credentials.password)")
        let now = ContinuousClock.now
        let known = remembered.withLock { entries in
            if let expiry = entries[fingerprint], expiry > now { return true }
            entries[fingerprint] = nil
            return false
        }
        let user: UserRecord
        if known, let stored = try await keyManager.storage.user(named: credentials.username) {
            user = stored
        } else {
            guard
                let checked = try await keyManager.authenticateUser(
                    username: credentials.username,
                    password: credentials.password
                )
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

    private func bearer(_ token: String) async throws -> Principal {
        let description = try await keyManager.introspect(token: token, tokenTypeHint: "access_token")
        guard description.active, description.tokenType == "Bearer", let username = description.username,
            let user = try await keyManager.storage.user(named: username)
        else { throw ManagementError.unauthenticated("The access token is invalid, expired or revoked") }
        let scopes = Set((description.scope ?? "").split(separator: " ").map(String.init))
        return Principal(username: user.username, roles: user.roles, scopes: scopes, method: .bearer)
    }
}

extension ManagementAuthenticator {
    /// The caller of `request`, or nil for an anonymous request (no Authorization header).
    /// - Throws: ``ManagementError`` 401 when credentials are present but wrong.
    func optionalPrincipal(for request: Request) async throws -> Principal? {
        guard request.headers[.authorization] != nil else { return nil }
        return try await principal(for: request)
    }
}
