/// How a node behaves in a cluster (`<Cluster>` in api-manager.xml); used when the database is PostgreSQL.
public struct ClusterSettings: Sendable, Hashable {
    /// How gateways count throttled requests.
    public enum ThrottleCounters: String, Sendable, Hashable, CaseIterable {
        /// Shared through the database with local batching: a limit holds across gateways, with a bounded
        /// overshoot (the default on PostgreSQL).
        case shared
        /// Each gateway counts on its own: exact per gateway, but the cluster admits the limit once per gateway.
        case local
    }

    /// `<ThrottleCounters>`: shared or local counters.
    public var throttleCounters: ThrottleCounters
    /// `<ThrottleSyncIntervalMillis>`: how often a gateway adds its counts to the shared ones and reads them back
    /// (100 ms by default). The overshoot bound grows with it; the database's load shrinks with it.
    public var throttleSyncIntervalMillis: Int

    /// Creates settings.
    public init(throttleCounters: ThrottleCounters = .shared, throttleSyncIntervalMillis: Int = 100) {
        self.throttleCounters = throttleCounters
        self.throttleSyncIntervalMillis = throttleSyncIntervalMillis
    }
}
