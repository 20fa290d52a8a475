import Crypto
public import Foundation
import JWTKit
import Synchronization

/// A JWT access token whose signature, type, issuer and audience were checked.
public struct VerifiedAccessToken: Sendable, Hashable {
    /// The claims.
    public let claims: AccessTokenClaims
    /// SHA-256 of the token text: how the key manager stores, revokes and reports the token.
    public let tokenHash: Data
}

/// Why a JWT is not accepted (every case is WSO2's 900901, Invalid Credentials).
public enum AccessTokenRejection: Error, Sendable, Hashable {
    /// Not three base64url parts with a JSON header and payload of the expected shape.
    case malformed
    /// The `kid` names no key of the JWK set, or the `alg` is not that key's.
    case unknownKey
    /// The signature does not verify.
    case invalidSignature
    /// Another issuer.
    case wrongIssuer
    /// An audience that is not the token's own client (`aud` other than `client_id`).
    case wrongAudience
    /// Not an access token (`typ` other than `at+jwt`): a backend JWT, say.
    case wrongType
}

/// Verifies JWT access tokens synchronously on the request path, against a JWK set and an issuer, and remembers
/// the outcome by the whole token so that a token seen before costs a lookup by its tail (`TokenTail`), less than
/// an opaque token's SHA-256 and index lookup.
///
/// Expiry and not-before are not checked here: the caller compares them with its clock and skew on every
/// request, as the remembered outcome outlives them.
public final class AccessTokenVerifier: Sendable {
    /// The `iss` accepted.
    public let issuer: String
    private let core: SignedJWTVerifier<AccessTokenClaims>

    /// Reads the keys of a JWK set.
    /// - Parameters:
    ///   - keySet: The signing keys (ours, or a key manager's `/oauth2/jwks`).
    ///   - issuer: The `iss` accepted.
    ///   - maxEntries: Outcomes remembered at most (a token is about 1 KiB).
    /// - Throws: jwt-kit's error for a key it cannot read.
    public init(keySet: JSONWebKeySet, issuer: String, maxEntries: Int = 20_000) async throws {
        self.issuer = issuer
        core = try await SignedJWTVerifier(keySet: keySet, maxEntries: maxEntries, expiry: { $0.exp }) { header, claims in
            // The type is checked first in spirit: a backend JWT or an API key is not an access token, whatever
            // else it carries.
            guard header.typ?.lowercased() == "at+jwt" else { return .wrongType }
            guard claims.iss == issuer else { return .wrongIssuer }
            // WSO2 issues a token for its client: the subscription checked is the one of `client_id`, so a token
            // naming another audience was not issued for this use.
            guard claims.aud == claims.clientID else { return .wrongAudience }
            return nil
        }
    }

    /// Shorter tokens are not looked up in the memory (`remembered`); a signed access token's header and claims
    /// alone are longer.
    static let shortestRemembered = 64

    /// Whether `token` has the shape of a JWT (three parts), so it is not an opaque token.
    public static func looksLikeJWT(_ token: String) -> Bool {
        var dots = 0
        for byte in token.utf8 where byte == UInt8(ascii: ".") { dots += 1 }
        return dots == 2
    }

    /// Verifies a token, or answers from a previous verification of the same token.
    /// - Parameters:
    ///   - token: The bearer token.
    ///   - now: Seconds since 1970; only used to drop expired outcomes when the memory is full.
    /// - Returns: The verified token, or why it is refused.
    public func verify(_ token: String, now: Int64) -> Result<VerifiedAccessToken, AccessTokenRejection> {
        core.verify(token, now: now).map { VerifiedAccessToken(claims: $0.claims, tokenHash: $0.tokenHash) }
    }

    /// The outcome of an earlier verification of exactly `token`, or nil when it was not seen: no JWT parsing, no
    /// search through the token, one lookup by its tail and one constant-time comparison. A token shorter than any
    /// signed access token (an opaque token's 36 bytes) is not looked up: that miss cost an opaque token's
    /// validation about 1 µs.
    public func remembered(_ token: String) -> Result<VerifiedAccessToken, AccessTokenRejection>? {
        guard token.utf8.count >= Self.shortestRemembered else { return nil }
        return core.remembered(token).map { $0.map { VerifiedAccessToken(claims: $0.claims, tokenHash: $0.tokenHash) } }
    }

    /// How many outcomes are remembered.
    public var rememberedCount: Int { core.rememberedCount }
}
