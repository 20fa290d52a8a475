public import Foundation
import PostgresNIO
public import SluiceStorage

extension PostgresStorage: APIFeedbackRepository {
    public func setRating(apiID: String, username: String, rating: Int, at date: Date) async throws {
        try await write("rating of API \(apiID)") { connection in
            try await connection.run(
                """
                INSERT INTO api_ratings (api_id, username, rating, rated_at)
                VALUES (\(apiID), \(username), \(rating), \(date.storageSeconds))
                ON CONFLICT (api_id, lower(username))
                DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at
                """,
                logger: logger
            )
        }
    }

    public func deleteRating(apiID: String, username: String) async throws -> Bool {
        try await write("rating of API \(apiID)") { connection in
            !(try await connection.rows(
                """
                DELETE FROM api_ratings WHERE api_id = \(apiID) AND lower(username) = lower(\(username)) RETURNING 1
                """,
                logger: logger
            )).isEmpty
        }
    }

    public func rating(apiID: String, username: String) async throws -> Int? {
        try await read { connection in
            try await connection.rows(
                "SELECT rating FROM api_ratings WHERE api_id = \(apiID) AND lower(username) = lower(\(username))",
                logger: logger
            ).first?.decode(Int.self)
        }
    }

    public func ratingSummary(apiID: String) async throws -> APIRatingSummary {
        try await read { connection in
            let row = try await connection.rows(
                "SELECT AVG(rating)::float8, COUNT(*) FROM api_ratings WHERE api_id = \(apiID)",
                logger: logger
            ).first
            let (average, count) = try row?.decode((Double?, Int).self) ?? (nil, 0)
            return APIRatingSummary(apiID: apiID, average: average ?? 0, count: count)
        }
    }

    public func ratingSummaries() async throws -> [APIRatingSummary] {
        try await read { connection in
            try await connection.rows(
                "SELECT api_id, AVG(rating)::float8, COUNT(*) FROM api_ratings GROUP BY api_id",
                logger: logger
            ).map { row in
                let (apiID, average, count) = try row.decode((String, Double, Int).self)
                return APIRatingSummary(apiID: apiID, average: average, count: count)
            }
        }
    }

    public func addComment(_ comment: APICommentRecord) async throws {
        try await write("comment on API \(comment.apiID)") { connection in
            try await connection.run(
                """
                INSERT INTO api_comments (id, api_id, parent_id, username, content, created_at, updated_at)
                VALUES (\(comment.id), \(comment.apiID), \(comment.parentID), \(comment.username), \(comment.content),
                        \(comment.createdAt.storageSeconds), \(comment.createdAt.storageSeconds))
                """,
                logger: logger
            )
        }
    }

    public func comments(apiID: String) async throws -> [APICommentRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT id, api_id, parent_id, username, content, created_at, updated_at FROM api_comments
                WHERE api_id = \(apiID) ORDER BY created_at, id COLLATE "C"
                """,
                logger: logger
            ).map { row in
                let (id, apiID, parentID, username, content, createdAt, updatedAt) = try row.decode(
                    (String, String, String?, String, String, Double, Double?).self
                )
                return APICommentRecord(
                    id: id,
                    apiID: apiID,
                    parentID: parentID,
                    username: username,
                    content: content,
                    createdAt: Date(storageSeconds: createdAt),
                    updatedAt: updatedAt.flatMap { $0 == createdAt ? nil : Date(storageSeconds: $0) }
                )
            }
        }
    }

    public func updateComment(apiID: String, id: String, content: String, at date: Date) async throws -> Bool {
        try await write("comment \(id)") { connection in
            !(try await connection.rows(
                """
                UPDATE api_comments SET content = \(content), updated_at = \(date.storageSeconds)
                WHERE id = \(id) AND api_id = \(apiID) RETURNING id
                """,
                logger: logger
            )).isEmpty
        }
    }

    public func deleteComment(apiID: String, id: String) async throws -> Bool {
        try await write("comment \(id)") { connection in
            !(try await connection.rows(
                "DELETE FROM api_comments WHERE id = \(id) AND api_id = \(apiID) RETURNING id",
                logger: logger
            )).isEmpty
        }
    }
}
