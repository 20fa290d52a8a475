public import Foundation

/// An API key whose signature, type and issuer were checked.
public struct VerifiedAPIKey: Sendable, Hashable {
    /// The claims.
    public let claims: APIKeyClaims
    /// SHA-256 of the key text: how the key manager revokes it and announces the revocation.
    public let keyHash: Data
}

/// Verifies API keys synchronously on the request path against the key manager's JWK set (the keys access
/// tokens are signed with) and remembers each outcome by signature, as ``AccessTokenVerifier`` does.
///
/// An access token is no API key (`token_type` must be `apiKey`), and an API key is no access token (its `typ` is
/// `JWT`, not `at+jwt`), so neither can stand in for the other. Expiry is checked by the caller on every call.
public final class APIKeyVerifier: Sendable {
    /// The `iss` accepted.
    public let issuer: String
    private let core: SignedJWTVerifier<APIKeyClaims>

    /// Reads the keys of a JWK set.
    /// - Parameters:
    ///   - keySet: The signing keys.
    ///   - issuer: The `iss` accepted.
    ///   - maxEntries: Outcomes remembered at most.
    /// - Throws: jwt-kit's error for a key it cannot read.
    public init(keySet: JSONWebKeySet, issuer: String, maxEntries: Int = 20_000) async throws {
        self.issuer = issuer
        core = try await SignedJWTVerifier(keySet: keySet, maxEntries: maxEntries, expiry: { $0.exp }) { header, claims in
            guard header.typ?.uppercased() == "JWT", claims.tokenType == APIKeyClaims.tokenType else { return .wrongType }
            guard claims.iss == issuer else { return .wrongIssuer }
            return nil
        }
    }

    /// Verifies a key, or answers from a previous verification of the same key.
    /// - Parameters:
    ///   - key: The API key as the client sent it.
    ///   - now: Seconds since 1970; only used to drop old outcomes when the memory is full.
    /// - Returns: The verified key, or why it is refused.
    public func verify(_ key: String, now: Int64) -> Result<VerifiedAPIKey, AccessTokenRejection> {
        core.verify(key, now: now).map { VerifiedAPIKey(claims: $0.claims, keyHash: $0.tokenHash) }
    }
}
