public import Prometheus
public import SluiceModel
import Synchronization

/// Prometheus metrics of the gateway's API traffic: request counts by API, version and status, latency
/// histograms by API and version, and the usage queue's dropped events.
///
/// ``render()`` returns the text exposition for a `/metrics` route.
public final class UsageMetrics: Sendable {
    /// The registry the metrics live in (shared with other components that want to add theirs).
    public let registry: PrometheusCollectorRegistry

    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "sluice", metricName: "api_requests", unitName: "total",
            helpText: "API calls through the gateway by API, version and HTTP status"
        )
    }
    private static var latency: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "sluice", metricName: "api_request_duration", unitName: "seconds",
            helpText: "Gateway response time of API calls"
        )
    }
    private static var backendLatency: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "sluice", metricName: "api_backend_duration", unitName: "seconds",
            helpText: "Backend time of API calls"
        )
    }
    private static var throttled: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "sluice", metricName: "api_throttled", unitName: "total",
            helpText: "API calls refused by the throttle, by API, version and reason"
        )
    }
    private static var dropped: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "sluice", metricName: "usage_events_dropped", unitName: "total",
            helpText: "Usage events dropped because the raw queue or the rollup table was full"
        )
    }
    private static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private let droppedCounter: Counter
    /// Each API version's metric handles, so a call costs one lock and one lookup rather than a registry search.
    private let handles = Mutex<[APIVersion: APIHandles]>([:])

    /// Creates the metrics in `registry`.
    /// - Parameter registry: A new registry by default.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        droppedCounter = registry.makeCounter(descriptor: Self.dropped)
    }

    /// Counts one call.
    /// - Parameter event: The call's usage event.
    public func record(_ event: UsageEvent) {
        let key = APIVersion(name: event.apiName, version: event.apiVersion)
        let api = handles.withLock { handles in
            if let existing = handles[key] { return existing }
            let made = APIHandles(registry: registry, key: key)
            handles[key] = made
            return made
        }
        api.requests(code: event.responseCode).increment()
        api.latency.record(event.responseTimeMillis / 1000)
        if let backend = event.backendTimeMillis { api.backendLatency.record(backend / 1000) }
        if let reason = event.throttledOutReason {
            registry.makeCounter(descriptor: Self.throttled, labels: key.labels + [("reason", reason)]).increment()
        }
    }

    /// Makes the series of deployed APIs nobody has called yet, with zero counts, so a scrape lists every metered
    /// API from the start. Called when metrics are rendered (never per request); APIs already known cost a lookup.
    /// - Parameter definitions: The deployed APIs; those whose handler chain meters calls (the usage or latency
    ///   handler) get series.
    public func declare(deployed definitions: [SynapseAPI]) {
        let metering = Set(UsageHandler.classNames + LatencyStatsHandler.classNames)
        handles.withLock { handles in
            for api in definitions where api.handlers.contains(where: { metering.contains($0.className) }) {
                let key = APIVersion(name: api.name, version: api.version ?? "")
                if handles[key] == nil { handles[key] = APIHandles(registry: registry, key: key) }
            }
        }
    }

    private struct APIVersion: Hashable {
        var name: String
        var version: String

        var labels: [(String, String)] { [("api", name), ("version", version)] }
    }

    /// The metrics of one API version; request counters are made per status code on first use.
    private final class APIHandles: Sendable {
        let registry: PrometheusCollectorRegistry
        let labels: [(String, String)]
        let latency: ValueHistogram
        let backendLatency: ValueHistogram
        let counters = Mutex<[Int: Counter]>([:])

        init(registry: PrometheusCollectorRegistry, key: APIVersion) {
            self.registry = registry
            labels = key.labels
            latency = registry.makeValueHistogram(descriptor: UsageMetrics.latency, labels: labels, buckets: UsageMetrics.buckets)
            backendLatency = registry.makeValueHistogram(
                descriptor: UsageMetrics.backendLatency, labels: labels, buckets: UsageMetrics.buckets
            )
        }

        func requests(code: Int) -> Counter {
            counters.withLock { counters in
                if let counter = counters[code] { return counter }
                let made = registry.makeCounter(descriptor: UsageMetrics.requests, labels: labels + [("code", String(code))])
                counters[code] = made
                return made
            }
        }
    }

    /// Counts an event the queue refused.
    public func recordDropped() {
        droppedCounter.increment()
    }

    /// The Prometheus text exposition (format 0.0.4) of every metric in the registry.
    public func render() -> String {
        registry.emitToString()
    }
}
