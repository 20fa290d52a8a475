import Foundation
import Logging
import SluiceModel
import SluiceStorage

extension KeyManager {
    /// Revokes a token (RFC 7009) and every token of its family.
    ///
    /// Unknown tokens and tokens of other clients are answered like successes, as RFC 7009 §2.2 asks, so a
    /// client learns nothing about tokens it does not hold.
    /// - Parameters:
    ///   - token: The access or refresh token.
    ///   - tokenTypeHint: `access_token` or `refresh_token`; only a hint, both kinds are searched.
    ///   - credentials: The client's credentials.
    ///   - address: The caller's address, for the login throttle; nil for in-process callers.
    /// - Throws: ``OAuth2Error`` `invalid_client`; ``LoginThrottled``; storage errors.
    public func revoke(
        token: String,
        tokenTypeHint: String?,
        credentials: ClientCredentials,
        from address: String? = nil
    ) async throws {
        let client = try await authenticateClient(credentials, from: address)
        await flushTokenWrites()
        guard let record = try await storage.token(hash: SecretGenerator.hash(token)),
            record.consumerKey == client.consumerKey
        else { return }
        try await revokeFamily(record.familyID)
    }

    /// Revokes every token issued to a client (WSO2's "revoke the previous token" when an application gets a
    /// new one); they stop validating at once.
    /// - Parameters:
    ///   - consumerKey: The client.
    ///   - keeping: A token whose family stays active: the one just issued.
    /// - Returns: How many token families were revoked.
    @discardableResult
    public func revokeTokens(consumerKey: String, keeping: String? = nil) async throws -> Int {
        await flushTokenWrites()
        var kept: String?
        if let keeping { kept = try await storage.token(hash: SecretGenerator.hash(keeping))?.familyID }
        var revoked = 0
        for family in try await storage.activeTokenFamilies(consumerKey: consumerKey) where family != kept {
            try await revokeFamily(family)
            revoked += 1
        }
        return revoked
    }

    /// Revokes every token of a family and tells the validation service at once.
    func revokeFamily(_ familyID: String) async throws {
        let revoked = try await storage.revokeFamily(familyID)
        validationService.revoke { $0.revokeFamily(familyID, alsoRevoking: revoked) }
    }

    /// Describes a token (RFC 7662) for an authenticated client or admin.
    /// - Parameters:
    ///   - token: The token.
    ///   - tokenTypeHint: Ignored beyond RFC 7662's allowance; both kinds are searched.
    ///   - consumerKey: The authenticated client asking, which learns only about its own tokens; nil for an
    ///     administrator (or an in-process caller), who may describe any token.
    /// - Returns: The token's description, or `active: false` (also for another client's token: RFC 7662 §4
    ///   lets the server tell a client nothing about tokens it may not introspect).
    public func introspect(
        token: String,
        tokenTypeHint: String?,
        forClient consumerKey: String? = nil
    ) async throws -> IntrospectionResponse {
        await flushTokenWrites()
        guard let record = try await storage.token(hash: SecretGenerator.hash(token)),
            record.state == .active, !isExpired(record.expiresAt),
            consumerKey == nil || record.consumerKey == consumerKey
        else { return .inactive }
        let issued = Int64(record.issuedAt.timeIntervalSince1970)
        return IntrospectionResponse(
            active: true,
            scope: record.scopes.joined(separator: " "),
            clientID: record.consumerKey,
            username: record.username,
            tokenType: record.kind == .access ? "Bearer" : "refresh_token",
            exp: record.expiresAt.map { Int64($0.timeIntervalSince1970) },
            iat: issued,
            nbf: issued
        )
    }

    /// Deletes tokens that no longer validate (expired, `TimestampSkew` included) and forgets them in memory.
    /// - Returns: How many access tokens were removed.
    @discardableResult
    public func removeExpiredTokens() async throws -> Int {
        await flushTokenWrites()
        let cutoff = now.addingTimeInterval(TimeInterval(identity.timestampSkew))
        let removed = try await storage.deleteTokens(expiredBefore: cutoff)
        validationService.update { index in
            index.remove(removed)
            index.forgetEmptyRevokedFamilies()
        }
        return removed.count
    }
}
