public import SluiceModel
import Synchronization

/// A bounded in-memory queue between the request path and the batch writer: ``offer(_:)`` never blocks and
/// never waits for storage; when the queue is full the event is counted as dropped.
public final class UsageEventQueue: Sendable {
    private struct State {
        var events: [UsageEvent] = []
        /// Index of the oldest event still queued; the array is compacted when the writer drains it.
        var head = 0
        var dropped = 0
        var accepted = 0
    }

    /// Events held at most.
    public let capacity: Int
    private let state = Mutex(State())

    /// Creates an empty queue.
    /// - Parameter capacity: Events held at most (at least 1).
    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// Adds an event unless the queue is full.
    /// - Parameter event: The event.
    /// - Returns: False when the event was dropped.
    @discardableResult
    public func offer(_ event: UsageEvent) -> Bool {
        state.withLock { state in
            guard state.events.count - state.head < capacity else {
                state.dropped += 1
                return false
            }
            state.events.append(event)
            state.accepted += 1
            return true
        }
    }

    /// Removes and returns up to `maxCount` of the oldest events.
    /// - Parameter maxCount: The batch size.
    public func drain(maxCount: Int) -> [UsageEvent] {
        state.withLock { state in
            let end = min(state.events.count, state.head + max(0, maxCount))
            let batch = Array(state.events[state.head..<end])
            state.head = end
            if state.head == state.events.count {
                state.events.removeAll(keepingCapacity: true)
                state.head = 0
            } else if state.head > capacity / 2 {
                state.events.removeFirst(state.head)
                state.head = 0
            }
            return batch
        }
    }

    /// Events waiting to be written.
    public var count: Int { state.withLock { $0.events.count - $0.head } }
    /// Events refused because the queue was full, since the start.
    public var droppedCount: Int { state.withLock { $0.dropped } }
    /// Events accepted, since the start.
    public var acceptedCount: Int { state.withLock { $0.accepted } }
}
