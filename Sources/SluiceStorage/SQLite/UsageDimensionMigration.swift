import GRDB

/// `v9-usage-dimensions`: the rollups get three more key columns (fault code, subscription tier, backend) and the
/// backend's time (calls, sum, histogram), for the analytics' errors by fault code, throttled calls by tier and
/// latency per backend. Existing rows keep their counts under fault code 0, no tier and no backend.
enum UsageDimensionMigration {
    static let identifier = "v9-usage-dimensions"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE usage_rollups_new (
                    minute INTEGER NOT NULL,
                    api_name TEXT NOT NULL,
                    api_context TEXT NOT NULL,
                    api_version TEXT NOT NULL,
                    api_provider TEXT NOT NULL,
                    resource TEXT NOT NULL,
                    http_method TEXT NOT NULL,
                    application_id TEXT NOT NULL,
                    username TEXT NOT NULL,
                    status_class INTEGER NOT NULL,
                    fault_code INTEGER NOT NULL,
                    tier TEXT NOT NULL,
                    backend TEXT NOT NULL,
                    request_count INTEGER NOT NULL,
                    error_count INTEGER NOT NULL,
                    throttled_count INTEGER NOT NULL,
                    latency_sum_ms REAL NOT NULL,
                    latency_histogram TEXT NOT NULL,
                    last_access INTEGER NOT NULL,
                    backend_count INTEGER NOT NULL,
                    backend_latency_sum_ms REAL NOT NULL,
                    backend_latency_histogram TEXT NOT NULL,
                    PRIMARY KEY (minute, api_name, api_version, resource, http_method, application_id, username,
                                 status_class, api_context, api_provider, fault_code, tier, backend)
                ) WITHOUT ROWID;
                INSERT INTO usage_rollups_new
                SELECT minute, api_name, api_context, api_version, api_provider, resource, http_method, application_id,
                       username, status_class, 0, '', '', request_count, error_count, throttled_count, latency_sum_ms,
                       latency_histogram, last_access, 0, 0, ''
                FROM usage_rollups;
                DROP TABLE usage_rollups;
                ALTER TABLE usage_rollups_new RENAME TO usage_rollups;
                """
        )
    }
}
