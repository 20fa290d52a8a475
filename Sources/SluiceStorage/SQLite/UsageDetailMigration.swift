import GRDB

/// `v4-usage-detail`: the request path (below the context, as sent) and the request size of each usage event,
/// next to the resource template and response size the table already kept. Existing events get neither.
enum UsageDetailMigration {
    static let identifier = "v4-usage-detail"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE usage_events ADD COLUMN resource_path TEXT;
                ALTER TABLE usage_events ADD COLUMN request_size INTEGER;
                """
        )
    }
}
