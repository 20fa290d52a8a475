/// `cluster-v1`: what nodes share beyond SQLite's tables: the change log gateways follow, the artifacts they
/// deploy, and the throttle counters they add to.
enum PostgresClusterSchema {
    static let statements = [
        // One row: the version of the latest change. Writers bump it under its row lock, so versions are handed
        // out in commit order and a reader that saw version N has seen every change up to N.
        "CREATE TABLE cluster_state (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL)",
        "INSERT INTO cluster_state (id, version) VALUES (1, 0)",
        """
        CREATE TABLE cluster_events (
            version BIGINT PRIMARY KEY,
            topic TEXT NOT NULL,
            subject TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL
        )
        """,
        // content NULL: the publisher removed the file.
        """
        CREATE TABLE gateway_artifacts (
            file_name TEXT PRIMARY KEY,
            content TEXT,
            version BIGINT NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL
        )
        """,
        "CREATE INDEX gateway_artifacts_by_version ON gateway_artifacts (version)",
        """
        CREATE TABLE throttle_counters (
            counter_key TEXT NOT NULL,
            window_start BIGINT NOT NULL,
            count BIGINT NOT NULL,
            expires_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (counter_key, window_start)
        )
        """,
        "CREATE INDEX throttle_counters_by_expiry ON throttle_counters (expires_at)",
    ]
}
