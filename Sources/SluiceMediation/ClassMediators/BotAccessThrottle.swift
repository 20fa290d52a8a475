import Synchronization

/// The per-address limit of WSO2's `BotDetectionMediator`: an address is recorded `limit + 1` times (WSO2's
/// counter admits while it is at most the limit), then throttled out until `window` has passed since its last
/// recorded call (WSO2 keeps the counter in a cache whose entries expire after 60 s).
///
/// It also bounds the memory a flood from many addresses can take: at most `capacity` addresses are tracked; when
/// the table is full and no entry has expired, a new address is throttled out too (counted in ``refusedCount``).
/// Only bot-trap calls take its lock, never the gateway's other requests.
final class BotAccessThrottle: Sendable {
    private struct Entry {
        /// Calls recorded in the current window.
        var count: Int
        /// When the window ends (epoch ms).
        var expiresAt: Int64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// A full table is swept for expired entries at most once a second.
        var nextSweep: Int64 = 0
        var refused = 0
    }

    /// Addresses tracked at most.
    let capacity: Int
    /// How long an address stays counted after its last recorded call, in milliseconds.
    let window: Int64
    private let state = Mutex(State())

    /// Creates an empty table.
    /// - Parameters:
    ///   - capacity: Addresses tracked at most (at least 1).
    ///   - window: Milliseconds an address stays counted after its last recorded call (WSO2: 60 s).
    init(capacity: Int = 10_000, window: Int64 = 60_000) {
        self.capacity = max(1, capacity)
        self.window = window
    }

    /// Counts a call from `address`.
    /// - Parameters:
    ///   - address: The caller's address.
    ///   - limit: WSO2's `throttleLimit`: calls after `limit + 1` recorded ones are throttled out.
    ///   - now: Epoch milliseconds.
    /// - Returns: True when the call is to be recorded, false when it is throttled out.
    func admits(_ address: String, limit: Int, now: Int64) -> Bool {
        state.withLock { state in
            if var entry = state.entries[address], entry.expiresAt > now {
                guard entry.count <= limit else { return false }
                entry.count += 1
                entry.expiresAt = now + window
                state.entries[address] = entry
                return true
            }
            if state.entries.count >= capacity, state.entries[address] == nil {
                if now >= state.nextSweep {
                    state.entries = state.entries.filter { $0.value.expiresAt > now }
                    state.nextSweep = now + 1_000
                }
                guard state.entries.count < capacity else {
                    state.refused += 1
                    return false
                }
            }
            state.entries[address] = Entry(count: 1, expiresAt: now + window)
            return true
        }
    }

    /// Addresses tracked now (expired ones included until a sweep).
    var trackedCount: Int { state.withLock { $0.entries.count } }
    /// Calls throttled out because the table was full, since the start.
    var refusedCount: Int { state.withLock { $0.refused } }
}
