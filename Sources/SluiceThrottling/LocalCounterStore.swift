import NIOConcurrencyHelpers

/// Fixed-window counters in this process, sharded by key so requests for different keys rarely share a lock.
///
/// Each check-and-increment happens under the shard's lock, so a limit of N admits exactly N requests per window
/// whatever the concurrency. Windows that ended are swept lazily, so memory follows the number of active callers.
public final class LocalCounterStore: ThrottleCounterStore {
    private struct Window {
        var count: Int64
        var endMillis: Int64
    }

    private struct Shard {
        var windows: [ThrottleKey: Window] = [:]
        /// Byte totals of bandwidth tiers, apart from the request counts of the same keys.
        var byteWindows: [ThrottleKey: Window] = [:]
        var insertsSinceSweep = 0
    }

    private let shards: [NIOLockedValueBox<Shard>]
    private let sweepEvery: Int

    /// - Parameters:
    ///   - shardCount: number of independently locked shards (rounded up to a power of two).
    ///   - sweepEvery: new windows a shard creates between sweeps of expired ones.
    public init(shardCount: Int = 64, sweepEvery: Int = 4096) {
        var count = 1
        while count < max(1, shardCount) { count <<= 1 }
        shards = (0..<count).map { _ in NIOLockedValueBox(Shard()) }
        self.sweepEvery = max(1, sweepEvery)
    }

    public func consume(key: ThrottleKey, limit: Int64, windowMillis: Int64, nowMillis: Int64) -> CounterDecision {
        let shard = shards[key.hashValue & (shards.count - 1)]
        let sweepEvery = self.sweepEvery
        return shard.withLockedValue { shard in
            if var window = shard.windows[key], window.endMillis > nowMillis {
                guard window.count < limit else {
                    return CounterDecision(admitted: false, count: window.count, windowEndMillis: window.endMillis)
                }
                window.count += 1
                shard.windows[key] = window
                return CounterDecision(admitted: true, count: window.count, windowEndMillis: window.endMillis)
            }
            // First request of a new window (or the previous one ended).
            let window = Window(count: limit > 0 ? 1 : 0, endMillis: nowMillis + max(1, windowMillis))
            shard.windows[key] = window
            shard.insertsSinceSweep += 1
            if shard.insertsSinceSweep >= sweepEvery {
                shard.insertsSinceSweep = 0
                shard.windows = shard.windows.filter { $0.value.endMillis > nowMillis }
                shard.byteWindows = shard.byteWindows.filter { $0.value.endMillis > nowMillis }
            }
            return CounterDecision(admitted: limit > 0, count: window.count, windowEndMillis: window.endMillis)
        }
    }

    public func charge(
        key: ThrottleKey, amount: Int64, limit: Int64, windowMillis: Int64, nowMillis: Int64
    ) -> CounterDecision {
        let shard = shards[key.hashValue & (shards.count - 1)]
        let sweepEvery = self.sweepEvery
        let amount = max(0, amount)
        return shard.withLockedValue { shard in
            if var window = shard.byteWindows[key], window.endMillis > nowMillis {
                let admitted = window.count < limit
                window.count = window.count > Int64.max - amount ? Int64.max : window.count + amount
                shard.byteWindows[key] = window
                return CounterDecision(admitted: admitted, count: window.count, windowEndMillis: window.endMillis)
            }
            let window = Window(count: amount, endMillis: nowMillis + max(1, windowMillis))
            shard.byteWindows[key] = window
            shard.insertsSinceSweep += 1
            if shard.insertsSinceSweep >= sweepEvery {
                shard.insertsSinceSweep = 0
                shard.windows = shard.windows.filter { $0.value.endMillis > nowMillis }
                shard.byteWindows = shard.byteWindows.filter { $0.value.endMillis > nowMillis }
            }
            return CounterDecision(admitted: limit > 0, count: window.count, windowEndMillis: window.endMillis)
        }
    }

    /// Forgets the request and byte windows of `keys`: their next request starts a new window (an administrator's
    /// or owner's reset; never called per request).
    public func reset(_ keys: [ThrottleKey]) {
        for key in keys {
            shards[key.hashValue & (shards.count - 1)].withLockedValue { shard in
                shard.windows[key] = nil
                shard.byteWindows[key] = nil
            }
        }
    }

    /// Live windows across all shards (for metrics and tests).
    public var activeWindowCount: Int {
        shards.reduce(0) { total, shard in total + shard.withLockedValue { $0.windows.count + $0.byteWindows.count } }
    }
}
