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
        }
    }
}
