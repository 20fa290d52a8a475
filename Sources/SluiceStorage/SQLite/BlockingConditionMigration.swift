import GRDB

/// `v14-blocking-conditions`: the administrators' deny policies.
enum BlockingConditionMigration {
    static let identifier = "v14-blocking-conditions"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE blocking_conditions (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    ending_ip TEXT NOT NULL DEFAULT '',
                    invert INTEGER NOT NULL DEFAULT 0,
                    enabled INTEGER NOT NULL DEFAULT 1,
                    created_at REAL NOT NULL,
                    UNIQUE (kind, value, ending_ip)
                );
                """
        )
    }
}
