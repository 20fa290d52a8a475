import Foundation
import Synchronization

/// Slows password guessing through the sign-in forms: after `limit` failures for one user name within
/// `window`, that name cannot sign in until the window has passed since the last failure (the password is not
/// even checked, so guesses during the pause learn nothing).
final class SignInThrottle: Sendable {
    private struct Record {
        var failures: Int
        var last: Date
    }

    private let records = Mutex<[String: Record]>([:])
    private let limit: Int
    private let window: TimeInterval
    private let now: @Sendable () -> Date

    init(limit: Int = 5, window: TimeInterval = 15 * 60, now: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.window = window
        self.now = now
    }

    /// Whether `username` may try a password now.
    func allows(_ username: String) -> Bool {
        let key = username.lowercased()
        let now = now()
        return records.withLock { all in
            guard let record = all[key] else { return true }
            if now.timeIntervalSince(record.last) >= window {
                all[key] = nil
                return true
            }
            return record.failures < limit
        }
    }

    /// Counts a failed attempt.
    func recordFailure(_ username: String) {
        let key = username.lowercased()
        let now = now()
        records.withLock { all in
            // Bounded: forget stale names first, and everything if a flood of names still fills it.
            if all.count >= 10_000 { all = all.filter { now.timeIntervalSince($0.value.last) < window } }
            if all.count >= 10_000 { all.removeAll() }
            var record = all[key] ?? Record(failures: 0, last: now)
            if now.timeIntervalSince(record.last) >= window { record.failures = 0 }
            record.failures += 1
            record.last = now
            all[key] = record
        }
    }

    /// Forgets the failures of a user who signed in.
    func recordSuccess(_ username: String) {
        _ = records.withLock { $0.removeValue(forKey: username.lowercased()) }
    }
}
