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
/// the outcome by the token's signature so that a token seen before costs a dictionary lookup, about what an
/// opaque token's cache hit costs.
///
/// Expiry and not-before are not checked here: the caller compares them with its clock and skew on every
/// request, as the remembered outcome outlives them.
public final class AccessTokenVerifier: Sendable {
    private struct Verification: Sendable {
        let algorithmName: String
        let algorithm: any JWTAlgorithm
    }

    private struct Entry {
        /// The whole token: a token with a known signature but other header or payload bytes is a different
        /// (tampered) token, not a hit.
        let token: String
        let outcome: Result<VerifiedAccessToken, AccessTokenRejection>
        let expiresAt: Int64
    }

    /// The `iss` accepted.
    public let issuer: String
    private let keys: [String: Verification]
    private let parser = DefaultJWTParser()
    private let outcomes = Mutex<[Substring: Entry]>([:])
    private let maxEntries: Int

    /// Reads the keys of a JWK set.
    /// - Parameters:
    ///   - keySet: The signing keys (ours, or a key manager's `/oauth2/jwks`).
    ///   - issuer: The `iss` accepted.
    ///   - maxEntries: Outcomes remembered at most (a token is about 1 KiB).
    /// - Throws: jwt-kit's error for a key it cannot read.
    public init(keySet: JSONWebKeySet, issuer: String, maxEntries: Int = 20_000) async throws {
        let collection = JWTKeyCollection()
        var keys: [String: Verification] = [:]
        for key in keySet.keys {
            let jwk = try JSONDecoder().decode(JWK.self, from: JSONEncoder().encode(key))
            try await collection.add(jwk: jwk)
            let algorithm = try await collection.getKey(for: JWKIdentifier(string: key.kid), alg: key.alg)
            keys[key.kid] = Verification(algorithmName: key.alg, algorithm: algorithm)
        }
        self.keys = keys
        self.issuer = issuer
        self.maxEntries = maxEntries
    }

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
        guard let lastDot = token.utf8.lastIndex(of: UInt8(ascii: ".")) else { return .failure(.malformed) }
        let signature = token[token.index(after: lastDot)...]
        if let entry = outcomes.withLock({ $0[signature] }), entry.token == token {
            return entry.outcome
        }
        let outcome = verifyUncached(token, signingInput: token[..<lastDot])
        let expiresAt: Int64 =
            switch outcome {
            case .success(let verified): verified.claims.exp
            // A refusal is remembered a minute: long enough to blunt a flood of one forged token.
            case .failure: now + 60
            }
        let entry = Entry(token: token, outcome: outcome, expiresAt: expiresAt)
        outcomes.withLock { outcomes in
            if outcomes.count >= maxEntries {
                outcomes = outcomes.filter { $0.value.expiresAt > now }
                if outcomes.count >= maxEntries { outcomes.removeAll(keepingCapacity: true) }
            }
            // The key is a slice of the stored token's own storage: no second copy of the signature.
            outcomes[signature] = entry
        }
        return outcome
    }

    /// How many outcomes are remembered.
    public var rememberedCount: Int { outcomes.withLock { $0.count } }

    private func verifyUncached(_ token: String, signingInput: Substring) -> Result<VerifiedAccessToken, AccessTokenRejection> {
        let parsed: (header: JWTHeader, payload: AccessTokenClaims, signature: Data)
        do {
            parsed = try parser.parse(Array(token.utf8), as: AccessTokenClaims.self)
        } catch {
            return .failure(.malformed)
        }
        guard parsed.header.typ?.lowercased() == "at+jwt" else { return .failure(.wrongType) }
        guard let kid = parsed.header.kid, let key = keys[kid], parsed.header.alg == key.algorithmName else {
            return .failure(.unknownKey)
        }
        let verified = (try? key.algorithm.verify(parsed.signature, signs: Array(signingInput.utf8))) ?? false
        guard verified else { return .failure(.invalidSignature) }
        guard parsed.payload.iss == issuer else { return .failure(.wrongIssuer) }
        // WSO2 issues a token for its client: the subscription checked is the one of `client_id`, so a token naming
        // another audience was not issued for this use.
        guard parsed.payload.aud == parsed.payload.clientID else { return .failure(.wrongAudience) }
        return .success(VerifiedAccessToken(claims: parsed.payload, tokenHash: Data(SHA256.hash(data: Data(token.utf8)))))
    }
}
