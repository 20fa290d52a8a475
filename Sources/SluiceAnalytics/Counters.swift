import Synchronization

/// The batch writer's running totals.
final class Counters: Sendable {
    private let values = Mutex((written: 0, failed: 0, rolledUp: 0))

    func add(written: Int = 0, failed: Int = 0, rolledUp: Int = 0) {
        values.withLock {
            $0.written += written
            $0.failed += failed
            $0.rolledUp += rolledUp
        }
    }

    var written: Int { values.withLock { $0.written } }
    var failed: Int { values.withLock { $0.failed } }
    var rolledUp: Int { values.withLock { $0.rolledUp } }
}
