public import Foundation

/// An immutable snapshot of an API (or API product): what the publisher held when the revision was made, to be
/// deployed to a gateway environment or restored as the working copy later.
public struct APIRevisionRecord: Sendable, Hashable {
    /// A UUID string.
    public var id: String
    /// The API the revision belongs to.
    public var apiID: String
    /// 1, 2, 3... per API (WSO2's "Revision N"); the next is one more than the highest kept.
    public var number: Int
    /// What the publisher said the revision is for (at most 255 characters in WSO2).
    public var description: String?
    /// The snapshot (the publisher's stored document of the API); opaque to storage.
    public var snapshot: Data
    /// When the revision was made.
    public var createdAt: Date

    /// Creates a revision record.
    public init(id: String, apiID: String, number: Int, description: String?, snapshot: Data, createdAt: Date) {
        self.id = id
        self.apiID = apiID
        self.number = number
        self.description = description
        self.snapshot = snapshot
        self.createdAt = createdAt
    }
}
