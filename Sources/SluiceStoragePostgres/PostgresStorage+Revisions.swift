import Foundation
import PostgresNIO
public import SluiceStorage

extension PostgresStorage: APIRevisionRepository {
    private static let revisionColumns = "id, api_id, number, description, snapshot, created_at"

    public func createRevision(_ revision: APIRevisionRecord) async throws {
        try await write("revision \(revision.number) of API \(revision.apiID)") { connection in
            try await connection.run(
                """
                INSERT INTO api_revisions (id, api_id, number, description, snapshot, created_at)
                VALUES (\(revision.id), \(revision.apiID), \(revision.number), \(revision.description),
                        \(revision.snapshot), \(revision.createdAt.storageSeconds))
                """,
                logger: logger
            )
        }
    }

    public func revisions(apiID: String) async throws -> [APIRevisionRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.revisionColumns) FROM api_revisions WHERE api_id = \(apiID) ORDER BY number
                """,
                logger: logger
            ).map(Self.revision)
        }
    }

    public func revision(apiID: String, id: String) async throws -> APIRevisionRecord? {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.revisionColumns) FROM api_revisions WHERE api_id = \(apiID) AND id = \(id)
                """,
                logger: logger
            ).first.map(Self.revision)
        }
    }

    public func deleteRevision(apiID: String, id: String) async throws -> Bool {
        try await write("revision \(id)") { connection in
            !(try await connection.rows(
                "DELETE FROM api_revisions WHERE api_id = \(apiID) AND id = \(id) RETURNING id",
                logger: logger
            )).isEmpty
        }
    }

    private static func revision(from row: PostgresRow) throws -> APIRevisionRecord {
        let (id, apiID, number, description, snapshot, createdAt) =
            try row.decode((String, String, Int, String?, Data, Double).self)
        return APIRevisionRecord(
            id: id,
            apiID: apiID,
            number: number,
            description: description,
            snapshot: snapshot,
            createdAt: Date(storageSeconds: createdAt)
        )
    }
}
