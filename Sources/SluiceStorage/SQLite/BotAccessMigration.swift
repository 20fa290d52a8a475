import GRDB

/// `v16-bot-accesses`: the calls WSO2's bot trap (`_OpenService_`) recorded, for the admin API's
/// `GET /bot-detection-data`; kept bounded by count and age (`BotAccessWriter`).
enum BotAccessMigration {
    static let identifier = "v16-bot-accesses"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE bot_accesses (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    recorded_time INTEGER NOT NULL,
                    message_id TEXT NOT NULL,
                    method TEXT NOT NULL,
                    header_set TEXT NOT NULL,
                    message_body TEXT NOT NULL,
                    client_ip TEXT NOT NULL
                );
                CREATE INDEX bot_accesses_by_time ON bot_accesses(recorded_time);
                """
        )
    }
}
