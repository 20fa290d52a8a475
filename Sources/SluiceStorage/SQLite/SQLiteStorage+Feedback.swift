public import Foundation
import GRDB

extension SQLiteStorage: APIFeedbackRepository {
    public func setRating(apiID: String, username: String, rating: Int, at date: Date) async throws {
        try await write("rating of API \(apiID)") { db in
            try db.execute(
                sql: """
                    INSERT INTO api_ratings (api_id, username, rating, rated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (api_id, username) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at
                    """,
                arguments: [apiID, username, rating, date.storageSeconds]
            )
        }
    }

    public func deleteRating(apiID: String, username: String) async throws -> Bool {
        try await write("rating of API \(apiID)") { db in
            try db.execute(
                sql: "DELETE FROM api_ratings WHERE api_id = ? AND username = ?",
                arguments: [apiID, username]
            )
            return db.changesCount > 0
        }
    }

    public func rating(apiID: String, username: String) async throws -> Int? {
        try await read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT rating FROM api_ratings WHERE api_id = ? AND username = ?",
                arguments: [apiID, username]
            )
        }
    }

    public func ratingSummary(apiID: String) async throws -> APIRatingSummary {
        try await read { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT AVG(rating) AS average, COUNT(*) AS count FROM api_ratings WHERE api_id = ?",
                arguments: [apiID]
            )
            let average: Double? = row?["average"]
            let count: Int? = row?["count"]
            return APIRatingSummary(apiID: apiID, average: average ?? 0, count: count ?? 0)
        }
    }

    public func ratingSummaries() async throws -> [APIRatingSummary] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT api_id, AVG(rating) AS average, COUNT(*) AS count FROM api_ratings GROUP BY api_id"
            ).map { row in
                APIRatingSummary(apiID: row["api_id"], average: row["average"], count: row["count"])
            }
        }
    }

    public func addComment(_ comment: APICommentRecord) async throws {
        try await write("comment on API \(comment.apiID)") { db in
            try db.execute(
                sql: """
                    INSERT INTO api_comments (id, api_id, parent_id, username, content, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    comment.id, comment.apiID, comment.parentID, comment.username, comment.content,
                    comment.createdAt.storageSeconds, comment.createdAt.storageSeconds,
                ]
            )
        }
    }

    public func comments(apiID: String) async throws -> [APICommentRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM api_comments WHERE api_id = ? ORDER BY created_at, id",
                arguments: [apiID]
            ).map { row in
                APICommentRecord(
                    id: row["id"],
                    apiID: row["api_id"],
                    parentID: row["parent_id"],
                    username: row["username"],
                    content: row["content"],
                    createdAt: Date(storageSeconds: row["created_at"]),
                    updatedAt: Self.edited(created: row["created_at"], updated: row["updated_at"])
                )
            }
        }
    }

    public func updateComment(apiID: String, id: String, content: String, at date: Date) async throws -> Bool {
        try await write("comment \(id)") { db in
            try db.execute(
                sql: "UPDATE api_comments SET content = ?, updated_at = ? WHERE id = ? AND api_id = ?",
                arguments: [content, date.storageSeconds, id, apiID]
            )
            return db.changesCount > 0
        }
    }

    /// A comment's edit time: nil while it equals the creation time (a comment is stored with both the same).
    static func edited(created: Double, updated: Double?) -> Date? {
        guard let updated, updated != created else { return nil }
        return Date(storageSeconds: updated)
    }

    public func deleteComment(apiID: String, id: String) async throws -> Bool {
        try await write("comment \(id)") { db in
            try db.execute(sql: "DELETE FROM api_comments WHERE id = ? AND api_id = ?", arguments: [id, apiID])
            return db.changesCount > 0
        }
    }
}
