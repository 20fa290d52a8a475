import Foundation
import GRDB

extension SQLiteStorage: APIDocumentRepository {
    public func createDocument(_ document: APIDocumentRecord) async throws {
        try await write("document \(document.name) of API \(document.apiID)") { db in
            try db.execute(
                sql: """
                    INSERT INTO api_documents
                        (id, api_id, name, type, source_type, summary, source_url, content, content_type, visibility,
                         created_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
                    """,
                arguments: [
                    document.id, document.apiID, document.name, document.type, document.sourceType, document.summary,
                    document.sourceURL, document.content.map { Data($0.utf8) }, document.visibility, document.createdBy,
                    document.createdAt.storageSeconds, document.updatedAt.storageSeconds,
                ]
            )
        }
    }

    public func updateDocument(_ document: APIDocumentRecord) async throws {
        try await write("document \(document.name) of API \(document.apiID)") { db in
            try db.execute(
                sql: """
                    UPDATE api_documents SET name = ?, type = ?, source_type = ?, summary = ?, source_url = ?,
                        content = ?, visibility = ?, updated_at = ?
                    WHERE id = ? AND api_id = ?
                    """,
                arguments: [
                    document.name, document.type, document.sourceType, document.summary, document.sourceURL,
                    document.content.map { Data($0.utf8) }, document.visibility, document.updatedAt.storageSeconds,
                    document.id, document.apiID,
                ]
            )
            if db.changesCount == 0 { throw StorageError.notFound("document \(document.id)") }
        }
    }

    public func deleteDocument(apiID: String, id: String) async throws -> Bool {
        try await write("document \(id)") { db in
            try db.execute(sql: "DELETE FROM api_documents WHERE id = ? AND api_id = ?", arguments: [id, apiID])
            return db.changesCount > 0
        }
    }

    public func document(apiID: String, id: String) async throws -> APIDocumentRecord? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM api_documents WHERE id = ? AND api_id = ?",
                arguments: [id, apiID]
            ).map(Self.document)
        }
    }

    public func documents(apiID: String) async throws -> [APIDocumentRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_documents WHERE api_id = ? ORDER BY name", arguments: [apiID])
                .map(Self.document)
        }
    }

    private static func document(from row: Row) -> APIDocumentRecord {
        let content: Data? = row["content"]
        return APIDocumentRecord(
            id: row["id"],
            apiID: row["api_id"],
            name: row["name"],
            type: row["type"],
            sourceType: row["source_type"],
            summary: row["summary"],
            sourceURL: row["source_url"],
            content: content.map { String(decoding: $0, as: UTF8.self) },
            visibility: row["visibility"],
            createdBy: row["created_by"],
            createdAt: Date(storageSeconds: row["created_at"]),
            updatedAt: Date(storageSeconds: row["updated_at"])
        )
    }
}
