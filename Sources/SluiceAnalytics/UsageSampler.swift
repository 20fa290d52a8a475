import Synchronization

/// Chooses which calls also get a raw usage event: a fixed share of them, spread evenly (every second call at 0.5,
/// one in a hundred at 0.01), decided by a counter rather than a random draw, so it costs no system call.
public struct UsageSampler: Sendable {
    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// The share of calls sampled, 0...1.
    public let rate: Double
    private let counter = Counter()

    /// Creates a sampler; `rate` is clamped to 0...1.
    public init(rate: Double) {
        self.rate = rate.isNaN ? 0 : min(max(rate, 0), 1)
    }

    /// True for the calls that get a raw event.
    public func sample() -> Bool {
        if rate >= 1 { return true }
        if rate <= 0 { return false }
        let count = counter.value.wrappingAdd(1, ordering: .relaxed).newValue
        return (Double(count) * rate).rounded(.down) != (Double(count - 1) * rate).rounded(.down)
    }
}
