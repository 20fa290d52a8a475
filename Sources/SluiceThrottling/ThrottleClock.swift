#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers

/// Wall-clock milliseconds for throttle windows. Injected so tests move time by hand.
public protocol ThrottleClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMillis() -> Int64
}

/// The real clock (`CLOCK_REALTIME`): windows and `nextAccessTime` are shown to callers as wall time.
public struct SystemThrottleClock: ThrottleClock {
    public init() {}

    public func nowMillis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// A clock that moves only when told to; for tests of windows, bursts and expiry.
public final class ManualThrottleClock: ThrottleClock {
    private let current: NIOLockedValueBox<Int64>

    public init(startingAt millis: Int64 = 1_700_000_000_000) {
        current = NIOLockedValueBox(millis)
    }

    public func nowMillis() -> Int64 { current.withLockedValue { $0 } }

    /// Moves the clock forward by `millis`.
    public func advance(by millis: Int64) {
        current.withLockedValue { $0 += millis }
    }
}
