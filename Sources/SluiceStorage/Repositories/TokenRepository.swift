public import Foundation

/// Access and refresh tokens, kept by hash.
///
/// Implementations run each method atomically (one transaction) so that concurrent grants never see
/// half-written state.
public protocol TokenRepository: Sendable {
    /// Stores freshly issued tokens together.
    func insertTokens(_ tokens: [TokenRecord]) async throws
    /// The token with this hash.
    func token(hash: Data) async throws -> TokenRecord?
    /// Exchanges a refresh token in one transaction.
    ///
    /// When the token is `active`, `issue` receives it and returns the new tokens (or throws to abort
    /// without changes); the presented token becomes `rotated` when `rotate` is true, the family's
    /// active access tokens become `inactive`, and the new tokens are stored. When the token was already
    /// `rotated`, the whole family is revoked (refresh token reuse).
    /// - Parameters:
    ///   - hash: SHA-256 of the presented refresh token.
    ///   - rotate: Whether the presented refresh token stops working (`RenewRefreshTokenForRefreshGrant`).
    ///   - issue: Builds the new tokens from the presented one.
    /// - Returns: What happened.
    func exchangeRefreshToken(
        hash: Data,
        rotate: Bool,
        issue: @Sendable (TokenRecord) throws -> [TokenRecord]
    ) async throws -> RefreshExchange
    /// Revokes every active token of a family.
    /// - Returns: Hashes of the access tokens that changed state.
    func revokeFamily(_ familyID: String) async throws -> [Data]
    /// The families that still hold an active token issued to a client, to revoke a client's tokens.
    func activeTokenFamilies(consumerKey: String) async throws -> [String]
    /// The families that still hold an active token issued for a user (their password-grant
    /// tokens and the client-credentials tokens of their applications), to revoke a user's tokens.
    func activeTokenFamilies(username: String) async throws -> [String]
    /// Deletes tokens that expired before `cutoff`, except rotated refresh tokens whose family still has
    /// a live refresh token (they are kept so reuse is still detected).
    /// - Returns: Hashes of the deleted access tokens.
    func deleteTokens(expiredBefore cutoff: Date) async throws -> [Data]
    /// Access tokens that have not expired by `date` (any state), to build the in-memory index.
    func accessTokens(notExpiredAt date: Date) async throws -> [TokenRecord]
    /// Records a revoked API key until it expires (API keys are self-contained JWTs: only revocations are kept).
    /// - Parameters:
    ///   - hash: SHA-256 of the key text.
    ///   - expiresAt: The key's expiry; nil: kept for ever.
    func revokeAPIKey(hash: Data, expiresAt: Date?) async throws
    /// Hashes of revoked API keys that have not expired by `date`, to build the in-memory index.
    func revokedAPIKeys(notExpiredAt date: Date) async throws -> [Data]
}

/// The result of ``TokenRepository/exchangeRefreshToken(hash:rotate:issue:)``.
public enum RefreshExchange: Sendable, Hashable {
    /// No refresh token with that hash.
    case notFound
    /// The token was revoked, replaced by an earlier refresh, or is an access token.
    case notActive(TokenRecord)
    /// A rotated refresh token was presented again: its family is now revoked.
    case reuseDetected(TokenRecord, revokedAccessTokens: [Data])
    /// The exchange happened.
    case exchanged(previous: TokenRecord, issued: [TokenRecord], deactivatedAccessTokens: [Data])
}
