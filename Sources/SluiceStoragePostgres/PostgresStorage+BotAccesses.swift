import PostgresNIO
public import SluiceModel

extension PostgresStorage: BotAccessRepository {
    /// `v16-bot-accesses`: the calls WSO2's bot trap recorded (SQLite's `BotAccessMigration`).
    static let botAccessSchema = [
        """
        CREATE TABLE bot_accesses (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            recorded_time BIGINT NOT NULL,
            message_id TEXT NOT NULL,
            method TEXT NOT NULL,
            header_set TEXT NOT NULL,
            message_body TEXT NOT NULL,
            client_ip TEXT NOT NULL
        )
        """,
        "CREATE INDEX bot_accesses_by_time ON bot_accesses(recorded_time)",
    ]

    public func insertBotAccesses(_ accesses: [BotAccess], keepingNewest limit: Int) async throws {
        guard !accesses.isEmpty else { return }
        try await write("bot detection records") { connection in
            // At most a queue's worth (1,000) per flush: one statement per record is cheap enough.
            for access in accesses {
                try await connection.run(
                    """
                    INSERT INTO bot_accesses (recorded_time, message_id, method, header_set, message_body, client_ip)
                    VALUES (\(access.recordedTime), \(access.messageID), \(access.method), \(access.headerSet),
                            \(access.messageBody), \(access.clientIP))
                    """,
                    logger: logger
                )
            }
            try await connection.run(
                """
                DELETE FROM bot_accesses WHERE id NOT IN (
                    SELECT id FROM bot_accesses ORDER BY recorded_time DESC, id DESC LIMIT \(max(0, limit))
                )
                """,
                logger: logger
            )
        }
    }

    public func botAccesses() async throws -> [BotAccess] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT recorded_time, message_id, method, header_set, message_body, client_ip FROM bot_accesses
                ORDER BY recorded_time DESC, id DESC
                """,
                logger: logger
            ).map { row in
                let (time, id, method, headers, body, address) = try row.decode(
                    (Int64, String, String, String, String, String).self
                )
                return BotAccess(
                    recordedTime: time, messageID: id, method: method, headerSet: headers, messageBody: body,
                    clientIP: address
                )
            }
        }
    }

    public func deleteBotAccesses(before: Int64) async throws -> Int {
        try await write("bot detection retention") { connection in
            try await connection.rows(
                "DELETE FROM bot_accesses WHERE recorded_time < \(before) RETURNING 1",
                logger: logger
            ).count
        }
    }
}
