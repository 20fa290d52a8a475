public import Foundation

/// Wall-clock time for token issue and expiry, injected so tests can move time.
public protocol WallClock: Sendable {
    /// The current time.
    var now: Date { get }
}

/// The system clock.
public struct SystemWallClock: WallClock {
    /// Creates the system clock.
    public init() {}

    /// The system time.
    public var now: Date { Date() }
}
