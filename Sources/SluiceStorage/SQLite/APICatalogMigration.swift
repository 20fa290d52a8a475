import GRDB

/// `v11-api-catalog`: API thumbnails, and the categories and labels attached to APIs.
enum APICatalogMigration {
    static let identifier = "v11-api-catalog"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_thumbnails (
                    api_id TEXT PRIMARY KEY NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
                    content_type TEXT NOT NULL,
                    data BLOB NOT NULL,
                    updated_at REAL NOT NULL
                );
                CREATE TABLE api_groupings (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL COLLATE NOCASE,
                    description TEXT,
                    UNIQUE (kind, name)
                );
                CREATE TABLE api_grouping_links (
                    grouping_id TEXT NOT NULL REFERENCES api_groupings(id) ON DELETE CASCADE,
                    api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
                    PRIMARY KEY (grouping_id, api_id)
                );
                CREATE INDEX api_grouping_links_by_api ON api_grouping_links(api_id);
                """
        )
    }
}
