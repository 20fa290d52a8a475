/// A token bucket: up to `capacity` tokens, refilled at `refillPerSecond`; each admitted event takes one.
///
/// A value type over plain seconds, so throttles keep thousands of them in an ``LRUCache`` and tests drive it
/// with a hand-moved clock.
package struct TokenBucket: Sendable, Hashable {
    /// The settings of a bucket.
    package struct Rate: Sendable, Hashable {
        /// The most tokens held: the burst admitted at once.
        package var capacity: Double
        /// Tokens added per second.
        package var refillPerSecond: Double

        /// Creates a rate.
        package init(capacity: Double, refillPerSecond: Double) {
            self.capacity = max(1, capacity)
            self.refillPerSecond = max(0.000_001, refillPerSecond)
        }
    }

    private var tokens: Double
    private var updatedAt: Double

    /// A full bucket at time `now` (seconds).
    package init(rate: Rate, now: Double) {
        tokens = rate.capacity
        updatedAt = now
    }

    /// Takes a token when one is there.
    /// - Returns: Nil when admitted; otherwise the seconds until a token is back.
    package mutating func take(rate: Rate, now: Double) -> Double? {
        refill(rate: rate, now: now)
        guard tokens >= 1 else { return (1 - tokens) / rate.refillPerSecond }
        tokens -= 1
        return nil
    }

    /// The seconds until a token is there (zero when one is), without taking it.
    package mutating func wait(rate: Rate, now: Double) -> Double {
        refill(rate: rate, now: now)
        return tokens >= 1 ? 0 : (1 - tokens) / rate.refillPerSecond
    }

    private mutating func refill(rate: Rate, now: Double) {
        // A clock that steps back adds nothing.
        tokens = min(rate.capacity, tokens + max(0, now - updatedAt) * rate.refillPerSecond)
        updatedAt = max(updatedAt, now)
    }
}
