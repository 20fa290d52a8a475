import CoreMetrics
public import SluiceModel
import Synchronization

/// The metrics of the gateway's API traffic, through swift-metrics: request counts by API, version and status
/// (`sluice_api_requests_total`), latency and backend-time histograms by API and version
/// (`sluice_api_request_duration_seconds`, `sluice_api_backend_duration_seconds`), throttled calls by reason
/// (`sluice_api_throttled_total`) and dropped usage events (`sluice_usage_events_dropped_total`).
///
/// Handlers resolve their API's ``APIMetrics`` once, when the API deploys, so a call builds no label and searches
/// no registry. ``render()`` returns the text exposition for a `/metrics` route.
public final class UsageMetrics: Sendable {
    /// Renders what every component counted into the backend's factory.
    public let backend: PrometheusMetricsBackend

    private let droppedCounter: Counter
    /// Each API version's metric handles.
    private let handles = Mutex<[APIVersion: APIMetrics]>([:])

    /// Creates the metrics in `backend`.
    /// - Parameter backend: A new Prometheus backend by default.
    public init(backend: PrometheusMetricsBackend = PrometheusMetricsBackend()) {
        self.backend = backend
        droppedCounter = Counter(label: "sluice_usage_events_dropped_total", factory: backend.factory)
    }

    /// The metrics of one API version, made on first use (deploy time for handlers, see ``UsageHandler``).
    public func handles(api name: String, version: String) -> APIMetrics {
        let key = APIVersion(name: name, version: version)
        return handles.withLock { handles in
            if let existing = handles[key] { return existing }
            let made = APIMetrics(factory: backend.factory, key: key)
            handles[key] = made
            return made
        }
    }

    /// Counts one call.
    /// - Parameters:
    ///   - event: The call's usage event.
    ///   - api: The API's handles when the caller resolved them already.
    public func record(_ event: UsageEvent, api: APIMetrics? = nil) {
        let api = api ?? handles(api: event.apiName, version: event.apiVersion)
        api.requests(code: event.responseCode).increment()
        api.latency.record(event.responseTimeMillis / 1000)
        if let backend = event.backendTimeMillis { api.backendLatency.record(backend / 1000) }
        if let reason = event.throttledOutReason { api.throttled(reason: reason).increment() }
    }

    /// Makes the series of deployed APIs nobody has called yet, with zero counts, so a scrape lists every metered
    /// API from the start. Called when metrics are rendered (never per request); APIs already known cost a lookup.
    /// - Parameter definitions: The deployed APIs; those whose handler chain meters calls (the usage or latency
    ///   handler) get series.
    public func declare(deployed definitions: [SynapseAPI]) {
        let metering = Set(UsageHandler.classNames + LatencyStatsHandler.classNames)
        for api in definitions where api.handlers.contains(where: { metering.contains($0.className) }) {
            _ = handles(api: api.name, version: api.version ?? "")
        }
    }

    struct APIVersion: Hashable {
        var name: String
        var version: String

        var dimensions: [(String, String)] { [("api", name), ("version", version)] }
    }

    /// The metrics of one API version; request counters are made per status code, and throttle counters per
    /// reason, on first use.
    public final class APIMetrics: Sendable {
        let factory: any MetricsFactory
        let dimensions: [(String, String)]
        let latency: Recorder
        let backendLatency: Recorder
        private let counters = Mutex<[Int: Counter]>([:])
        private let throttledCounters = Mutex<[String: Counter]>([:])

        init(factory: any MetricsFactory, key: APIVersion) {
            self.factory = factory
            dimensions = key.dimensions
            latency = Recorder(label: "sluice_api_request_duration_seconds", dimensions: dimensions, factory: factory)
            backendLatency = Recorder(label: "sluice_api_backend_duration_seconds", dimensions: dimensions, factory: factory)
        }

        func requests(code: Int) -> Counter {
            counters.withLock { counters in
                if let counter = counters[code] { return counter }
                let made = Counter(
                    label: "sluice_api_requests_total", dimensions: dimensions + [("code", String(code))], factory: factory
                )
                counters[code] = made
                return made
            }
        }

        func throttled(reason: String) -> Counter {
            throttledCounters.withLock { counters in
                if let counter = counters[reason] { return counter }
                let made = Counter(
                    label: "sluice_api_throttled_total", dimensions: dimensions + [("reason", reason)], factory: factory
                )
                counters[reason] = made
                return made
            }
        }
    }

    /// Counts an event the queue refused.
    public func recordDropped() {
        droppedCounter.increment()
    }

    /// The Prometheus text exposition (format 0.0.4) of every metric of the backend.
    public func render() -> String {
        backend.render()
    }
}
