import Foundation
import Synchronization

/// One throttle for every way a password or client secret is checked: HTTP Basic on the REST APIs, the password
/// grant, client authentication at `/oauth2/*`, and the portals' sign-in forms.
///
/// It is keyed so that an attacker slows only himself down:
/// - per (name, client address): after ``Configuration/freeFailures`` failures in a row, each further attempt
///   waits twice as long as the one before (``Configuration/baseDelay`` up to ``Configuration/maximumDelay``);
///   the owner signing in from another address is not affected, and a success clears the count;
/// - per client address: failures of any name take from a token bucket (``Configuration/addressBurst`` refilled
///   one per ``Configuration/addressRefillInterval``), so spraying names or passwords from one address stops too;
/// - password checks in flight per address are capped (``Configuration/concurrentPasswordChecks``), so a burst
///   of parallel guesses cannot all start before the first failure is counted.
///
/// No account is ever locked for everyone. A refused attempt checks no password, so guesses made while waiting
/// learn nothing. Both tables are LRU-bounded: spraying names pushes out idle entries, not the table.
public final class LoginThrottle: Sendable {
    /// The throttle's settings.
    public struct Configuration: Sendable, Hashable {
        /// Failures in a row for one name from one address before attempts are delayed.
        public var freeFailures: Int
        /// The first delay, in seconds; each further failure doubles it.
        public var baseDelay: Double
        /// The longest delay, in seconds.
        public var maximumDelay: Double
        /// Failures one address may make at once, across all names.
        public var addressBurst: Int
        /// Seconds after which an address may fail once more.
        public var addressRefillInterval: Double
        /// Password checks one address may have running at once.
        public var concurrentPasswordChecks: Int
        /// The most (name, address) pairs and addresses remembered, each.
        public var maximumEntries: Int

        /// Creates settings; the defaults allow five quick mistakes, then 1, 2, 4... seconds up to 15 minutes,
        /// 30 failures per address refilled one every 10 seconds, and 8 password checks at once per address.
        public init(
            freeFailures: Int = 5,
            baseDelay: Double = 1,
            maximumDelay: Double = 15 * 60,
            addressBurst: Int = 30,
            addressRefillInterval: Double = 10,
            concurrentPasswordChecks: Int = 8,
            maximumEntries: Int = 10_000
        ) {
            self.freeFailures = max(0, freeFailures)
            self.baseDelay = max(0, baseDelay)
            self.maximumDelay = max(0, maximumDelay)
            self.addressBurst = max(1, addressBurst)
            self.addressRefillInterval = max(0.001, addressRefillInterval)
            self.concurrentPasswordChecks = max(1, concurrentPasswordChecks)
            self.maximumEntries = max(1, maximumEntries)
        }
    }

    /// The kind of secret checked.
    public enum Secret: Sendable, Hashable {
        /// A user's password: PBKDF2, so concurrent checks per address are capped.
        case password
        /// A client secret: a hash comparison.
        case clientSecret
    }

    /// The answer for one attempt.
    public enum Decision: Sendable, Hashable {
        /// Check the credentials, then report with ``LoginThrottle/finish(_:from:secret:outcome:)``.
        case admitted
        /// Do not check them; the caller may retry after this many seconds.
        case refused(retryAfter: Int)
    }

    /// How an admitted check ended.
    public enum Outcome: Sendable, Hashable {
        /// The credentials were right: the name's failures from this address are forgotten.
        case success
        /// They were wrong: counted for the name and the address.
        case failure
        /// The check could not be made (storage down): nothing is counted.
        case unknown
    }

    private struct PairKey: Hashable {
        var identity: String
        var address: String
    }

    private struct Failures {
        var count: Int
        var last: Double
    }

    private struct AddressState {
        var bucket: TokenBucket
        var passwordChecks: Int
    }

    private struct State {
        var pairs: LRUCache<PairKey, Failures>
        var addresses: LRUCache<String, AddressState>
    }

    private let configuration: Configuration
    private let rate: TokenBucket.Rate
    private let state: Mutex<State>
    private let clock: any WallClock

    /// Creates a throttle.
    /// - Parameters:
    ///   - configuration: Delays, budgets and table sizes.
    ///   - clock: The time source (tests move it by hand).
    public init(configuration: Configuration = Configuration(), clock: any WallClock = SystemWallClock()) {
        self.configuration = configuration
        self.rate = TokenBucket.Rate(
            capacity: Double(configuration.addressBurst),
            refillPerSecond: 1 / configuration.addressRefillInterval
        )
        self.state = Mutex(
            State(
                pairs: LRUCache(capacity: configuration.maximumEntries),
                addresses: LRUCache(capacity: configuration.maximumEntries)
            )
        )
        self.clock = clock
    }

    /// Decides whether `identity` may be tried from `address` now.
    /// - Parameters:
    ///   - identity: The user name (compared without case) or `client:<consumer key>`.
    ///   - address: The client's address.
    ///   - secret: What is checked.
    public func attempt(_ identity: String, from address: String, secret: Secret) -> Decision {
        let key = PairKey(identity: identity.lowercased(), address: address)
        let now = clock.now.timeIntervalSince1970
        return state.withLock { state in
            var wait = 0.0
            if let failures = state.pairs.value(for: key), failures.count >= configuration.freeFailures {
                wait = failures.last + delay(after: failures.count) - now
            }
            var entry = state.addresses.value(for: address)
                ?? AddressState(bucket: TokenBucket(rate: rate, now: now), passwordChecks: 0)
            wait = max(wait, entry.bucket.wait(rate: rate, now: now))
            if secret == .password && entry.passwordChecks >= configuration.concurrentPasswordChecks {
                wait = max(wait, 1)
            }
            guard wait <= 0 else {
                state.addresses.set(entry, for: address)
                return .refused(retryAfter: max(1, Int(wait.rounded(.up))))
            }
            if secret == .password { entry.passwordChecks += 1 }
            state.addresses.set(entry, for: address)
            return .admitted
        }
    }

    /// Records how an admitted check ended.
    public func finish(_ identity: String, from address: String, secret: Secret, outcome: Outcome) {
        let key = PairKey(identity: identity.lowercased(), address: address)
        let now = clock.now.timeIntervalSince1970
        state.withLock { state in
            var entry = state.addresses.value(for: address)
                ?? AddressState(bucket: TokenBucket(rate: rate, now: now), passwordChecks: 0)
            if secret == .password { entry.passwordChecks = max(0, entry.passwordChecks - 1) }
            switch outcome {
            case .success:
                state.pairs.remove(key)
            case .failure:
                _ = entry.bucket.take(rate: rate, now: now)
                var failures = state.pairs.value(for: key) ?? Failures(count: 0, last: now)
                failures.count += 1
                failures.last = now
                state.pairs.set(failures, for: key)
            case .unknown:
                break
            }
            state.addresses.set(entry, for: address)
        }
    }

    /// The wait after the `failures`-th failure in a row: none for the free ones, then doubling.
    private func delay(after failures: Int) -> Double {
        let excess = failures - configuration.freeFailures
        guard excess >= 0 else { return 0 }
        // Stop doubling long before Double overflows; the cap applies anyway.
        let doubled = configuration.baseDelay * pow(2, Double(min(excess, 62)))
        return min(configuration.maximumDelay, doubled)
    }
}
