/// Pauses between reconnection attempts: doubling from `initial` up to `maximum`, back to `initial` on success.
/// No pause exceeds `maximum`, not even the first.
struct Backoff: Sendable {
    let initial: Duration
    let maximum: Duration
    private(set) var current: Duration

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.current = min(initial, maximum)
    }

    /// The pause before the next attempt; the one after it is twice as long, up to the maximum.
    mutating func next() -> Duration {
        defer { current = min(current * 2, maximum) }
        return current
    }

    /// After a success: the next failure waits `initial` again.
    mutating func reset() {
        current = min(initial, maximum)
    }
}
