public import Foundation
import PostgresNIO
public import SluiceStorage

extension PostgresStorage: APIDocumentRepository {
    private static let documentColumns = """
        id, api_id, name, type, source_type, summary, source_url, content, visibility, created_by, created_at,
        updated_at
        """

    public func createDocument(_ document: APIDocumentRecord) async throws {
        try await write("document \(document.name) of API \(document.apiID)") { connection in
            try await connection.run(
                """
                INSERT INTO api_documents
                    (id, api_id, name, type, source_type, summary, source_url, content, content_type, visibility,
                     created_by, created_at, updated_at)
                VALUES (\(document.id), \(document.apiID), \(document.name), \(document.type), \(document.sourceType),
                        \(document.summary), \(document.sourceURL), \(document.content.map { Data($0.utf8) }), NULL,
                        \(document.visibility), \(document.createdBy), \(document.createdAt.storageSeconds),
                        \(document.updatedAt.storageSeconds))
                """,
                logger: logger
            )
        }
    }

    public func updateDocument(_ document: APIDocumentRecord) async throws {
        try await write("document \(document.name) of API \(document.apiID)") { connection in
            // A FILE document keeps its uploaded bytes; other kinds replace the content with their text.
            let keepsFile = document.sourceType == "FILE"
            let rows = try await connection.rows(
                """
                UPDATE api_documents SET name = \(document.name), type = \(document.type), summary = \(document.summary),
                    source_url = \(document.sourceURL), visibility = \(document.visibility),
                    updated_at = \(document.updatedAt.storageSeconds),
                    content = CASE WHEN \(keepsFile) AND source_type = 'FILE' THEN content
                                   ELSE \(document.content.map { Data($0.utf8) }) END,
                    content_type = CASE WHEN \(keepsFile) AND source_type = 'FILE' THEN content_type ELSE NULL END,
                    file_name = CASE WHEN \(keepsFile) AND source_type = 'FILE' THEN file_name ELSE NULL END,
                    source_type = \(document.sourceType)
                WHERE id = \(document.id) AND api_id = \(document.apiID)
                RETURNING id
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("document \(document.id)") }
        }
    }

    public func setDocumentContent(_ content: APIDocumentContent, apiID: String, id: String, updatedAt: Date)
        async throws
    {
        try await write("content of document \(id)") { connection in
            let rows = try await connection.rows(
                """
                UPDATE api_documents SET content = \(content.data), content_type = \(content.contentType),
                    file_name = \(content.fileName), updated_at = \(updatedAt.storageSeconds)
                WHERE id = \(id) AND api_id = \(apiID)
                RETURNING id
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("document \(id)") }
        }
    }

    public func documentContent(apiID: String, id: String) async throws -> APIDocumentContent? {
        try await read { connection in
            guard
                let row = try await connection.rows(
                    "SELECT content, content_type, file_name FROM api_documents WHERE id = \(id) AND api_id = \(apiID)",
                    logger: logger
                ).first
            else { return nil }
            let (data, contentType, fileName) = try row.decode((Data?, String?, String?).self)
            return data.map { APIDocumentContent(data: $0, contentType: contentType, fileName: fileName) }
        }
    }

    public func deleteDocument(apiID: String, id: String) async throws -> Bool {
        try await write("document \(id)") { connection in
            !(try await connection.rows(
                "DELETE FROM api_documents WHERE id = \(id) AND api_id = \(apiID) RETURNING id",
                logger: logger
            )).isEmpty
        }
    }

    public func document(apiID: String, id: String) async throws -> APIDocumentRecord? {
        try await read { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.documentColumns) FROM api_documents WHERE id = \(id) AND api_id = \(apiID)",
                logger: logger
            ).first.map(Self.document)
        }
    }

    public func documents(apiID: String) async throws -> [APIDocumentRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.documentColumns) FROM api_documents WHERE api_id = \(apiID)
                ORDER BY name COLLATE "C"
                """,
                logger: logger
            ).map(Self.document)
        }
    }

    private static func document(from row: PostgresRow) throws -> APIDocumentRecord {
        let (id, apiID, name, type, sourceType, summary, sourceURL, content, visibility, createdBy, createdAt, updatedAt) =
            try row.decode(
                (String, String, String, String, String, String?, String?, Data?, String, String, Double, Double).self
            )
        return APIDocumentRecord(
            id: id,
            apiID: apiID,
            name: name,
            type: type,
            sourceType: sourceType,
            summary: summary,
            sourceURL: sourceURL,
            // An uploaded file is bytes, not text: read it with documentContent(apiID:id:).
            content: sourceType == "FILE" ? nil : content.map { String(decoding: $0, as: UTF8.self) },
            visibility: visibility,
            createdBy: createdBy,
            createdAt: Date(storageSeconds: createdAt),
            updatedAt: Date(storageSeconds: updatedAt)
        )
    }
}
