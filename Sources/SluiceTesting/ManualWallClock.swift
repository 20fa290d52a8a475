import Foundation
import SluiceKeyManager
import Synchronization

/// A wall clock that stands still until a test moves it: token expiry, sessions, the login throttle.
///
/// ```swift
/// let clock = ManualWallClock()
/// let keyManager = try await KeyManager(storage: storage, configuration: KeyManagerConfiguration(clock: clock))
/// clock.advance(by: 3_601)
/// ```
public final class ManualWallClock: WallClock {
    private let current: Mutex<Date>

    /// Starts at `start`: a fixed instant by default, so tests that print times stay the same from run to run.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
