public import Foundation

/// Ratings (1 to 5, one per user and API) and comments of developer-portal users.
public protocol APIFeedbackRepository: Sendable {
    /// Stores or replaces a user's rating of an API.
    /// - Throws: ``StorageError/notFound(_:)`` when the API does not exist.
    func setRating(apiID: String, username: String, rating: Int, at date: Date) async throws
    /// Removes a user's rating.
    /// - Returns: False when the user had not rated the API.
    func deleteRating(apiID: String, username: String) async throws -> Bool
    /// The user's rating of an API.
    func rating(apiID: String, username: String) async throws -> Int?
    /// Average and count of the API's ratings.
    func ratingSummary(apiID: String) async throws -> APIRatingSummary
    /// Summaries of every rated API.
    func ratingSummaries() async throws -> [APIRatingSummary]
    /// Stores a comment.
    /// - Throws: ``StorageError/notFound(_:)`` when the API (or parent comment) does not exist.
    func addComment(_ comment: APICommentRecord) async throws
    /// The API's comments, oldest first.
    func comments(apiID: String) async throws -> [APICommentRecord]
    /// Replaces the text of a comment of an API.
    /// - Returns: False when it did not exist.
    func updateComment(apiID: String, id: String, content: String, at date: Date) async throws -> Bool
    /// Deletes a comment of an API (and its replies).
    /// - Returns: False when it did not exist.
    func deleteComment(apiID: String, id: String) async throws -> Bool
}
