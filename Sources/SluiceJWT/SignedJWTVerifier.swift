import Crypto
import Foundation
import JWTKit
import Synchronization

/// Verifies compact JWS tokens of one claims type against a JWK set, synchronously, and remembers each outcome by
/// the whole token (filed under its `TokenTail`), so a token seen before costs a lookup of 24 bytes and one
/// constant-time comparison. The kinds of tokens (access tokens, API keys) add their own checks of header and claims
/// through `check`.
final class SignedJWTVerifier<Claims: JWTPayload & Sendable>: Sendable {
    struct Verified: Sendable {
        let claims: Claims
        let tokenHash: Data
    }

    private struct Verification: Sendable {
        let algorithmName: String
        let algorithm: any JWTAlgorithm
    }

    private struct Entry {
        /// The whole token: a token with a known signature but other header or payload bytes is a different
        /// (tampered) token, not a hit.
        let token: String
        let outcome: Result<Verified, AccessTokenRejection>
        let expiresAt: Int64
    }

    private let keys: [String: Verification]
    private let parser = DefaultJWTParser()
    private let outcomes = Mutex<[TokenTail: Entry]>([:])
    private let maxEntries: Int
    private let check: @Sendable (JWTHeader, Claims) -> AccessTokenRejection?
    private let expiry: @Sendable (Claims) -> Int64?

    /// - Parameters:
    ///   - keySet: The public keys.
    ///   - maxEntries: Outcomes remembered at most.
    ///   - expiry: When a good token's remembered outcome may be dropped (nil: never expires).
    ///   - check: The kind's checks after the signature verified; nil accepts.
    init(
        keySet: JSONWebKeySet,
        maxEntries: Int,
        expiry: @escaping @Sendable (Claims) -> Int64?,
        check: @escaping @Sendable (JWTHeader, Claims) -> AccessTokenRejection?
    ) async throws {
        let collection = JWTKeyCollection()
        var keys: [String: Verification] = [:]
        for key in keySet.keys {
            let jwk = try JSONDecoder().decode(JWK.self, from: JSONEncoder().encode(key))
            try await collection.add(jwk: jwk)
            let algorithm = try await collection.getKey(for: JWKIdentifier(string: key.kid), alg: key.alg)
            keys[key.kid] = Verification(algorithmName: key.alg, algorithm: algorithm)
        }
        self.keys = keys
        self.maxEntries = maxEntries
        self.expiry = expiry
        self.check = check
    }

    func verify(_ token: String, now: Int64) -> Result<Verified, AccessTokenRejection> {
        let tail = TokenTail(token)
        if let outcome = remembered(token, tail: tail) { return outcome }
        guard let lastDot = token.utf8.lastIndex(of: UInt8(ascii: ".")) else { return .failure(.malformed) }
        let outcome = verifyUncached(token, signingInput: token[..<lastDot])
        let expiresAt: Int64 =
            switch outcome {
            case .success(let verified): expiry(verified.claims) ?? .max
            // A refusal is remembered a minute: long enough to blunt a flood of one forged token.
            case .failure: now + 60
            }
        let entry = Entry(token: token, outcome: outcome, expiresAt: expiresAt)
        outcomes.withLock { outcomes in
            if outcomes.count >= maxEntries {
                outcomes = outcomes.filter { $0.value.expiresAt > now }
                if outcomes.count >= maxEntries { outcomes.removeAll(keepingCapacity: true) }
            }
            outcomes[tail] = entry
        }
        return outcome
    }

    /// The outcome of an earlier verification of exactly `token`, or nil when it was not seen (or was forgotten).
    func remembered(_ token: String) -> Result<Verified, AccessTokenRejection>? {
        remembered(token, tail: TokenTail(token))
    }

    private func remembered(_ token: String, tail: TokenTail) -> Result<Verified, AccessTokenRejection>? {
        guard let entry = outcomes.withLock({ $0[tail] }), TokenTail.sameToken(entry.token, token) else { return nil }
        return entry.outcome
    }

    var rememberedCount: Int { outcomes.withLock { $0.count } }

    private func verifyUncached(_ token: String, signingInput: Substring) -> Result<Verified, AccessTokenRejection> {
        let parsed: (header: JWTHeader, payload: Claims, signature: Data)
        do {
            parsed = try parser.parse(Array(token.utf8), as: Claims.self)
        } catch {
            return .failure(.malformed)
        }
        guard let kid = parsed.header.kid, let key = keys[kid], parsed.header.alg == key.algorithmName else {
            return .failure(.unknownKey)
        }
        let verified = (try? key.algorithm.verify(parsed.signature, signs: Array(signingInput.utf8))) ?? false
        guard verified else { return .failure(.invalidSignature) }
        if let rejection = check(parsed.header, parsed.payload) { return .failure(rejection) }
        return .success(Verified(claims: parsed.payload, tokenHash: Data(SHA256.hash(data: Data(token.utf8)))))
    }
}
