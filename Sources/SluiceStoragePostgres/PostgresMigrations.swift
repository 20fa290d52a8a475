import Logging
import PostgresNIO

/// The PostgreSQL schema, as an ordered list of migrations that mirror SQLite's (same identifiers, same tables
/// and columns) followed by the cluster's own tables. Never edit a shipped migration: append a new one.
///
/// Differences from SQLite's types: times stay `DOUBLE PRECISION` seconds since 1970, `BLOB` is `BYTEA`, flags
/// are `BOOLEAN`, and SQLite's case-insensitive `COLLATE NOCASE` columns get unique indexes on `lower(column)`
/// (the queries compare and sort through `lower()` too).
enum PostgresMigrations {
    struct Migration {
        var identifier: String
        var sql: [String]
    }

    /// Every migration, in order.
    static let all: [Migration] = [
        Migration(identifier: "v1-core", sql: PostgresCoreSchema.statements),
        Migration(
            identifier: "v3-user-profile",
            sql: ["ALTER TABLE users ADD COLUMN first_name TEXT, ADD COLUMN last_name TEXT"]
        ),
        Migration(
            identifier: "v4-usage-detail",
            sql: ["ALTER TABLE usage_events ADD COLUMN resource_path TEXT, ADD COLUMN request_size BIGINT"]
        ),
        Migration(identifier: "v5-document-file", sql: ["ALTER TABLE api_documents ADD COLUMN file_name TEXT"]),
        Migration(
            identifier: "v6-internal-client",
            sql: [
                "ALTER TABLE applications ADD COLUMN internal BOOLEAN NOT NULL DEFAULT FALSE",
                """
                UPDATE applications SET internal = TRUE
                WHERE description = 'OAuth client registered through /client-registration/v0.17/register'
                """,
            ]
        ),
        Migration(identifier: "v7-usage-rollups", sql: PostgresUsageRollupSchema.statements),
        // The cluster's own tables (SQLite has none); later migrations go after it.
        Migration(identifier: "cluster-v1", sql: PostgresClusterSchema.statements),
        Migration(
            identifier: "v8-revoked-api-keys",
            sql: [
                "CREATE TABLE revoked_api_keys (key_hash BYTEA PRIMARY KEY NOT NULL, expires_at DOUBLE PRECISION)",
                "CREATE INDEX revoked_api_keys_by_expiry ON revoked_api_keys(expires_at)",
            ]
        ),
        Migration(identifier: "v9-usage-dimensions", sql: PostgresUsageDimensionSchema.statements),
        Migration(
            identifier: "v10-api-revisions",
            sql: [
                """
                CREATE TABLE api_revisions (
                    id TEXT PRIMARY KEY NOT NULL,
                    api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
                    number BIGINT NOT NULL,
                    description TEXT,
                    snapshot BYTEA NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL,
                    UNIQUE (api_id, number)
                )
                """
            ]
        ),
        Migration(identifier: "v11-api-catalog", sql: PostgresStorage.catalogSchema),
        Migration(identifier: "v12-consumer-secrets", sql: PostgresStorage.consumerSecretSchema),
        Migration(identifier: "v13-publisher-objects", sql: PostgresStorage.publisherObjectSchema),
        Migration(identifier: "v14-blocking-conditions", sql: PostgresStorage.blockingConditionSchema),
        Migration(identifier: "v15-role-aliases", sql: ["ALTER TABLE roles ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]'"]),
        Migration(identifier: "v16-bot-accesses", sql: PostgresStorage.botAccessSchema),
    ]

    /// An arbitrary constant: the advisory lock nodes take while migrating, so two nodes starting together do not
    /// both apply a migration.
    private static let lockKey: Int64 = 0x511CE_0017

    /// Applies the migrations this database lacks, each in its own transaction, under the advisory lock.
    ///
    /// It uses a connection of its own rather than the pool's, which retries an unreachable server for a long
    /// while: a node that cannot reach its database at start says so at once.
    static func migrate(_ settings: PostgresConnectionSettings, logger: Logger) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try settings.connectionConfiguration(),
            id: 0,
            logger: logger
        )
        do {
            // The lock is a session's: closing the connection releases it even if a migration fails.
            try await connection.run("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            try await apply(on: connection, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    private static func apply(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                identifier TEXT NOT NULL UNIQUE,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        let applied = Set(
            try await connection.rows("SELECT identifier FROM schema_migrations", logger: logger)
                .map { try $0.decode(String.self) }
        )
        for migration in all where !applied.contains(migration.identifier) {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.sql {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.run(
                    "INSERT INTO schema_migrations (identifier) VALUES (\(migration.identifier))",
                    logger: logger
                )
            }
            logger.info("Database migrated", metadata: ["sluice.migration": "\(migration.identifier)"])
        }
    }
}
