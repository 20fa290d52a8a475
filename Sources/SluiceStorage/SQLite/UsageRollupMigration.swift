import GRDB

/// `v7-usage-rollups`: per-minute rollups of the calls (what the statistics read), filled from the raw events
/// already stored so upgraded databases keep their history. The raw table stays for sampled events; the
/// `usage_aggregates` table of v1, never written, goes.
enum UsageRollupMigration {
    static let identifier = "v7-usage-rollups"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE usage_rollups (
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
                    request_count INTEGER NOT NULL,
                    error_count INTEGER NOT NULL,
                    throttled_count INTEGER NOT NULL,
                    latency_sum_ms REAL NOT NULL,
                    latency_histogram TEXT NOT NULL,
                    last_access INTEGER NOT NULL,
                    PRIMARY KEY (minute, api_name, api_version, resource, http_method, application_id, username,
                                 status_class, api_context, api_provider)
                ) WITHOUT ROWID;
                INSERT INTO usage_rollups
                SELECT minute, api_name, api_context, api_version, api_provider, resource, http_method, application_id,
                       username, status_class, SUM(calls), SUM(errors), SUM(throttled), SUM(latency_sum),
                       group_concat(millis || '=' || calls, ','), MAX(last_access)
                FROM (
                    SELECT CAST(request_time / 60 AS INTEGER) * 60000 AS minute, api_name, api_context, api_version,
                           COALESCE(api_provider, '') AS api_provider, resource, http_method,
                           COALESCE(application_id, '') AS application_id, COALESCE(username, '') AS username,
                           COALESCE(response_code, 0) / 100 AS status_class,
                           MAX(CAST(ROUND(COALESCE(response_time_ms, 0)) AS INTEGER), 0) AS millis,
                           COUNT(*) AS calls,
                           SUM(CASE WHEN COALESCE(response_code, 0) >= 400 OR error_code IS NOT NULL THEN 1 ELSE 0 END)
                               AS errors,
                           SUM(throttled_out) AS throttled, SUM(COALESCE(response_time_ms, 0)) AS latency_sum,
                           CAST(ROUND(MAX(request_time) * 1000) AS INTEGER) AS last_access
                    FROM usage_events
                    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
                )
                GROUP BY minute, api_name, api_version, resource, http_method, application_id, username, status_class,
                         api_context, api_provider;
                DROP TABLE usage_aggregates;
                """
        )
    }
}
