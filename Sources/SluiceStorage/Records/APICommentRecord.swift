public import Foundation

/// A developer-portal comment on an API.
public struct APICommentRecord: Sendable, Hashable {
    /// A UUID string.
    public var id: String
    public var apiID: String
    /// The comment this one answers, if any.
    public var parentID: String?
    /// The author.
    public var username: String
    public var content: String
    public var createdAt: Date
    /// When the text was last edited; nil when never.
    public var updatedAt: Date?

    /// Creates a comment record.
    public init(
        id: String,
        apiID: String,
        parentID: String? = nil,
        username: String,
        content: String,
        createdAt: Date,
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.apiID = apiID
        self.parentID = parentID
        self.username = username
        self.content = content
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The ratings of one API: how many users rated it and their average (0 when nobody did).
public struct APIRatingSummary: Sendable, Hashable {
    public var apiID: String
    public var average: Double
    public var count: Int

    /// Creates a summary.
    public init(apiID: String, average: Double, count: Int) {
        self.apiID = apiID
        self.average = average
        self.count = count
    }
}
