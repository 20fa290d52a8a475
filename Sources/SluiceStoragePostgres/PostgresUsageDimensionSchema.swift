/// `v9-usage-dimensions` on PostgreSQL, as SQLite's `UsageDimensionMigration`: fault code, subscription tier and
/// backend join the rollups' key, the backend's time is counted, and `sluice_merge_histograms` merges two stored
/// latency histograms (pairs summed per bucket, ascending, as `LatencyHistogram.encoded` writes them) for the
/// upserts of both histograms.
enum PostgresUsageDimensionSchema {
    static let statements = [
        """
        ALTER TABLE usage_rollups
            ADD COLUMN fault_code BIGINT NOT NULL DEFAULT 0,
            ADD COLUMN tier TEXT NOT NULL DEFAULT '',
            ADD COLUMN backend TEXT NOT NULL DEFAULT '',
            ADD COLUMN backend_count BIGINT NOT NULL DEFAULT 0,
            ADD COLUMN backend_latency_sum_ms DOUBLE PRECISION NOT NULL DEFAULT 0,
            ADD COLUMN backend_latency_histogram TEXT NOT NULL DEFAULT ''
        """,
        "ALTER TABLE usage_rollups DROP CONSTRAINT usage_rollups_pkey",
        """
        ALTER TABLE usage_rollups ADD PRIMARY KEY (minute, api_name, api_version, resource, http_method,
            application_id, username, status_class, api_context, api_provider, fault_code, tier, backend)
        """,
        """
        CREATE FUNCTION sluice_merge_histograms(stored TEXT, added TEXT) RETURNS TEXT
        LANGUAGE SQL IMMUTABLE AS $$
            SELECT COALESCE((
                SELECT string_agg(bucket || '=' || total, ',' ORDER BY bucket)
                FROM (
                    SELECT split_part(pair, '=', 1)::BIGINT AS bucket, SUM(split_part(pair, '=', 2)::BIGINT) AS total
                    FROM unnest(string_to_array(stored || ',' || added, ',')) AS pair
                    WHERE pair <> ''
                    GROUP BY 1
                ) AS merged
            ), '')
        $$
        """,
    ]
}
