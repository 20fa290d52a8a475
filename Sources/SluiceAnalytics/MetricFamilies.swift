/// Every metric family a node exposes at `/metrics`: its name, Prometheus type and the `# HELP` text. The backend's
/// factory reads the help text from here when a component makes a series, so components name a family and nothing
/// else; a family missing here would render without `# HELP` (a test checks every rendered family is listed, and
/// docs/observability.md's reference table lists exactly these).
public enum MetricFamilies {
    /// A metric family.
    public struct Family: Sendable, Hashable {
        /// The Prometheus type a family renders as.
        public enum Kind: String, Sendable {
            case counter, gauge, histogram
        }

        public let name: String
        public let kind: Kind
        public let help: String
    }

    /// Every family, in the order docs/observability.md lists them.
    public static let all: [Family] = [
        // API traffic (the usage and latency handlers).
        Family(name: "sluice_api_requests_total", kind: .counter, help: "Gateway calls by API, version and HTTP status."),
        Family(
            name: "sluice_api_request_duration_seconds", kind: .histogram,
            help: "Gateway response time of calls, by API and version."
        ),
        Family(
            name: "sluice_api_backend_duration_seconds", kind: .histogram,
            help: "Backend time of calls (from the properties WSO2's response mediators set), by API and version."
        ),
        Family(name: "sluice_api_throttled_total", kind: .counter, help: "Calls refused by the throttle, by API, version and reason."),
        Family(
            name: "sluice_throttle_decisions_total", kind: .counter,
            help: "The throttle handler's decisions (accepted, throttled), by API and version."
        ),
        Family(
            name: "sluice_usage_events_dropped_total", kind: .counter,
            help: "Usage events the rollups or the raw-event queue could not take."
        ),
        // Authentication at the gateway.
        Family(
            name: "sluice_key_validations_total", kind: .counter,
            help: "Gateway authentication outcomes of calls to secured resources (valid, or why refused)."
        ),
        Family(
            name: "sluice_key_validation_cache_lookups_total", kind: .counter,
            help: "Lookups in the gateway's cache of a remote key manager's answers (hit, miss, refused locally, overloaded)."
        ),
        // The token endpoint.
        Family(name: "sluice_tokens_issued_total", kind: .counter, help: "Tokens the token endpoint issued, by grant."),
        Family(
            name: "sluice_token_requests_refused_total", kind: .counter,
            help: "Token requests refused, by grant and OAuth2 error code."
        ),
        // Backend connections.
        Family(
            name: "sluice_upstream_connections_open", kind: .gauge,
            help: "Open connections from the gateway to a backend (host and port)."
        ),
        Family(
            name: "sluice_upstream_connections_idle", kind: .gauge,
            help: "Open backend connections waiting in the pool for a request."
        ),
        Family(
            name: "sluice_upstream_connections_in_use", kind: .gauge,
            help: "Open backend connections carrying a request now (or not yet back in the pool)."
        ),
        Family(
            name: "sluice_upstream_connection_waiters", kind: .gauge,
            help: "Requests waiting for a new backend connection (connect and TLS handshake under way)."
        ),
        Family(name: "sluice_upstream_connects_total", kind: .counter, help: "New backend connections made."),
        Family(
            name: "sluice_upstream_connect_failures_total", kind: .counter,
            help: "Backend connection attempts that failed (refused, timed out, TLS handshake failed)."
        ),
        // Queues and deployment, sampled when the page renders.
        Family(name: "sluice_usage_queue_depth", kind: .gauge, help: "Raw usage events waiting for the batch writer."),
        Family(name: "sluice_usage_queue_capacity", kind: .gauge, help: "Raw usage events the queue holds at most."),
        Family(name: "sluice_access_log_queue_depth", kind: .gauge, help: "Access-log records waiting for the writer."),
        Family(
            name: "sluice_access_log_lines_dropped", kind: .gauge,
            help: "Access-log records dropped since the start because the buffer was full."
        ),
        Family(name: "sluice_deployed_apis", kind: .gauge, help: "APIs the gateway serves now."),
        Family(name: "sluice_deployments", kind: .gauge, help: "Deployment runs since the start (the snapshot generation)."),
        Family(name: "sluice_deployment_failed_files", kind: .gauge, help: "Artifact files failing to deploy now."),
    ]

    /// The help text of each family, by name.
    static let helpByName: [String: String] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0.help) })
}
