import GRDB

/// `v13-publisher-objects`: shared scopes, operation policies, endpoint certificates and API endpoints.
enum PublisherObjectMigration {
    static let identifier = "v13-publisher-objects"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE publisher_objects (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    api_id TEXT REFERENCES apis(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    document BLOB NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE UNIQUE INDEX publisher_objects_by_name ON publisher_objects(kind, COALESCE(api_id, ''), name);
                CREATE INDEX publisher_objects_by_api ON publisher_objects(api_id);
                """
        )
    }
}
