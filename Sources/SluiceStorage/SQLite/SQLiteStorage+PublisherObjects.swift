import Foundation
import GRDB

extension SQLiteStorage: PublisherObjectRepository {
    public func createObject(_ object: PublisherObjectRecord) async throws {
        try await write("\(object.kind.rawValue) \(object.name)") { db in
            try db.execute(
                sql: """
                    INSERT INTO publisher_objects (id, kind, api_id, name, document, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    object.id, object.kind.rawValue, object.apiID, object.name, object.document,
                    object.updatedAt.storageSeconds,
                ]
            )
        }
    }

    public func updateObject(_ object: PublisherObjectRecord) async throws {
        try await write("\(object.kind.rawValue) \(object.name)") { db in
            try db.execute(
                sql: "UPDATE publisher_objects SET name = ?, document = ?, updated_at = ? WHERE id = ? AND kind = ?",
                arguments: [object.name, object.document, object.updatedAt.storageSeconds, object.id, object.kind.rawValue]
            )
            if db.changesCount == 0 { throw StorageError.notFound("\(object.kind.rawValue) \(object.id)") }
        }
    }

    public func deleteObject(_ kind: PublisherObjectRecord.Kind, id: String) async throws -> Bool {
        try await write("\(kind.rawValue) \(id)") { db in
            try db.execute(sql: "DELETE FROM publisher_objects WHERE id = ? AND kind = ?", arguments: [id, kind.rawValue])
            return db.changesCount > 0
        }
    }

    public func object(_ kind: PublisherObjectRecord.Kind, id: String) async throws -> PublisherObjectRecord? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM publisher_objects WHERE id = ? AND kind = ?", arguments: [id, kind.rawValue]
            ).map { Self.publisherObject($0, kind) }
        }
    }

    public func objects(_ kind: PublisherObjectRecord.Kind, owner: PublisherObjectRecord.Owner) async throws
        -> [PublisherObjectRecord]
    {
        try await read { db in
            let (condition, arguments): (String, StatementArguments) = switch owner {
            case .common: ("api_id IS NULL", [kind.rawValue])
            case .api(let apiID): ("api_id = ?", [kind.rawValue, apiID])
            case .any: ("1", [kind.rawValue])
            }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM publisher_objects WHERE kind = ? AND \(condition) ORDER BY name, id",
                arguments: arguments
            ).map { Self.publisherObject($0, kind) }
        }
    }

    private static func publisherObject(_ row: Row, _ kind: PublisherObjectRecord.Kind) -> PublisherObjectRecord {
        PublisherObjectRecord(
            id: row["id"], kind: kind, apiID: row["api_id"], name: row["name"], document: row["document"],
            updatedAt: Date(storageSeconds: row["updated_at"])
        )
    }
}
