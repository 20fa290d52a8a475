public import SluiceModel
import Synchronization

/// Per-minute rollups of the calls, kept in memory at the gateway until the batch writer takes them: a call
/// costs a dictionary update under a lock instead of a database row.
///
/// Memory is bounded by the number of distinct keys (minute, API, version, resource, application, user, status
/// class) between two flushes; past `maxKeys` a call of a new key is counted as dropped.
public final class UsageRollupAggregator: Sendable {
    private struct State {
        var rollups: [UsageRollup.Key: UsageRollup.Counts] = [:]
        var dropped = 0
    }

    /// Distinct keys held at most between two flushes.
    public let maxKeys: Int
    private let state = Mutex(State())

    /// Creates an empty aggregator.
    /// - Parameter maxKeys: Distinct keys held at most (at least 1).
    public init(maxKeys: Int = 100_000) {
        self.maxKeys = max(1, maxKeys)
    }

    /// Counts one call.
    /// - Returns: False when the call was dropped (too many keys).
    @discardableResult
    public func record(_ event: UsageEvent) -> Bool {
        let key = UsageRollup.Key(event)
        return state.withLock { state in
            // The count first: the map is rarely full, so a call hashes its ten-string key once, not twice.
            if state.rollups.count >= maxKeys && state.rollups[key] == nil {
                state.dropped += 1
                return false
            }
            state.rollups[key, default: UsageRollup.Counts()].record(event)
            return true
        }
    }

    /// Takes every rollup held (the aggregator starts over).
    public func drain() -> [UsageRollup] {
        let taken = state.withLock { state in
            let taken = state.rollups
            state.rollups = [:]
            return taken
        }
        return taken.map { UsageRollup(key: $0.key, counts: $0.value) }
    }

    /// Puts back rollups that could not be stored, so the next flush writes them (merged with what came since).
    public func restore(_ rollups: [UsageRollup]) {
        state.withLock { state in
            for rollup in rollups {
                if state.rollups[rollup.key] == nil && state.rollups.count >= maxKeys {
                    state.dropped += rollup.counts.requests
                    continue
                }
                state.rollups[rollup.key, default: UsageRollup.Counts()].merge(rollup.counts)
            }
        }
    }

    /// Distinct keys held now.
    public var keyCount: Int { state.withLock { $0.rollups.count } }
    /// Calls not counted because the key limit was reached, since the start.
    public var droppedCount: Int { state.withLock { $0.dropped } }
}
