import Foundation
import GRDB

extension SQLiteStorage: APIRevisionRepository {
    public func createRevision(_ revision: APIRevisionRecord) async throws {
        try await write("revision \(revision.number) of API \(revision.apiID)") { db in
            try db.execute(
                sql: """
                    INSERT INTO api_revisions (id, api_id, number, description, snapshot, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    revision.id, revision.apiID, revision.number, revision.description, revision.snapshot,
                    revision.createdAt.storageSeconds,
                ]
            )
        }
    }

    public func revisions(apiID: String) async throws -> [APIRevisionRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM api_revisions WHERE api_id = ? ORDER BY number",
                arguments: [apiID]
            ).map(Self.revision)
        }
    }

    public func revision(apiID: String, id: String) async throws -> APIRevisionRecord? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM api_revisions WHERE api_id = ? AND id = ?",
                arguments: [apiID, id]
            ).map(Self.revision)
        }
    }

    public func deleteRevision(apiID: String, id: String) async throws -> Bool {
        try await write("revision \(id)") { db in
            try db.execute(sql: "DELETE FROM api_revisions WHERE api_id = ? AND id = ?", arguments: [apiID, id])
            return db.changesCount > 0
        }
    }

    private static func revision(from row: Row) -> APIRevisionRecord {
        APIRevisionRecord(
            id: row["id"],
            apiID: row["api_id"],
            number: row["number"],
            description: row["description"],
            snapshot: row["snapshot"],
            createdAt: Date(storageSeconds: row["created_at"])
        )
    }
}
