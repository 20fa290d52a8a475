public import Foundation

/// A developer-portal application: the holder of consumer keys and subscriptions.
public struct ApplicationRecord: Sendable, Hashable {
    /// A UUID string.
    public var id: String
    /// Unique per owner.
    public var name: String
    /// The username of the subscriber who owns it.
    public var owner: String
    /// The application throttling tier (app-tiers.xml), e.g. `Unlimited`.
    public var throttlingTier: String
    /// Free text.
    public var description: String?
    /// `OAUTH` or `JWT`.
    public var tokenType: String
    /// `CREATED`, `APPROVED`, `REJECTED` or `ON_HOLD` (workflow state).
    public var status: String
    /// When the application was created.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// An OAuth client registered through dynamic client registration (`sluice login`, apictl): usable for
    /// its grants but kept out of the developer portal's applications, subscriptions and Store pages.
    public var isInternal: Bool

    /// Creates an application record.
    public init(
        id: String,
        name: String,
        owner: String,
        throttlingTier: String,
        description: String? = nil,
        tokenType: String = "OAUTH",
        status: String = "APPROVED",
        createdAt: Date,
        updatedAt: Date,
        isInternal: Bool = false
    ) {
        self.id = id
        self.name = name
        self.owner = owner
        self.throttlingTier = throttlingTier
        self.description = description
        self.tokenType = tokenType
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.isInternal = isInternal
    }
}
