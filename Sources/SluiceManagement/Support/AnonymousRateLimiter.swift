import Foundation
package import SluiceKeyManager
import Synchronization

/// A token bucket per client address for requests that carry no credentials, kept for the most recently seen
/// ``AnonymousRateLimit/maximumClients`` addresses (LRU), so anyone may browse the portals and search the
/// catalogue, but no single address can keep the management server busy.
package final class AnonymousRateLimiter: Sendable {
    private let rate: TokenBucket.Rate
    private let buckets: Mutex<LRUCache<String, TokenBucket>>
    private let clock: any WallClock

    /// Creates a limiter.
    /// - Parameters:
    ///   - limit: The burst, the rate and how many addresses are remembered.
    ///   - clock: The time source (tests move it by hand).
    package init(limit: AnonymousRateLimit, clock: any WallClock = SystemWallClock()) {
        rate = TokenBucket.Rate(capacity: Double(limit.burst), refillPerSecond: limit.perSecond)
        buckets = Mutex(LRUCache(capacity: limit.maximumClients))
        self.clock = clock
    }

    /// Takes a token for `address`.
    /// - Returns: Nil when the request may go on; otherwise the whole seconds to wait.
    package func admit(_ address: String) -> Int? {
        let now = clock.now.timeIntervalSince1970
        return buckets.withLock { buckets in
            var bucket = buckets.value(for: address) ?? TokenBucket(rate: rate, now: now)
            let wait = bucket.take(rate: rate, now: now)
            buckets.set(bucket, for: address)
            return wait.map { max(1, Int($0.rounded(.up))) }
        }
    }
}

/// How much unauthenticated traffic one client address may send to the management server.
public struct AnonymousRateLimit: Sendable, Hashable {
    /// Requests admitted at once.
    public var burst: Int
    /// Requests per second sustained.
    public var perSecond: Double
    /// Addresses remembered (the least recently seen are forgotten first).
    public var maximumClients: Int

    /// Creates a limit; the default lets a browser load any portal page at once and a script poll steadily.
    public init(burst: Int = 100, perSecond: Double = 20, maximumClients: Int = 10_000) {
        self.burst = max(1, burst)
        self.perSecond = max(0.001, perSecond)
        self.maximumClients = max(1, maximumClients)
    }
}
