import Foundation
import PostgresNIO
public import SluiceStorage

extension PostgresStorage: APICatalogRepository {
    /// `v11-api-catalog`: API thumbnails, and the categories and labels attached to APIs.
    static let catalogSchema = [
        """
        CREATE TABLE api_thumbnails (
            api_id TEXT PRIMARY KEY NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
            content_type TEXT NOT NULL,
            data BYTEA NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL
        )
        """,
        """
        CREATE TABLE api_groupings (
            id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            description TEXT
        )
        """,
        "CREATE UNIQUE INDEX api_groupings_by_name ON api_groupings (kind, lower(name))",
        """
        CREATE TABLE api_grouping_links (
            grouping_id TEXT NOT NULL REFERENCES api_groupings(id) ON DELETE CASCADE,
            api_id TEXT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
            PRIMARY KEY (grouping_id, api_id)
        )
        """,
        "CREATE INDEX api_grouping_links_by_api ON api_grouping_links (api_id)",
    ]

    public func setThumbnail(_ thumbnail: APIThumbnail) async throws {
        try await write("thumbnail of API \(thumbnail.apiID)") { connection in
            try await connection.run(
                """
                INSERT INTO api_thumbnails (api_id, content_type, data, updated_at)
                VALUES (\(thumbnail.apiID), \(thumbnail.contentType), \(thumbnail.data), \(thumbnail.updatedAt.storageSeconds))
                ON CONFLICT (api_id) DO UPDATE SET
                    content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at
                """,
                logger: logger
            )
        }
    }

    public func thumbnail(apiID: String) async throws -> APIThumbnail? {
        try await read { connection in
            try await connection.rows(
                "SELECT content_type, data, updated_at FROM api_thumbnails WHERE api_id = \(apiID)",
                logger: logger
            ).first.map { row in
                let (contentType, data, updatedAt) = try row.decode((String, Data, Double).self)
                return APIThumbnail(apiID: apiID, contentType: contentType, data: data, updatedAt: Date(storageSeconds: updatedAt))
            }
        }
    }

    public func createGrouping(_ grouping: APIGroupingRecord) async throws {
        try await write("\(grouping.kind.rawValue) \(grouping.name)") { connection in
            try await connection.run(
                """
                INSERT INTO api_groupings (id, kind, name, description)
                VALUES (\(grouping.id), \(grouping.kind.rawValue), \(grouping.name), \(grouping.description))
                """,
                logger: logger
            )
        }
    }

    public func updateGrouping(_ grouping: APIGroupingRecord) async throws {
        try await write("\(grouping.kind.rawValue) \(grouping.name)") { connection in
            let rows = try await connection.rows(
                """
                UPDATE api_groupings SET name = \(grouping.name), description = \(grouping.description)
                WHERE id = \(grouping.id) AND kind = \(grouping.kind.rawValue) RETURNING id
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("\(grouping.kind.rawValue) \(grouping.id)") }
        }
    }

    public func deleteGrouping(id: String) async throws -> Bool {
        try await write("grouping \(id)") { connection in
            !(try await connection.rows("DELETE FROM api_groupings WHERE id = \(id) RETURNING id", logger: logger)).isEmpty
        }
    }

    public func groupings(_ kind: APIGroupingRecord.Kind) async throws -> [APIGroupingRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT id, name, description FROM api_groupings WHERE kind = \(kind.rawValue)
                ORDER BY lower(name) COLLATE "C", id COLLATE "C"
                """,
                logger: logger
            ).map { row in
                let (id, name, description) = try row.decode((String, String, String?).self)
                return APIGroupingRecord(id: id, kind: kind, name: name, description: description)
            }
        }
    }

    public func setGroupings(_ ids: [String], of kind: APIGroupingRecord.Kind, apiID: String) async throws {
        try await write("\(kind.rawValue)s of API \(apiID)") { connection in
            try await connection.run(
                """
                DELETE FROM api_grouping_links WHERE api_id = \(apiID)
                    AND grouping_id IN (SELECT id FROM api_groupings WHERE kind = \(kind.rawValue))
                """,
                logger: logger
            )
            for id in Set(ids) {
                let known = try await connection.rows(
                    "SELECT id FROM api_groupings WHERE id = \(id) AND kind = \(kind.rawValue)", logger: logger
                )
                if known.isEmpty { throw StorageError.notFound("\(kind.rawValue) \(id)") }
                try await connection.run(
                    "INSERT INTO api_grouping_links (grouping_id, api_id) VALUES (\(id), \(apiID))", logger: logger
                )
            }
        }
    }

    public func groupingIDs(apiID: String) async throws -> [String] {
        try await read { connection in
            try await connection.rows(
                "SELECT grouping_id FROM api_grouping_links WHERE api_id = \(apiID) ORDER BY grouping_id COLLATE \"C\"",
                logger: logger
            ).map { try $0.decode(String.self) }
        }
    }

    public func apiIDs(groupingID: String) async throws -> [String] {
        try await read { connection in
            try await connection.rows(
                "SELECT api_id FROM api_grouping_links WHERE grouping_id = \(groupingID) ORDER BY api_id COLLATE \"C\"",
                logger: logger
            ).map { try $0.decode(String.self) }
        }
    }
}
