public import SluiceModel

extension UsageStatistics.Grouping {
    /// The SQL expression over the `usage_rollups` columns that names a group; SQLite and PostgreSQL read it alike.
    public var rollupKeyExpression: String {
        switch self {
        case .api: "api_name"
        case .version: "api_name || ':' || api_version"
        case .application: "application_id"
        case .user: "username"
        case .resource: "api_name || ':' || api_version || ' ' || http_method || ' ' || resource"
        case .statusClass: "CAST(status_class AS TEXT)"
        case .faultCode: "CAST(fault_code AS TEXT)"
        case .tier: "tier"
        case .backend: "backend"
        case .total: "CAST('' AS TEXT)"
        }
    }
}

extension UsageStatistics {
    /// The count columns every statistics query reads from `usage_rollups`, in this order.
    public static let rollupCountColumns = """
        request_count, error_count, throttled_count, latency_sum_ms, latency_histogram, last_access, backend_count,
        backend_latency_sum_ms, backend_latency_histogram
        """
}

extension UsageStatistics.Filter {
    /// The optional filters that are set, as (`usage_rollups` column, value), in a fixed order.
    public var equalities: [(column: String, value: String)] {
        [
            ("api_name", apiName), ("api_version", apiVersion), ("application_id", applicationID),
            ("username", username), ("api_provider", apiProvider),
        ].compactMap { pair in pair.1.map { (pair.0, $0) } }
    }
}
