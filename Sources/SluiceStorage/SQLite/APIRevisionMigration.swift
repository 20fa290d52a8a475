import GRDB

/// `v10-api-revisions`: immutable snapshots of APIs (WSO2's API revisions), numbered per API.
enum APIRevisionMigration {
    static let identifier = "v10-api-revisions"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_revisions (
                    id TEXT PRIMARY KEY NOT NULL,
                    api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    description TEXT,
                    snapshot BLOB NOT NULL,
                    created_at REAL NOT NULL,
                    UNIQUE (api_id, number)
                );
                """
        )
    }
}
