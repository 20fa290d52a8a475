public import Foundation
public import SluiceJWT
public import SluiceModel
import SluiceStorage
import Synchronization

/// Answers the gateway's key validation requests from memory, synchronously, without touching the database.
///
/// The ``KeyManager`` keeps it current on every write. Gateways learn of revocations at once through
/// ``onRevocation(_:)`` (in process) or ``revocations(since:)`` (polled over HTTP).
public final class KeyValidationService: KeyValidator, Sendable {
    private let index = Mutex(KeyValidationIndex())
    private let listeners = Mutex<[@Sendable ([Data]) -> Void]>([])
    private let invalidationListeners = Mutex<[@Sendable (KeyValidationInvalidation) -> Void]>([])
    private let clock: any WallClock
    private let skew: TimeInterval
    /// Checks JWT access tokens on their signature; nil when the key manager issues only opaque tokens.
    public let jwtVerifier: AccessTokenVerifier?
    /// Checks API keys on their signature; nil when the key manager has no signing key (then no API key exists).
    public let apiKeyVerifier: APIKeyVerifier?

    /// Creates an empty service; the key manager fills it.
    /// - Parameters:
    ///   - clock: The wall clock expiry is checked against.
    ///   - timestampSkew: Seconds by which tokens count as expired early (`TimestampSkew`).
    ///   - jwtVerifier: Verifies JWT access tokens (the key manager's signing key and issuer).
    ///   - apiKeyVerifier: Verifies API keys (the same key and issuer).
    public init(
        clock: any WallClock = SystemWallClock(),
        timestampSkew: Int64,
        jwtVerifier: AccessTokenVerifier? = nil,
        apiKeyVerifier: APIKeyVerifier? = nil
    ) {
        self.clock = clock
        self.skew = TimeInterval(timestampSkew)
        self.jwtVerifier = jwtVerifier
        self.apiKeyVerifier = apiKeyVerifier
    }

    /// Validates a token for one API call, synchronously from memory (also the ``KeyValidator`` witness).
    ///
    /// A JWT is checked on its signature, type and issuer (remembered by the whole token, so a token seen before
    /// costs a lookup by its tail), then on its times; memory only says whether it was revoked. Subscriptions come from memory for
    /// both kinds.
    /// - Parameter request: The token and the API call.
    /// - Returns: The decision with WSO2's code when refused.
    public func validate(_ request: KeyValidationRequest) -> KeyValidationResult {
        let now = clock.now
        if request.isAPIKey {
            // Forged, another key or issuer, an access token passed as an API key: WSO2's 900901.
            guard let apiKeyVerifier,
                case .success(let key) = apiKeyVerifier.verify(request.accessToken, now: Int64(now.timeIntervalSince1970))
            else { return .denied(.invalidCredentials) }
            return index.withLock { $0.validate(apiKey: key, request: request, now: now, skew: skew) }
        }
        // A JWT seen before is found by its tail before anything reads the token through; only an unknown token
        // is looked at for the shape of a JWT (a scan of its kilobyte) and verified.
        if let jwtVerifier,
            let outcome = jwtVerifier.remembered(request.accessToken)
                ?? (AccessTokenVerifier.looksLikeJWT(request.accessToken)
                    ? jwtVerifier.verify(request.accessToken, now: Int64(now.timeIntervalSince1970)) : nil)
        {
            switch outcome {
            case .failure:
                // Tampered, another key (`kid`), another issuer or not an access token: WSO2's 900901.
                return .denied(.invalidCredentials)
            case .success(let token):
                return index.withLock { $0.validate(jwt: token, request: request, now: now, skew: skew) }
            }
        }
        let hash = SecretGenerator.hash(request.accessToken)
        return index.withLock { $0.validate(tokenHash: hash, request: request, now: now, skew: skew) }
    }

    /// Grows each time tokens are revoked or deactivated.
    public var revocationGeneration: UInt64 { index.withLock { $0.revocationGeneration } }

    /// Token hashes (SHA-256, see ``SecretGenerator/hash(_:)``) revoked after `generation`.
    /// - Parameter generation: The generation the caller has seen.
    /// - Returns: The current generation, the hashes, and whether the list is complete (false when older
    ///   entries were dropped: the caller should then flush its cache).
    public func revocations(since generation: UInt64) -> (generation: UInt64, tokenHashes: [Data], complete: Bool) {
        let answer = index.withLock { $0.revocations(since: generation) }
        return (answer.generation, answer.hashes, answer.complete)
    }

    /// Registers a callback run with the hashes of tokens as soon as they are revoked or deactivated.
    /// - Parameter listener: Called on the revoking task; it must return quickly.
    public func onRevocation(_ listener: @escaping @Sendable (_ tokenHashes: [Data]) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// Registers a callback run when an application or subscription changes in a way that may turn a cached
    /// "authorized" into a refusal.
    /// - Parameter listener: Called on the changing task; it must return quickly.
    public func onInvalidation(_ listener: @escaping @Sendable (KeyValidationInvalidation) -> Void) {
        invalidationListeners.withLock { $0.append(listener) }
    }

    /// How many access tokens are held in memory.
    public var indexedTokenCount: Int { index.withLock { $0.tokens.count } }

    // MARK: - Updates from the key manager

    @discardableResult
    func update<T>(_ body: (inout KeyValidationIndex) -> T) -> T {
        index.withLock { body(&$0) }
    }

    /// Applies an application or subscription change, then tells the invalidation listeners.
    func update(_ body: (inout KeyValidationIndex) -> Void, invalidating invalidation: KeyValidationInvalidation) {
        index.withLock { body(&$0) }
        for listener in invalidationListeners.withLock({ $0 }) { listener(invalidation) }
    }

    /// Applies a change that may revoke tokens, then tells the listeners.
    func revoke(_ body: (inout KeyValidationIndex) -> [Data]) {
        let changed = index.withLock { body(&$0) }
        guard !changed.isEmpty else { return }
        for listener in listeners.withLock({ $0 }) { listener(changed) }
    }
}
