import Foundation
package import SluiceStorage

/// Comments on an API and their replies, as the publisher and the devportal serve them (WSO2's `Comments`):
/// top-level comments paged with their first replies, one comment with a page of its replies, replies paged,
/// posting (a reply names its parent), editing by the author, deleting by the author or an administrator.
package struct APICommentService: Sendable {
    /// Which portal asks: it decides who may see the API.
    package enum Portal: Sendable {
        /// The devportal: APIs visible to the caller (anonymous callers see public ones).
        case devportal
        /// The publisher: any API (the controller checks the caller's scope).
        case publisher
    }

    /// A page of comments, each with a page of its replies.
    package struct Page: Sendable {
        package var comments: [Thread]
        /// How many there are in all.
        package var total: Int
    }

    /// One comment with a page of its replies.
    package struct Thread: Sendable {
        package var comment: APICommentRecord
        package var replies: [APICommentRecord]
        /// How many replies it has in all.
        package var replyCount: Int
    }

    /// The longest comment, in characters.
    package static let maximumLength = 4_000

    let services: APIManagerServices
    let portal: Portal

    package init(services: APIManagerServices, portal: Portal) {
        self.services = services
        self.portal = portal
    }

    /// The API's top-level comments, oldest first, `offset` skipped, at most `limit`, each with its first
    /// `replyLimit` replies.
    /// - Throws: ``ManagementError`` 404 when the caller may not see the API.
    package func comments(apiID: String, principal: Principal?, limit: Int, offset: Int, replyLimit: Int) async throws -> Page {
        let all = try await stored(apiID: apiID, principal: principal)
        let top = all.filter { $0.parentID == nil }
        let shown = Self.slice(top, limit: limit, offset: offset)
        return Page(comments: shown.map { Self.thread($0, in: all, limit: replyLimit, offset: 0) }, total: top.count)
    }

    /// One comment of the API with a page of its replies.
    /// - Throws: ``ManagementError`` 404 for an unknown comment or an API the caller may not see.
    package func comment(
        apiID: String,
        commentID: String,
        principal: Principal?,
        replyLimit: Int,
        replyOffset: Int
    ) async throws -> Thread {
        let all = try await stored(apiID: apiID, principal: principal)
        guard let comment = all.first(where: { $0.id == commentID }) else {
            throw ManagementError.notFound("Comment \(commentID) not found")
        }
        return Self.thread(comment, in: all, limit: replyLimit, offset: replyOffset)
    }

    /// Adds a comment, or a reply to one of the API's comments.
    /// - Throws: ``ManagementError`` 400 for empty or over-long text or an unknown parent, 404.
    package func add(apiID: String, content: String, parentID: String?, principal: Principal) async throws -> APICommentRecord {
        let all = try await stored(apiID: apiID, principal: principal)
        let text = try Self.checked(content)
        if let parentID, !all.contains(where: { $0.id == parentID }) {
            throw ManagementError.badRequest("parentCommentId \(parentID) is not a comment of this API")
        }
        let record = APICommentRecord(
            id: UUID().uuidString.lowercased(),
            apiID: apiID,
            parentID: parentID,
            username: principal.username,
            content: text,
            createdAt: Date()
        )
        try await services.storage.addComment(record)
        return record
    }

    /// Replaces a comment's text: only its author may.
    /// - Throws: ``ManagementError`` 403 for someone else's comment, 404, 400 for empty or over-long text.
    package func update(apiID: String, commentID: String, content: String, principal: Principal) async throws -> APICommentRecord {
        var comment = try await existing(apiID: apiID, commentID: commentID, principal: principal)
        guard comment.username.caseInsensitiveCompare(principal.username) == .orderedSame else {
            throw ManagementError.forbidden("Only the author may edit a comment")
        }
        comment.content = try Self.checked(content)
        comment.updatedAt = Date()
        guard try await services.storage.updateComment(
            apiID: apiID, id: commentID, content: comment.content, at: comment.updatedAt ?? comment.createdAt
        ) else {
            throw ManagementError.notFound("Comment \(commentID) not found")
        }
        return comment
    }

    /// Deletes a comment with its replies: its author or an administrator may.
    /// - Throws: ``ManagementError`` 403 for someone else's comment, 404 for an unknown one.
    package func delete(apiID: String, commentID: String, principal: Principal) async throws {
        let comment = try await existing(apiID: apiID, commentID: commentID, principal: principal)
        guard comment.username.caseInsensitiveCompare(principal.username) == .orderedSame || principal.isAdministrator
        else {
            throw ManagementError.forbidden("Only the author or an administrator may delete a comment")
        }
        _ = try await services.storage.deleteComment(apiID: apiID, id: commentID)
    }

    /// The stored profiles (names) of the comments' authors.
    package func commenters(of comments: [APICommentRecord]) async throws -> [String: UserRecord] {
        var profiles: [String: UserRecord] = [:]
        for name in Set(comments.map(\.username)) {
            if let user = try await services.storage.user(named: name) { profiles[name] = user }
        }
        return profiles
    }

    private func existing(apiID: String, commentID: String, principal: Principal) async throws -> APICommentRecord {
        guard let comment = try await stored(apiID: apiID, principal: principal).first(where: { $0.id == commentID }) else {
            throw ManagementError.notFound("Comment \(commentID) not found")
        }
        return comment
    }

    /// The API's comments, oldest first, once the caller may see the API.
    private func stored(apiID: String, principal: Principal?) async throws -> [APICommentRecord] {
        switch portal {
        case .devportal: _ = try await DevPortalSupport.visibleAPI(apiID, principal: principal, services: services)
        case .publisher: _ = try await PublisherSupport.api(apiID, services)
        }
        return try await services.storage.comments(apiID: apiID).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    private static func checked(_ content: String) throws(ManagementError) -> String {
        let text = content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= maximumLength else {
            throw ManagementError.badRequest("content must be 1 to \(maximumLength) characters")
        }
        return text
    }

    private static func thread(_ comment: APICommentRecord, in all: [APICommentRecord], limit: Int, offset: Int) -> Thread {
        let replies = all.filter { $0.parentID == comment.id }
        return Thread(comment: comment, replies: slice(replies, limit: limit, offset: offset), replyCount: replies.count)
    }

    private static func slice<T>(_ items: [T], limit: Int, offset: Int) -> [T] {
        guard offset < items.count, limit > 0 else { return [] }
        return Array(items[offset..<min(items.count, offset + limit)])
    }
}
