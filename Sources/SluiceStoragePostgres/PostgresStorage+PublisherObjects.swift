import Foundation
import PostgresNIO
public import SluiceStorage

extension PostgresStorage: PublisherObjectRepository {
    /// `v13-publisher-objects`: shared scopes, operation policies, endpoint certificates and API endpoints.
    static let publisherObjectSchema = [
        """
        CREATE TABLE publisher_objects (
            id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            api_id TEXT REFERENCES apis(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            document BYTEA NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX publisher_objects_by_name ON publisher_objects (kind, COALESCE(api_id, ''), name)",
        "CREATE INDEX publisher_objects_by_api ON publisher_objects (api_id)",
    ]

    public func createObject(_ object: PublisherObjectRecord) async throws {
        try await write("\(object.kind.rawValue) \(object.name)") { connection in
            try await connection.run(
                """
                INSERT INTO publisher_objects (id, kind, api_id, name, document, updated_at)
                VALUES (\(object.id), \(object.kind.rawValue), \(object.apiID), \(object.name), \(object.document),
                        \(object.updatedAt.storageSeconds))
                """,
                logger: logger
            )
        }
    }

    public func updateObject(_ object: PublisherObjectRecord) async throws {
        try await write("\(object.kind.rawValue) \(object.name)") { connection in
            let rows = try await connection.rows(
                """
                UPDATE publisher_objects SET name = \(object.name), document = \(object.document),
                    updated_at = \(object.updatedAt.storageSeconds)
                WHERE id = \(object.id) AND kind = \(object.kind.rawValue) RETURNING id
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("\(object.kind.rawValue) \(object.id)") }
        }
    }

    public func deleteObject(_ kind: PublisherObjectRecord.Kind, id: String) async throws -> Bool {
        try await write("\(kind.rawValue) \(id)") { connection in
            !(try await connection.rows(
                "DELETE FROM publisher_objects WHERE id = \(id) AND kind = \(kind.rawValue) RETURNING id", logger: logger
            )).isEmpty
        }
    }

    public func object(_ kind: PublisherObjectRecord.Kind, id: String) async throws -> PublisherObjectRecord? {
        try await read { connection in
            try await connection.rows(
                """
                SELECT id, api_id, name, document, updated_at FROM publisher_objects
                WHERE id = \(id) AND kind = \(kind.rawValue)
                """,
                logger: logger
            ).first.map { try Self.publisherObject($0, kind) }
        }
    }

    public func objects(_ kind: PublisherObjectRecord.Kind, owner: PublisherObjectRecord.Owner) async throws
        -> [PublisherObjectRecord]
    {
        let query: PostgresQuery = switch owner {
        case .common:
            """
            SELECT id, api_id, name, document, updated_at FROM publisher_objects
            WHERE kind = \(kind.rawValue) AND api_id IS NULL ORDER BY name COLLATE "C", id COLLATE "C"
            """
        case .api(let apiID):
            """
            SELECT id, api_id, name, document, updated_at FROM publisher_objects
            WHERE kind = \(kind.rawValue) AND api_id = \(apiID) ORDER BY name COLLATE "C", id COLLATE "C"
            """
        case .any:
            """
            SELECT id, api_id, name, document, updated_at FROM publisher_objects
            WHERE kind = \(kind.rawValue) ORDER BY name COLLATE "C", id COLLATE "C"
            """
        }
        return try await read { connection in
            try await connection.rows(query, logger: logger).map { try Self.publisherObject($0, kind) }
        }
    }

    private static func publisherObject(_ row: PostgresRow, _ kind: PublisherObjectRecord.Kind) throws
        -> PublisherObjectRecord
    {
        let (id, apiID, name, document, updatedAt) = try row.decode((String, String?, String, Data, Double).self)
        return PublisherObjectRecord(
            id: id, kind: kind, apiID: apiID, name: name, document: document, updatedAt: Date(storageSeconds: updatedAt)
        )
    }
}
