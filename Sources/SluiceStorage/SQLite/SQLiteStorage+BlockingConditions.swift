import Foundation
import GRDB
import SluiceModel

extension SQLiteStorage: BlockingConditionRepository {
    public func createBlockingCondition(_ condition: BlockingCondition) async throws {
        try await write("blocking condition \(condition.kind.rawValue) \(condition.value)") { db in
            try db.execute(
                sql: """
                    INSERT INTO blocking_conditions (id, kind, value, ending_ip, invert, enabled, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    condition.id, condition.kind.rawValue, condition.value, condition.endingIP ?? "", condition.invert,
                    condition.isEnabled, Date().storageSeconds,
                ]
            )
        }
    }

    public func blockingConditions() async throws -> [BlockingCondition] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM blocking_conditions ORDER BY created_at, id").compactMap(Self.condition)
        }
    }

    public func setBlockingCondition(id: String, enabled: Bool) async throws -> BlockingCondition? {
        try await write("blocking condition \(id)") { db in
            try db.execute(sql: "UPDATE blocking_conditions SET enabled = ? WHERE id = ?", arguments: [enabled, id])
            return try Row.fetchOne(db, sql: "SELECT * FROM blocking_conditions WHERE id = ?", arguments: [id])
                .flatMap(Self.condition)
        }
    }

    public func deleteBlockingCondition(id: String) async throws -> Bool {
        try await write("blocking condition \(id)") { db in
            try db.execute(sql: "DELETE FROM blocking_conditions WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    private static func condition(_ row: Row) -> BlockingCondition? {
        guard let kind = BlockingCondition.Kind(rawValue: row["kind"]) else { return nil }
        let endingIP: String = row["ending_ip"]
        return BlockingCondition(
            id: row["id"],
            kind: kind,
            value: row["value"],
            endingIP: endingIP.isEmpty ? nil : endingIP,
            invert: row["invert"],
            isEnabled: row["enabled"]
        )
    }
}
