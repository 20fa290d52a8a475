public import CoreMetrics
public import Prometheus
import Synchronization

/// The node's metrics backend: components count through swift-metrics' API with ``factory`` (never bootstrapped
/// process-wide, so nodes in one process keep their own), and swift-prometheus's registry renders `/metrics`.
/// Values that are cheaper to read than to track (queue depths, deployed APIs) are sampled just before rendering.
/// Every family gets its `# HELP` line from ``MetricFamilies``.
public final class PrometheusMetricsBackend: Sendable {
    /// Latency buckets in seconds, for every value histogram (recorders made with `aggregate: true`).
    public static let secondsBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public let registry: PrometheusCollectorRegistry
    /// What components make their counters, gauges and histograms with.
    public let factory: any MetricsFactory
    private let samplers = Mutex<[@Sendable () -> Void]>([])

    /// A backend over `registry` (a new one by default).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        factory = DescribedMetricsFactory(
            registry: registry,
            valueBuckets: Self.secondsBuckets,
            durationBuckets: Self.secondsBuckets.map { .nanoseconds(Int64($0 * 1e9)) }
        )
    }

    /// Runs `sampler` before every rendering (it sets gauges from values read then).
    public func addSampler(_ sampler: @escaping @Sendable () -> Void) {
        samplers.withLock { $0.append(sampler) }
    }

    /// The Prometheus text exposition (format 0.0.4) of every metric, after the samplers ran.
    public func render() -> String {
        for sampler in samplers.withLock({ $0 }) { sampler() }
        return registry.emitToString()
    }
}
