public import CoreMetrics
import Crypto
import Foundation
public import NIOCore
public import SluiceJWT
public import SluiceMediation
public import SluiceModel
import Synchronization

/// Caches a remote key manager's answers on the gateway, so a token already seen is validated synchronously on
/// the event loop and only a miss goes over the network.
///
/// Positive entries live no longer than the token (`validUntil`) and no longer than `maxPositiveAge`; refusals
/// live `negativeAge`. Revocations reach the cache through ``invalidate(tokenHashes:)`` (the key manager's
/// revocation feed hashes tokens with SHA-256) or ``removeAll()``. Concurrent misses for the same token and API
/// share one call to the key manager.
///
/// Both sides are bounded against token spraying: at most `maxConcurrentLookups` calls to the key manager run
/// at once, at most `maxQueuedLookups` wait behind them (a miss beyond that is refused at once, uncached, as the
/// key manager being unreachable is), and a full cache evicts its least recently used answers rather than
/// emptying itself, so a flood of unknown tokens cannot throw out the entries of tokens in use.
///
/// Once the key manager's signing keys are known (``useVerifier(_:)``), a JWT is checked here first, on its
/// signature, type, issuer, audience and times: a forged, foreign or expired one is refused without a call to the key
/// manager; only the subscription check of a good one goes there (once per token and API).
public final class KeyValidationCache: Sendable {
    /// Lifetimes and size.
    public struct Configuration: Sendable {
        /// Seconds a positive answer may be reused at most (WSO2 caches for 900 s; a shorter bound limits how
        /// long a revocation the feed missed can go unnoticed).
        public var maxPositiveAge: Double
        /// Seconds a refusal is reused.
        public var negativeAge: Double
        /// Entries kept at most; past it, the least recently used one goes.
        public var maxEntries: Int
        /// Calls to the key manager in flight at once.
        public var maxConcurrentLookups: Int
        /// Misses waiting for a call slot; more are refused without asking the key manager.
        public var maxQueuedLookups: Int
        /// Seconds by which JWTs count as expired early (identity.xml's `TimestampSkew`, as the key manager).
        public var timestampSkew: Double

        /// Creates a configuration.
        public init(
            maxPositiveAge: Double = 60,
            negativeAge: Double = 2,
            maxEntries: Int = 100_000,
            maxConcurrentLookups: Int = 32,
            maxQueuedLookups: Int = 1_024,
            timestampSkew: Double = 300
        ) {
            self.maxPositiveAge = maxPositiveAge
            self.negativeAge = negativeAge
            self.maxEntries = maxEntries
            self.maxConcurrentLookups = maxConcurrentLookups
            self.maxQueuedLookups = maxQueuedLookups
            self.timestampSkew = timestampSkew
        }
    }

    /// The outcome of a lookup.
    public enum Lookup: Sendable {
        /// The answer, from the cache.
        case hit(KeyValidationResult)
        /// A call to the key manager is under way; look up again when the future completes.
        case pending(EventLoopFuture<Void>)
    }

    private struct Key: Hashable {
        var token: String
        var apiScope: String
        /// An API key's answer must never serve the same text sent as a bearer token, nor the reverse.
        var isAPIKey: Bool
    }

    private struct Entry {
        var result: KeyValidationResult
        var expiresAt: Double
        var tokenHash: Data
    }

    /// A miss on its way to the key manager.
    private struct PendingMiss {
        var request: KeyValidationRequest
        var key: Key
        var promise: EventLoopPromise<Void>
        var generation: UInt64
    }

    private struct State {
        var entries: LRUDictionary<Key, Entry>
        var pending: [Key: EventLoopFuture<Void>] = [:]
        /// Misses waiting for one of the `maxConcurrentLookups` workers.
        var queue = CircularBuffer<PendingMiss>()
        /// Workers running (each a task that drains the queue, then ends).
        var workers = 0
        /// Grows with every invalidation; a fill started before one is not stored.
        var generation: UInt64 = 0
    }

