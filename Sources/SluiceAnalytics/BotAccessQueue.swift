public import SluiceMediation
public import SluiceModel
import Synchronization

/// The bounded queue between `BotDetectionMediator` on the event loop and ``BotAccessWriter``: ``offer(_:)`` never
/// blocks nor waits for storage; when `capacity` records wait, a new one is dropped and counted.
///
/// Records are bounded in size (``BotAccess/maxTextBytes`` for headers and body each), so the queue holds at most
/// about `capacity` × 8 KiB (8 MiB with the default 1,000).
public final class BotAccessQueue: BotAccessSink {
    private struct State {
        var accesses: [BotAccess] = []
        var dropped = 0
        var accepted = 0
    }

    /// Records held at most.
    public let capacity: Int
    private let state = Mutex(State())

    /// Creates an empty queue.
    /// - Parameter capacity: Records held at most (at least 1).
    public init(capacity: Int = 1_000) {
        self.capacity = max(1, capacity)
    }

    public func offer(_ access: BotAccess) {
        state.withLock { state in
            guard state.accesses.count < capacity else {
                state.dropped += 1
                return
            }
            state.accesses.append(access)
            state.accepted += 1
        }
    }

    /// Removes and returns every waiting record, oldest first.
    public func drain() -> [BotAccess] {
        state.withLock { state in
            defer { state.accesses.removeAll(keepingCapacity: false) }
            return state.accesses
        }
    }

    /// Puts records back in front after storage refused them, as far as there is room (the rest are dropped).
    /// - Parameter accesses: The records `drain()` returned.
    public func restore(_ accesses: [BotAccess]) {
        state.withLock { state in
            let room = max(0, capacity - state.accesses.count)
            let kept = accesses.prefix(room)
            state.dropped += accesses.count - kept.count
            state.accesses.insert(contentsOf: kept, at: 0)
        }
    }

    /// Records waiting to be written.
    public var count: Int { state.withLock { $0.accesses.count } }
    /// Records dropped because the queue was full, since the start.
    public var droppedCount: Int { state.withLock { $0.dropped } }
    /// Records accepted, since the start.
    public var acceptedCount: Int { state.withLock { $0.accepted } }
}
