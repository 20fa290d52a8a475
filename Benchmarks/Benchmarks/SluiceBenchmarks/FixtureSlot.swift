import Synchronization

/// Holds a fixture that a benchmark's `setup` hook builds once and its measured closure reads.
///
/// The hooks run before any iteration, so building expensive fixtures (10,000 parsed APIs, a key manager on a
/// database) stays out of both the measurement and the registration of every benchmark.
final class FixtureSlot<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    func store(_ value: Value) {
        storage.withLock { $0 = value }
    }

    /// The fixture; a benchmark that reads it before its setup ran is a bug in this target.
    var value: Value {
        guard let value = storage.withLock({ $0 }) else {
            fatalError("benchmark fixture read before its setup hook ran")
        }
        return value
    }
}
