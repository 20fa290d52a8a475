public import Prometheus
public import SluiceModel

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
            helpText: "Usage events dropped because the queue was full"
        )
    }
    private static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private let droppedCounter: Counter

    /// Creates the metrics in `registry`.
    /// - Parameter registry: A new registry by default.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        droppedCounter = registry.makeCounter(descriptor: Self.dropped)
    }

    /// Counts one call.
    /// - Parameter event: The call's usage event.
    public func record(_ event: UsageEvent) {
        let api = [("api", event.apiName), ("version", event.apiVersion)]
        registry.makeCounter(descriptor: Self.requests, labels: api + [("code", String(event.responseCode))]).increment()
        registry.makeValueHistogram(descriptor: Self.latency, labels: api, buckets: Self.buckets)
            .record(event.responseTimeMillis / 1000)
        if let backend = event.backendTimeMillis {
            registry.makeValueHistogram(descriptor: Self.backendLatency, labels: api, buckets: Self.buckets)
                .record(backend / 1000)
        }
        if let reason = event.throttledOutReason {
            registry.makeCounter(descriptor: Self.throttled, labels: api + [("reason", reason)]).increment()
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