    private let state: Mutex<State>
    private let verifier = Mutex<AccessTokenVerifier?>(nil)
    private let validator: any KeyValidator
    private let eventLoopGroup: any EventLoopGroup
    private let configuration: Configuration
    private let clock: EpochClock
    private let lookups: LookupCounters?

    /// `sluice_key_validation_cache_lookups_total{result}`: answered from the cache (`hit`), sent to or waiting for
    /// the key manager (`miss`; the call resumed after the answer counts a hit), a JWT refused here on its signature
    /// or times (`refused_locally`), refused because too many misses wait (`overloaded`).
    private struct LookupCounters: Sendable {
        let hit: Counter
        let miss: Counter
        let refusedLocally: Counter
        let overloaded: Counter

        init(factory: any MetricsFactory) {
            func counter(_ result: String) -> Counter {
                Counter(label: "sluice_key_validation_cache_lookups_total", dimensions: [("result", result)], factory: factory)
            }
            hit = counter("hit")
            miss = counter("miss")
            refusedLocally = counter("refused_locally")
            overloaded = counter("overloaded")
        }
    }

    /// Creates an empty cache in front of `validator`.
    /// - Parameters:
    ///   - validator: The key manager (usually an HTTP client of its validation endpoint).
    ///   - eventLoopGroup: Where the futures of pending lookups complete.
    ///   - configuration: Lifetimes and size.
    ///   - clock: The wall clock that expiry is checked against.
    ///   - metricsFactory: Where lookups are counted by result; nil counts nothing.
    public init(
        validator: any KeyValidator,
        eventLoopGroup: any EventLoopGroup,
        configuration: Configuration = Configuration(),
        clock: EpochClock = .system,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.lookups = metricsFactory.map(LookupCounters.init(factory:))
        self.state = Mutex(State(entries: LRUDictionary(capacity: configuration.maxEntries)))
        self.validator = validator
        self.eventLoopGroup = eventLoopGroup
        self.configuration = configuration
        self.clock = clock
    }

    /// The cached answer for the token and API, or the future of the call that will provide it.
    /// - Parameters:
    ///   - request: The validation request (sent to the key manager on a miss).
    ///   - apiScope: `context:version`; answers are per token and API.
    public func lookup(_ request: KeyValidationRequest, apiScope: String) -> Lookup {
        let now = seconds()
        if !request.isAPIKey, let refusal = locallyRefused(request.accessToken, now: now) {
            lookups?.refusedLocally.increment()
            return .hit(refusal)
        }
        let key = Key(token: request.accessToken, apiScope: apiScope, isAPIKey: request.isAPIKey)
        var overloaded = false
        let (answer, startWorker): (Lookup, PendingMiss?) = state.withLock { state in
            if let entry = state.entries.value(forKey: key) {
                if entry.expiresAt > now { return (.hit(entry.result), nil) }
                state.entries.removeValue(forKey: key)
            }
            if let future = state.pending[key] { return (.pending(future), nil) }
            let canStart = state.workers < configuration.maxConcurrentLookups
            guard canStart || state.queue.count < configuration.maxQueuedLookups else {
                // Overloaded (likely sprayed tokens): refuse now, remember nothing.
                overloaded = true
                return (.hit(KeyValidationResult(authorized: false)), nil)
            }
            let promise = eventLoopGroup.any().makePromise(of: Void.self)
            state.pending[key] = promise.futureResult
            let miss = PendingMiss(request: request, key: key, promise: promise, generation: state.generation)
            guard canStart else {
                state.queue.append(miss)
                return (.pending(promise.futureResult), nil)
            }
            state.workers += 1
            return (.pending(promise.futureResult), miss)
        }
        if let lookups {
            switch answer {
            case .hit: (overloaded ? lookups.overloaded : lookups.hit).increment()
            case .pending: lookups.miss.increment()
            }
        }
        if let first = startWorker {
            // Bridges the synchronous request path to the async key manager client; the gateway waits on the
            // promise's future, not on this task. At most `maxConcurrentLookups` such tasks exist.
            Task { [self] in
                var miss = first
                while true {
                    let result = await validator.validate(miss.request)
                    store(result, for: miss.key, startedAt: miss.generation)
                    miss.promise.succeed(())
                    guard let next = nextQueuedMiss() else { return }
                    miss = next
                }
            }
        }
        return answer
    }

