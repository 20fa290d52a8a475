public import CoreMetrics

/// Throttle decisions by API and version (`sluice_throttle_decisions_total{decision="accepted|throttled"}`), counted
/// through handles each API's throttle handler resolves when the API deploys.
public final class ThrottleDecisionMetrics: Sendable {
    /// The two counters of one API version.
    public struct APICounters: Sendable {
        let accepted: Counter
        let throttled: Counter
    }

    private let factory: any MetricsFactory

    /// Counts with `factory`.
    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// The counters of one API version (the registry hands back the same series for the same labels).
    public func counters(api: String, version: String) -> APICounters {
        func counter(_ decision: String) -> Counter {
            Counter(
                label: "sluice_throttle_decisions_total",
                dimensions: [("api", api), ("version", version), ("decision", decision)],
                factory: factory
            )
        }
        return APICounters(accepted: counter("accepted"), throttled: counter("throttled"))
    }
}
