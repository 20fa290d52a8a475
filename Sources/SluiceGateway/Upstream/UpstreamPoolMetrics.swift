public import CoreMetrics
import Synchronization

/// The backend connection pools' metrics, per backend (`backend` label: `host:port`, `https://host:port`):
/// connections open, idle and in use, requests waiting for a new connection (gauges), connections made and
/// connection attempts that failed (counters).
///
/// Each event loop's pool keeps its own ``Counts`` per backend, met once when the pool first connects there: a
/// request changes a plain atomic of its own loop (no lock, no label, no lookup in the registry), and the gauges
/// are summed over the loops by ``sample()`` when `/metrics` renders.
public final class UpstreamPoolMetrics: Sendable {
    private let factory: any MetricsFactory
    private let backends = Mutex<[UpstreamKey: Backend]>([:])

    /// Counts with `factory` (the node's; no metrics by default).
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
    }

    /// One loop's pool's counts for one backend: written on that loop, read by ``sample()``.
    final class Counts: Sendable {
        /// Connections whose pool is this one, from connect to close.
        let open = Atomic<Int>(0)
        /// Connections in the pool's idle list.
        let idle = Atomic<Int>(0)
        /// Connects (and TLS handshakes) under way, each for a waiting request.
        let waiters = Atomic<Int>(0)
        let connects: Counter
        let connectFailures: Counter

        init(connects: Counter, connectFailures: Counter) {
            self.connects = connects
            self.connectFailures = connectFailures
        }
    }

    /// The series of one backend and the counts of every loop's pool for it.
    private final class Backend: Sendable {
        let open: Gauge
        let idle: Gauge
        let inUse: Gauge
        let waiters: Gauge
        let connects: Counter
        let connectFailures: Counter
        let loops = Mutex<[Counts]>([])

        init(key: UpstreamKey, factory: any MetricsFactory) {
            let dimensions = [("backend", key.description)]
            open = Gauge(label: "sluice_upstream_connections_open", dimensions: dimensions, factory: factory)
            idle = Gauge(label: "sluice_upstream_connections_idle", dimensions: dimensions, factory: factory)
            inUse = Gauge(label: "sluice_upstream_connections_in_use", dimensions: dimensions, factory: factory)
            waiters = Gauge(label: "sluice_upstream_connection_waiters", dimensions: dimensions, factory: factory)
            connects = Counter(label: "sluice_upstream_connects_total", dimensions: dimensions, factory: factory)
            connectFailures = Counter(
                label: "sluice_upstream_connect_failures_total", dimensions: dimensions, factory: factory
            )
        }
    }

    /// New counts for one pool's connections to `key` (once per pool and backend, never per request).
    func counts(for key: UpstreamKey) -> Counts {
        let backend = backends.withLock { backends in
            if let known = backends[key] { return known }
            let made = Backend(key: key, factory: factory)
            backends[key] = made
            return made
        }
        let counts = Counts(connects: backend.connects, connectFailures: backend.connectFailures)
        backend.loops.withLock { $0.append(counts) }
        return counts
    }

    /// Sets the gauges from the pools' counts (when `/metrics` renders).
    public func sample() {
        for backend in backends.withLock({ Array($0.values) }) {
            var open = 0
            var idle = 0
            var waiters = 0
            for counts in backend.loops.withLock({ $0 }) {
                open += counts.open.load(ordering: .relaxed)
                idle += counts.idle.load(ordering: .relaxed)
                waiters += counts.waiters.load(ordering: .relaxed)
            }
            backend.open.record(open)
            backend.idle.record(idle)
            // An idle connection whose close is still on its way can be counted idle for a moment but not open.
            backend.inUse.record(max(0, open - idle))
            backend.waiters.record(waiters)
        }
    }
}
