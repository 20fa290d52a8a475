import GRDB
public import SluiceModel

extension SQLiteStorage: BotAccessRepository {
    public func insertBotAccesses(_ accesses: [BotAccess], keepingNewest limit: Int) async throws {
        guard !accesses.isEmpty else { return }
        try await write("bot detection records") { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO bot_accesses (recorded_time, message_id, method, header_set, message_body, client_ip)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """
            )
            for access in accesses {
                try insert.execute(arguments: [
                    access.recordedTime, access.messageID, access.method, access.headerSet, access.messageBody,
                    access.clientIP,
                ])
            }
            try db.execute(
                sql: """
                    DELETE FROM bot_accesses WHERE id NOT IN (
                        SELECT id FROM bot_accesses ORDER BY recorded_time DESC, id DESC LIMIT ?
                    )
                    """,
                arguments: [max(0, limit)]
            )
        }
    }

    public func botAccesses() async throws -> [BotAccess] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT recorded_time, message_id, method, header_set, message_body, client_ip FROM bot_accesses
                    ORDER BY recorded_time DESC, id DESC
                    """
            ).map { row in
                BotAccess(
                    recordedTime: row[0],
                    messageID: row[1],
                    method: row[2],
                    headerSet: row[3],
                    messageBody: row[4],
                    clientIP: row[5]
                )
            }
        }
    }

    public func deleteBotAccesses(before: Int64) async throws -> Int {
        try await write("bot detection retention") { db in
            try db.execute(sql: "DELETE FROM bot_accesses WHERE recorded_time < ?", arguments: [before])
            return db.changesCount
        }
    }
}
