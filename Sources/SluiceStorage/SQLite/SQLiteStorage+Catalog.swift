import Foundation
import GRDB

extension SQLiteStorage: APICatalogRepository {
    public func setThumbnail(_ thumbnail: APIThumbnail) async throws {
        try await write("thumbnail of API \(thumbnail.apiID)") { db in
            try db.execute(
                sql: """
                    INSERT INTO api_thumbnails (api_id, content_type, data, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (api_id) DO UPDATE SET
                        content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at
                    """,
                arguments: [thumbnail.apiID, thumbnail.contentType, thumbnail.data, thumbnail.updatedAt.storageSeconds]
            )
        }
    }

    public func thumbnail(apiID: String) async throws -> APIThumbnail? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_thumbnails WHERE api_id = ?", arguments: [apiID]).map { row in
                APIThumbnail(
                    apiID: row["api_id"],
                    contentType: row["content_type"],
                    data: row["data"],
                    updatedAt: Date(storageSeconds: row["updated_at"])
                )
            }
        }
    }

    public func createGrouping(_ grouping: APIGroupingRecord) async throws {
        try await write("\(grouping.kind.rawValue) \(grouping.name)") { db in
            try db.execute(
                sql: "INSERT INTO api_groupings (id, kind, name, description) VALUES (?, ?, ?, ?)",
                arguments: [grouping.id, grouping.kind.rawValue, grouping.name, grouping.description]
            )
        }
    }

    public func updateGrouping(_ grouping: APIGroupingRecord) async throws {
        try await write("\(grouping.kind.rawValue) \(grouping.name)") { db in
            try db.execute(
                sql: "UPDATE api_groupings SET name = ?, description = ? WHERE id = ? AND kind = ?",
                arguments: [grouping.name, grouping.description, grouping.id, grouping.kind.rawValue]
            )
            if db.changesCount == 0 { throw StorageError.notFound("\(grouping.kind.rawValue) \(grouping.id)") }
        }
    }

    public func deleteGrouping(id: String) async throws -> Bool {
        try await write("grouping \(id)") { db in
            try db.execute(sql: "DELETE FROM api_groupings WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func groupings(_ kind: APIGroupingRecord.Kind) async throws -> [APIGroupingRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM api_groupings WHERE kind = ? ORDER BY name, id", arguments: [kind.rawValue]
            ).map { row in
                APIGroupingRecord(id: row["id"], kind: kind, name: row["name"], description: row["description"])
            }
        }
    }

    public func setGroupings(_ ids: [String], of kind: APIGroupingRecord.Kind, apiID: String) async throws {
        try await write("\(kind.rawValue)s of API \(apiID)") { db in
            try db.execute(
                sql: """
                    DELETE FROM api_grouping_links WHERE api_id = ?
                        AND grouping_id IN (SELECT id FROM api_groupings WHERE kind = ?)
                    """,
                arguments: [apiID, kind.rawValue]
            )
            for id in Set(ids) {
                let known = try Bool.fetchOne(
                    db, sql: "SELECT COUNT(*) > 0 FROM api_groupings WHERE id = ? AND kind = ?", arguments: [id, kind.rawValue]
                ) ?? false
                guard known else { throw StorageError.notFound("\(kind.rawValue) \(id)") }
                try db.execute(sql: "INSERT INTO api_grouping_links (grouping_id, api_id) VALUES (?, ?)", arguments: [id, apiID])
            }
        }
    }

    public func groupingIDs(apiID: String) async throws -> [String] {
        try await read { db in
            try String.fetchAll(
                db, sql: "SELECT grouping_id FROM api_grouping_links WHERE api_id = ? ORDER BY grouping_id", arguments: [apiID]
            )
        }
    }

    public func apiIDs(groupingID: String) async throws -> [String] {
        try await read { db in
            try String.fetchAll(
                db, sql: "SELECT api_id FROM api_grouping_links WHERE grouping_id = ? ORDER BY api_id", arguments: [groupingID]
            )
        }
    }
}
