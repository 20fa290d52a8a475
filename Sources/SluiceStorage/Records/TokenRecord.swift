public import Foundation

/// An issued access or refresh token, stored by the SHA-256 of its value.
public struct TokenRecord: Sendable, Hashable {
    /// Access or refresh.
    public enum Kind: String, Sendable, Hashable {
        case access = "ACCESS"
        case refresh = "REFRESH"
    }

    /// A token's life. Tokens only ever leave `active`; nothing brings them back.
    public enum State: String, Sendable, Hashable {
        /// Usable until it expires.
        case active = "ACTIVE"
        /// Revoked by the client, the owner, or because its family was compromised.
        case revoked = "REVOKED"
        /// A refresh token that was exchanged; presenting it again revokes its family.
        case rotated = "ROTATED"
        /// An access token replaced by a refresh grant.
        case inactive = "INACTIVE"
    }

    /// SHA-256 of the token value.
    public var tokenHash: Data
    /// Access or refresh token.
    public var kind: Kind
    /// Tokens descending from one authorization grant share a family; reuse detection revokes it whole.
    public var familyID: String
    /// The client the token was issued to.
    public var consumerKey: String
    /// The resource owner, or the application owner for client_credentials.
    public var username: String
    /// The granted scopes.
    public var scopes: [String]
    /// The grant that issued it: `password`, `client_credentials`, `refresh_token`.
    public var grantType: String
    /// When it was issued.
    public var issuedAt: Date
    /// Nil: never expires.
    public var expiresAt: Date?
    /// Its life state; see ``State``.
    public var state: State

    /// Creates a token record.
    public init(
        tokenHash: Data,
        kind: Kind,
        familyID: String,
        consumerKey: String,
        username: String,
        scopes: [String],
        grantType: String,
        issuedAt: Date,
        expiresAt: Date?,
        state: State = .active
    ) {
        self.tokenHash = tokenHash
        self.kind = kind
        self.familyID = familyID
        self.consumerKey = consumerKey
        self.username = username
        self.scopes = scopes
        self.grantType = grantType
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.state = state
    }
}
