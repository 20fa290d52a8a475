import Foundation
import SluiceKeyManager
import SluiceModel
import Synchronization

/// Checks HTTP Basic credentials of users holding the `admin` role, for internal endpoints.
///
/// A PBKDF2 check costs ~100 ms, too slow for every key-validation call of a gateway, so successful checks are
/// remembered for `cacheLifetime` as a SHA-256 under a per-process random salt (never the password itself).
final class AdminAuthenticator: Sendable {
    private let keyManager: KeyManager
    private let salt = SecretGenerator.randomValue()
    private let remembered = Mutex<[Data: ContinuousClock.Instant]>([:])
    private let cacheLifetime: Duration

    init(keyManager: KeyManager, cacheLifetime: Duration = .seconds(300)) {
        self.keyManager = keyManager
        self.cacheLifetime = cacheLifetime
    }

    /// Whether the credentials belong to an admin.
    func isAdmin(_ credentials: BasicCredentials) async throws -> Bool {
        let fingerprint = SecretGenerator.hash("\(salt)\u{0}\(credentials.username)\u{0}\(credentials.password)")
        let now = ContinuousClock.now
        let known = remembered.withLock { entries in
            if let expiry = entries[fingerprint], expiry > now { return true }
            entries[fingerprint] = nil
            return false
        }
        if known { return true }
        guard
            let user = try await keyManager.authenticateUser(
                username: credentials.username,
                password: credentials.password
            ),
            user.roles.contains(Role.admin.name)
        else { return false }
        remembered.withLock { entries in
            // Bounded: drop everything expired before adding, and start over if it still grows too much.
            entries = entries.filter { $0.value > now }
            if entries.count > 1_000 { entries.removeAll() }
            entries[fingerprint] = now.advanced(by: cacheLifetime)
        }
        return true
    }
}
