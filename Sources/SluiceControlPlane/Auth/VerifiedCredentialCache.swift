import Foundation
import SluiceKeyManager
import Synchronization

/// Remembers Basic credentials that passed a PBKDF2 check (~100 ms) for a while, so repeated requests of a
/// script or a gateway do not pay it each time.
///
/// Only a SHA-256 of the name and password under a per-process random salt is kept, never the password. The
/// table is LRU-bounded: a flood of new credentials pushes out the oldest entries one by one, never the whole
/// table. A hit proves the password only; callers read the user's roles afresh, so a demotion takes effect at
/// once.
package final class VerifiedCredentialCache: Sendable {
    private let salt = SecretGenerator.randomValue()
    private let entries: Mutex<LRUCache<Data, ContinuousClock.Instant>>
    private let lifetime: Duration

    /// Creates a cache.
    /// - Parameters:
    ///   - lifetime: How long a verified credential is remembered.
    ///   - capacity: The most credentials remembered.
    package init(lifetime: Duration, capacity: Int = 1_000) {
        self.lifetime = lifetime
        self.entries = Mutex(LRUCache(capacity: capacity))
    }

    /// Whether these credentials passed a check less than `lifetime` ago.
    package func contains(username: String, password: String) -> Bool {
        let key = fingerprint(username, password)
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let expiry = entries.value(for: key) else { return false }
            guard expiry > now else {
                entries.remove(key)
                return false
            }
            return true
        }
    }

    /// Remembers credentials that just passed a check.
    package func insert(username: String, password: String) {
        let key = fingerprint(username, password)
        let expiry = ContinuousClock.now.advanced(by: lifetime)
        entries.withLock { $0.set(expiry, for: key) }
    }

    /// Forgets credentials that no longer hold (the password was changed).
    package func remove(username: String, password: String) {
        let key = fingerprint(username, password)
        entries.withLock { $0.remove(key) }
    }

    private func fingerprint(_ username: String, _ password: String) -> Data {
        SecretGenerator.hash("\(salt)\u{0}\(username)\u{0}\(password)")
    }
}
