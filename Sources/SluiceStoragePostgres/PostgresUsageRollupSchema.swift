/// `v7-usage-rollups` on PostgreSQL, as SQLite's `UsageRollupMigration`: per-minute rollups of the calls (what the
/// statistics read), filled from the raw events already stored; `usage_aggregates`, never written, goes.
enum PostgresUsageRollupSchema {
    static let statements = [
        """
        CREATE TABLE usage_rollups (
            minute BIGINT NOT NULL,
            api_name TEXT NOT NULL,
            api_context TEXT NOT NULL,
            api_version TEXT NOT NULL,
            api_provider TEXT NOT NULL,
            resource TEXT NOT NULL,
            http_method TEXT NOT NULL,
            application_id TEXT NOT NULL,
            username TEXT NOT NULL,
            status_class BIGINT NOT NULL,
            request_count BIGINT NOT NULL,
            error_count BIGINT NOT NULL,
            throttled_count BIGINT NOT NULL,
            latency_sum_ms DOUBLE PRECISION NOT NULL,
            latency_histogram TEXT NOT NULL,
            last_access BIGINT NOT NULL,
            PRIMARY KEY (minute, api_name, api_version, resource, http_method, application_id, username,
                         status_class, api_context, api_provider)
        )
        """,
        """
        INSERT INTO usage_rollups
        SELECT minute, api_name, api_context, api_version, api_provider, resource, http_method, application_id,
               username, status_class, SUM(calls), SUM(errors), SUM(throttled), SUM(latency_sum),
               string_agg(millis || '=' || calls, ','), MAX(last_access)
        FROM (
            SELECT floor(request_time / 60)::BIGINT * 60000 AS minute, api_name, api_context, api_version,
                   COALESCE(api_provider, '') AS api_provider, resource, http_method,
                   COALESCE(application_id, '') AS application_id, COALESCE(username, '') AS username,
                   COALESCE(response_code, 0) / 100 AS status_class,
                   GREATEST(round(COALESCE(response_time_ms, 0))::BIGINT, 0) AS millis,
                   COUNT(*) AS calls,
                   SUM(CASE WHEN COALESCE(response_code, 0) >= 400 OR error_code IS NOT NULL THEN 1 ELSE 0 END)
                       AS errors,
                   SUM(CASE WHEN throttled_out THEN 1 ELSE 0 END) AS throttled,
                   SUM(COALESCE(response_time_ms, 0)) AS latency_sum,
                   round(MAX(request_time) * 1000)::BIGINT AS last_access
            FROM usage_events
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
        ) AS calls_by_latency
        GROUP BY minute, api_name, api_version, resource, http_method, application_id, username, status_class,
                 api_context, api_provider
        """,
        "DROP TABLE usage_aggregates",
    ]
}
