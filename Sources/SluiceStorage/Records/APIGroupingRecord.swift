public import Foundation

/// A named group of APIs an administrator defines: an API category (the portals list APIs by it) or a label.
public struct APIGroupingRecord: Sendable, Hashable {
    /// What the group is.
    public enum Kind: String, Sendable, CaseIterable {
        case category
        case label
    }

    /// A UUID string.
    public var id: String
    public var kind: Kind
    /// Unique among the groups of its kind (ignoring case).
    public var name: String
    public var description: String?

    /// Creates a record.
    public init(id: String, kind: Kind, name: String, description: String? = nil) {
        self.id = id
        self.kind = kind
        self.name = name
        self.description = description
    }
}

/// An API's thumbnail image, as uploaded.
public struct APIThumbnail: Sendable, Hashable {
    public var apiID: String
    /// `image/png`, `image/jpeg`, `image/gif`, `image/svg+xml` or `image/webp`.
    public var contentType: String
    public var data: Data
    public var updatedAt: Date

    /// Creates a thumbnail.
    public init(apiID: String, contentType: String, data: Data, updatedAt: Date) {
        self.apiID = apiID
        self.contentType = contentType
        self.data = data
        self.updatedAt = updatedAt
    }
}
