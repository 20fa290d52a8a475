import NIOCore
public import SluiceModel
import Synchronization

/// The bounded hand-over between the event loops and the access-log writer: `offer` takes a lock for an append
/// and never waits; when the buffer is full the record is dropped and counted, so a slow disk or terminal can
/// never hold up a request.
public final class AccessLogBuffer: Sendable {
    private struct State {
        var records = CircularBuffer<AccessLogRecord>(initialCapacity: 64)
        var dropped = 0
    }

    /// Records held at most.
    public let capacity: Int
    private let state = Mutex(State())

    /// Creates an empty buffer.
    /// - Parameter capacity: Records held at most (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues a record; false when the buffer was full and the record was dropped.
    @discardableResult
    public func offer(_ record: AccessLogRecord) -> Bool {
        state.withLock { state in
            guard state.records.count < capacity else {
                state.dropped += 1
                return false
            }
            state.records.append(record)
            return true
        }
    }

    /// Takes up to `maxCount` records, oldest first.
    public func drain(maxCount: Int) -> [AccessLogRecord] {
        state.withLock { state in
            var taken: [AccessLogRecord] = []
            taken.reserveCapacity(min(maxCount, state.records.count))
            while taken.count < maxCount, let record = state.records.popFirst() { taken.append(record) }
            return taken
        }
    }

    /// Records waiting now.
    public var count: Int { state.withLock { $0.records.count } }
    /// Records dropped because the buffer was full, since the start.
    public var droppedCount: Int { state.withLock { $0.dropped } }
}
