import NIOConcurrencyHelpers
import NIOCore

/// A clock that stands still until a test moves it: inject `now` where code reads `NIODeadline.now()`.
///
/// ```swift
/// let clock = ManualDeadlineClock()
/// let service = Something(now: clock.now)
/// clock.advance(by: .seconds(61))
/// ```
public final class ManualDeadlineClock: Sendable {
    private let current: NIOLockedValueBox<NIODeadline>

    /// Starts at `start` (the real current time by default, so deadlines compare sensibly).
    public init(start: NIODeadline = .now()) {
        current = NIOLockedValueBox(start)
    }

    /// The clock's time.
    @Sendable public func now() -> NIODeadline {
        current.withLockedValue { $0 }
    }

    /// Moves the clock forward.
    public func advance(by amount: TimeAmount) {
        current.withLockedValue { $0 = $0 + amount }
    }
}
