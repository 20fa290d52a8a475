import Foundation
import SluiceControlPlane
import SluiceStorage

/// WSO2's `Comment` as answered: with `updatedTime` once edited, `commenterInfo` when asked for, and the first
/// page of `replies` for a top-level comment.
struct CommentResponseDTO: Encodable, Sendable {
    /// WSO2's `CommenterInfo`.
    struct CommenterInfoDTO: Encodable, Sendable {
        var firstName: String?
        var lastName: String?
        var fullName: String?
    }

    var id: String
    var content: String
    var createdTime: Date
    var createdBy: String
    var updatedTime: Date?
    var category = "general"
    var parentCommentId: String?
    var commenterInfo: CommenterInfoDTO?
    var replies: CommentListDTO?

    /// One comment without its replies.
    init(_ record: APICommentRecord, profiles: [String: UserRecord]) {
        id = record.id
        content = record.content
        createdTime = record.createdAt
        createdBy = record.username
        updatedTime = record.updatedAt
        parentCommentId = record.parentID
        commenterInfo = profiles[record.username].map { user in
            let full = [user.firstName, user.lastName].compactMap { $0 }.joined(separator: " ")
            return CommenterInfoDTO(firstName: user.firstName, lastName: user.lastName, fullName: full.isEmpty ? nil : full)
        }
    }

    /// A comment with a page of its replies.
    init(_ thread: APICommentService.Thread, replyOffset: Int, replyLimit: Int, profiles: [String: UserRecord]) {
        self.init(thread.comment, profiles: profiles)
        replies = CommentListDTO(
            thread.replies.map { CommentResponseDTO($0, profiles: profiles) },
            offset: replyOffset,
            limit: replyLimit,
            total: thread.replyCount
        )
    }
}

/// WSO2's `CommentList`: a page with `pagination` (`offset`, `limit`, `total`).
struct CommentListDTO: Encodable, Sendable {
    var count: Int
    var list: [CommentResponseDTO]
    var pagination: ListDTO<CommentResponseDTO>.PaginationDTO

    init(_ list: [CommentResponseDTO], offset: Int, limit: Int, total: Int) {
        count = list.count
        self.list = list
        pagination = .init(offset: offset, limit: limit, total: total)
    }
}
