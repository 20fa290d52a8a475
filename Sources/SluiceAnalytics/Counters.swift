import Synchronization

/// The batch writer's running totals.
final class Counters: Sendable {
    private let values = Mutex((written: 0, failed: 0))

    func add(written: Int = 0, failed: Int = 0) {
        values.withLock {
            $0.written += written
            $0.failed += failed
        }
    }

    var written: Int { values.withLock { $0.written } }
    var failed: Int { values.withLock { $0.failed } }
}