    /// Misses waiting for a call slot.
    public var queuedLookups: Int { state.withLock { $0.queue.count } }

    /// Checks JWTs with the key manager's signing keys from now on.
    /// - Parameter verifier: Built from the key manager's JWK set and issuer.
    public func useVerifier(_ verifier: AccessTokenVerifier) {
        self.verifier.withLock { $0 = verifier }
    }

    /// Whether JWTs are checked locally yet.
    public var verifiesJWTs: Bool { verifier.withLock { $0 != nil } }

    /// The answer for a JWT that fails locally: WSO2's 900901 for a bad signature, key, issuer, audience or type,
    /// or a token not valid yet; 900903 when expired. Nil for opaque tokens, good JWTs, or before the signing keys are known.
    private func locallyRefused(_ token: String, now: Double) -> KeyValidationResult? {
        guard let verifier = verifier.withLock({ $0 }), AccessTokenVerifier.looksLikeJWT(token) else { return nil }
        switch verifier.verify(token, now: Int64(now)) {
        case .failure:
            return .denied(.invalidCredentials)
        case .success(let verified):
            if Double(verified.claims.exp) - configuration.timestampSkew <= now { return .denied(.accessTokenExpired) }
            if Double(verified.claims.nbf) > now + configuration.timestampSkew { return .denied(.invalidCredentials) }
            return nil
        }
    }

    /// Forgets the answers for these tokens (SHA-256 hashes of the token text).
    /// - Parameter tokenHashes: Hashes from the key manager's revocation feed.
    public func invalidate(tokenHashes: [Data]) {
        let revoked = Set(tokenHashes)
        state.withLock { state in
            state.generation += 1
            state.entries.removeAll { _, entry in revoked.contains(entry.tokenHash) }
        }
    }

    /// Forgets every answer (when the revocation feed reports a gap).
    public func removeAll() {
        state.withLock { state in
            state.generation += 1
            state.entries.removeAll()
        }
    }

    /// How many answers are cached.
    public var count: Int { state.withLock { $0.entries.count } }

    /// SHA-256 of the token text, the form the key manager's revocation feed uses.
    /// - Parameter token: The access token.
    public static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }

    private func store(_ result: KeyValidationResult, for key: Key, startedAt generation: UInt64) {
        let now = seconds()
        var result = result
        // An answer that is already past the token's validity would never be served; it means expired.
        if result.authorized, let validUntil = result.validUntil, validUntil <= now {
            result = .denied(.accessTokenExpired)
        }
        var expiresAt: Double
        if result.authorized {
            expiresAt = now + configuration.maxPositiveAge
            if let validUntil = result.validUntil { expiresAt = min(expiresAt, validUntil) }
        } else {
            // At least a moment, so the hook resumed after this call finds the refusal.
            expiresAt = now + max(configuration.negativeAge, 0.5)
        }
        let entry = Entry(result: result, expiresAt: expiresAt, tokenHash: Self.hash(key.token))
        state.withLock { state in
            state.pending[key] = nil
            // An invalidation during the call may concern this very token: do not store a stale answer.
            guard state.generation == generation else { return }
            state.entries.updateValue(entry, forKey: key)
        }
    }

    /// The next waiting miss for a worker that finished one, or nil (and the worker ends).
    private func nextQueuedMiss() -> PendingMiss? {
        state.withLock { state in
            if let next = state.queue.popFirst() { return next }
            state.workers -= 1
            return nil
        }
    }

    private func seconds() -> Double {
        Double(clock.millisecondsSinceEpoch()) / 1000
    }
}
