import Foundation
import PostgresNIO
public import SluiceModel
public import SluiceStorage

extension PostgresStorage: BlockingConditionRepository {
    /// `v14-blocking-conditions`: the administrators' deny policies.
    static let blockingConditionSchema = [
        """
        CREATE TABLE blocking_conditions (
            id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            ending_ip TEXT NOT NULL DEFAULT '',
            invert BOOLEAN NOT NULL DEFAULT FALSE,
            enabled BOOLEAN NOT NULL DEFAULT TRUE,
            created_at DOUBLE PRECISION NOT NULL,
            UNIQUE (kind, value, ending_ip)
        )
        """
    ]

    // Every change is announced (topic blocking-condition): gateways of the cluster reload the conditions.

    public func createBlockingCondition(_ condition: BlockingCondition) async throws {
        try await write("blocking condition \(condition.kind.rawValue) \(condition.value)") { connection in
            try await connection.run(
                """
                INSERT INTO blocking_conditions (id, kind, value, ending_ip, invert, enabled, created_at)
                VALUES (\(condition.id), \(condition.kind.rawValue), \(condition.value), \(condition.endingIP ?? ""),
                        \(condition.invert), \(condition.isEnabled), \(Date().storageSeconds))
                """,
                logger: logger
            )
            try await appendEvent(.blockingCondition, subject: condition.id, on: connection)
        }
    }

    public func blockingConditions() async throws -> [BlockingCondition] {
        try await read { connection in
            try await connection.rows(
                "SELECT id, kind, value, ending_ip, invert, enabled FROM blocking_conditions ORDER BY created_at, id",
                logger: logger
            ).compactMap(Self.condition)
        }
    }

    public func setBlockingCondition(id: String, enabled: Bool) async throws -> BlockingCondition? {
        try await write("blocking condition \(id)") { connection in
            let rows = try await connection.rows(
                """
                UPDATE blocking_conditions SET enabled = \(enabled) WHERE id = \(id)
                RETURNING id, kind, value, ending_ip, invert, enabled
                """,
                logger: logger
            )
            guard let row = rows.first else { return nil }
            try await appendEvent(.blockingCondition, subject: id, on: connection)
            return try Self.condition(row)
        }
    }

    public func deleteBlockingCondition(id: String) async throws -> Bool {
        try await write("blocking condition \(id)") { connection in
            let rows = try await connection.rows(
                "DELETE FROM blocking_conditions WHERE id = \(id) RETURNING id",
                logger: logger
            )
            guard !rows.isEmpty else { return false }
            try await appendEvent(.blockingCondition, subject: id, on: connection)
            return true
        }
    }

    private static func condition(_ row: PostgresRow) throws -> BlockingCondition? {
        let (id, kind, value, endingIP, invert, enabled) = try row.decode((String, String, String, String, Bool, Bool).self)
        guard let kind = BlockingCondition.Kind(rawValue: kind) else { return nil }
        return BlockingCondition(
            id: id,
            kind: kind,
            value: value,
            endingIP: endingIP.isEmpty ? nil : endingIP,
            invert: invert,
            isEnabled: enabled
        )
    }
}
