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
            // A FILE document keeps its uploaded bytes; other kinds replace the content with their text.
            let keepsFile = document.sourceType == "FILE"
            try db.execute(
                sql: """
                    UPDATE api_documents SET name = ?, type = ?, summary = ?, source_url = ?, visibility = ?,
                        updated_at = ?,
                        content = CASE WHEN ? AND source_type = 'FILE' THEN content ELSE ? END,
                        content_type = CASE WHEN ? AND source_type = 'FILE' THEN content_type ELSE NULL END,
                        file_name = CASE WHEN ? AND source_type = 'FILE' THEN file_name ELSE NULL END,
                        source_type = ?
                    WHERE id = ? AND api_id = ?
                    """,
                arguments: [
                    document.name, document.type, document.summary, document.sourceURL, document.visibility,
                    document.updatedAt.storageSeconds, keepsFile, document.content.map { Data($0.utf8) }, keepsFile,
                    keepsFile, document.sourceType, document.id, document.apiID,
                ]
            )
            if db.changesCount == 0 { throw StorageError.notFound("document \(document.id)") }
        }
    }

    public func setDocumentContent(_ content: APIDocumentContent, apiID: String, id: String, updatedAt: Date)
        async throws
    {
        try await write("content of document \(id)") { db in
            try db.execute(
                sql: """
                    UPDATE api_documents SET content = ?, content_type = ?, file_name = ?, updated_at = ?
                    WHERE id = ? AND api_id = ?
                    """,
                arguments: [content.data, content.contentType, content.fileName, updatedAt.storageSeconds, id, apiID]
            )
            if db.changesCount == 0 { throw StorageError.notFound("document \(id)") }
        }
    }

    public func documentContent(apiID: String, id: String) async throws -> APIDocumentContent? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT content, content_type, file_name FROM api_documents WHERE id = ? AND api_id = ?",
                    arguments: [id, apiID]
                ), let data = row["content"] as Data?
            else { return nil }
            return APIDocumentContent(data: data, contentType: row["content_type"], fileName: row["file_name"])
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
            // An uploaded file is bytes, not text: read it with documentContent(apiID:id:).
            content: row["source_type"] == "FILE" ? nil : content.map { String(decoding: $0, as: UTF8.self) },
            visibility: row["visibility"],
            createdBy: row["created_by"],
            createdAt: Date(storageSeconds: row["created_at"]),
            updatedAt: Date(storageSeconds: row["updated_at"])
        )
    }
}
