public import Foundation

/// One more secret of a consumer key (WSO2 4.x's multiple client secrets), beside the key's own: kept as a SHA-256,
/// with an optional expiry, until revoked.
public struct ConsumerSecretRecord: Sendable, Hashable {
    /// A UUID string.
    public var id: String
    /// The consumer key it authenticates.
    public var consumerKey: String
    /// SHA-256 of the secret; the secret itself is never stored.
    public var secretHash: Data
    /// Free text.
    public var description: String?
    /// When it was made.
    public var createdAt: Date
    /// After this it is refused; nil: until revoked.
    public var expiresAt: Date?

    /// Creates a record.
    public init(id: String, consumerKey: String, secretHash: Data, description: String?, createdAt: Date, expiresAt: Date?) {
        self.id = id
        self.consumerKey = consumerKey
        self.secretHash = secretHash
        self.description = description
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Whether it is accepted at `now`.
    public func isLive(at now: Date) -> Bool { expiresAt.map { now < $0 } ?? true }
}
