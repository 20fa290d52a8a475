import NIOConcurrencyHelpers

/// Counters shared by the gateways of a cluster, with local batching between syncs (the "cluster" policy of
/// Kong's rate limiting): each gateway decides from memory, with the cluster's total as of its last sync plus what
/// it admitted itself since; a sync service adds this gateway's counts to the shared totals and reads them back
/// every interval (``beginSync(nowMillis:)`` / ``finishSync(_:totals:)``).
///
/// Windows are fixed and aligned to the epoch (`now - now % window`), so every gateway counts into the same
/// window. Between syncs a gateway does not see what the others admit, so the cluster can admit more than the
/// limit: at most what the gateways admit in the time it takes a count to reach every other gateway, two sync
/// intervals plus two database round trips (docs/cluster.md derives the bound). A single node keeps using the
/// exact ``LocalCounterStore``.
///
/// While the database is away, syncs fail and each gateway goes on from the totals it last saw plus its own
/// counts; what it counted is added when the database returns.
public final class SharedCounterStore: ThrottleCounterStore {
    /// What a counter counts.
    public enum Kind: String, Sendable, Hashable {
        /// Requests (``ThrottleCounterStore/consume(key:limit:windowMillis:nowMillis:)``).
        case requests
        /// Response bytes (``ThrottleCounterStore/charge(key:amount:limit:windowMillis:nowMillis:)``).
        case bytes
    }

    /// One counter's share of a sync.
    public struct SyncItem: Sendable, Hashable {
        /// The counter's name in the shared store: kind, then the throttle key's flat form.
        public var name: String
        /// The window's start, epoch milliseconds.
        public var windowStart: Int64
        /// The window's end, epoch milliseconds.
        public var windowEnd: Int64
        /// What this gateway counted since the last sync (0: only read the total).
        public var delta: Int64
        fileprivate var counter: CounterID
    }

    fileprivate struct CounterID: Hashable, Sendable {
        var kind: Kind
        var key: ThrottleKey
    }

    private struct Counter {
        var windowStart: Int64
        var windowEnd: Int64
        /// The cluster's total at the last sync, this gateway's synced counts included.
        var synced: Int64 = 0
        /// Counted since the last sync began.
        var pending: Int64 = 0
        /// Counted before the sync under way began, not yet confirmed stored.
        var inFlight: Int64 = 0

        var total: Int64 { synced + inFlight + pending }
    }

    private let shards: [NIOLockedValueBox<[CounterID: Counter]>]

    /// - Parameter shardCount: Independently locked shards (rounded up to a power of two).
    public init(shardCount: Int = 64) {
        var count = 1
        while count < max(1, shardCount) { count <<= 1 }
        shards = (0..<count).map { _ in NIOLockedValueBox([:]) }
    }

    public func consume(key: ThrottleKey, limit: Int64, windowMillis: Int64, nowMillis: Int64) -> CounterDecision {
        count(CounterID(kind: .requests, key: key), windowMillis: windowMillis, nowMillis: nowMillis) { counter in
            guard counter.total < limit else {
                return CounterDecision(admitted: false, count: counter.total, windowEndMillis: counter.windowEnd)
            }
            counter.pending += 1
            return CounterDecision(admitted: true, count: counter.total, windowEndMillis: counter.windowEnd)
        }
    }

    public func charge(
        key: ThrottleKey, amount: Int64, limit: Int64, windowMillis: Int64, nowMillis: Int64
    ) -> CounterDecision {
        count(CounterID(kind: .bytes, key: key), windowMillis: windowMillis, nowMillis: nowMillis) { counter in
            let admitted = counter.total < limit
            counter.pending = counter.pending > Int64.max - max(0, amount) ? Int64.max : counter.pending + max(0, amount)
            return CounterDecision(admitted: admitted, count: counter.total, windowEndMillis: counter.windowEnd)
        }
    }

    /// Takes what every live counter counted since the last sync; counters of ended windows are dropped.
    /// Call ``finishSync(_:totals:)`` with the outcome before beginning another sync.
    /// - Parameter nowMillis: The current time.
    /// - Returns: One item per live counter (with delta 0 when it only needs the others' counts).
    public func beginSync(nowMillis: Int64) -> [SyncItem] {
        var items: [SyncItem] = []
        for shard in shards {
            shard.withLockedValue { counters in
                counters = counters.filter { $0.value.windowEnd > nowMillis }
                for (id, counter) in counters {
                    var counter = counter
                    counter.inFlight += counter.pending
                    items.append(
                        SyncItem(
                            name: id.kind.rawValue + "|" + id.key.description,
                            windowStart: counter.windowStart,
                            windowEnd: counter.windowEnd,
                            delta: counter.pending,
                            counter: id
                        )
                    )
                    counter.pending = 0
                    counters[id] = counter
                }
            }
        }
        return items
    }

    /// Records a sync's outcome.
    /// - Parameters:
    ///   - items: What ``beginSync(nowMillis:)`` returned.
    ///   - totals: The shared totals after the sync, in the order of `items`; nil when the sync failed (the
    ///     counts go back to pending and are sent with the next one).
    public func finishSync(_ items: [SyncItem], totals: [Int64]?) {
        for (index, item) in items.enumerated() {
            let id = item.counter
            shard(for: id).withLockedValue { counters in
                guard var counter = counters[id], counter.windowStart == item.windowStart else { return }
                counter.inFlight -= item.delta
                if let totals, index < totals.count {
                    // Never below what we already knew: a total that went down means the shared store lost rows.
                    counter.synced = max(counter.synced + item.delta, totals[index])
                } else {
                    counter.pending += item.delta
                }
                counters[id] = counter
            }
        }
    }

    /// Live counters (for metrics and tests).
    public var counterCount: Int {
        shards.reduce(0) { total, shard in total + shard.withLockedValue { $0.count } }
    }

    private func shard(for id: CounterID) -> NIOLockedValueBox<[CounterID: Counter]> {
        shards[id.hashValue & (shards.count - 1)]
    }

    private func count(
        _ id: CounterID,
        windowMillis: Int64,
        nowMillis: Int64,
        _ body: (inout Counter) -> CounterDecision
    ) -> CounterDecision {
        let window = max(1, windowMillis)
        let start = nowMillis - ((nowMillis % window) + window) % window
        return shard(for: id).withLockedValue { counters in
            var counter = counters[id] ?? Counter(windowStart: start, windowEnd: start + window)
            if counter.windowStart != start { counter = Counter(windowStart: start, windowEnd: start + window) }
            let decision = body(&counter)
            counters[id] = counter
            return decision
        }
    }
}
