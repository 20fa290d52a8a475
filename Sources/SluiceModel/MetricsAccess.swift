/// Who may read the Prometheus metrics at `GET /metrics` on the management port (`<Metrics><Access>` in
/// api-manager.xml). They name every API and its traffic, so they are not public by default.
public enum MetricsAccess: String, Sendable, Hashable, CaseIterable {
    /// Loopback clients freely; anyone else with the Basic credentials of an administrator (the default).
    case loopback
    /// Only with the Basic credentials of an administrator, from anywhere.
    case authenticated
    /// Anyone (behind a proxy that guards the port, for instance).
    case `public`
}
