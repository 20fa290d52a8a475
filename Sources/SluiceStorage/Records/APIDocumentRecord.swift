public import Foundation

/// A document attached to a publisher API: inline text, markdown, or a link.
public struct APIDocumentRecord: Sendable, Hashable {
    /// A UUID string.
    public var id: String
    public var apiID: String
    /// Unique per API.
    public var name: String
    /// `HOWTO`, `SAMPLES`, `PUBLIC_FORUM`, `SUPPORT_FORUM`, `API_MESSAGE_FORMAT`, `SWAGGER_DOC` or `OTHER`.
    public var type: String
    /// `INLINE`, `MARKDOWN`, `URL` or `FILE`.
    public var sourceType: String
    public var summary: String?
    /// The link of a `URL` document.
    public var sourceURL: String?
    /// The text of an `INLINE` or `MARKDOWN` document.
    public var content: String?
    /// `API_LEVEL`, `PRIVATE` or `OWNER_ONLY`.
    public var visibility: String
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates a document record.
    public init(
        id: String,
        apiID: String,
        name: String,
        type: String,
        sourceType: String,
        summary: String? = nil,
        sourceURL: String? = nil,
        content: String? = nil,
        visibility: String = "API_LEVEL",
        createdBy: String,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.apiID = apiID
        self.name = name
        self.type = type
        self.sourceType = sourceType
        self.summary = summary
        self.sourceURL = sourceURL
        self.content = content
        self.visibility = visibility
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
