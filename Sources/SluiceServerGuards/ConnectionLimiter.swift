import Synchronization

/// Counts the open connections of one server against its cap; shared by every event loop of that server.
///
/// A cap keeps a flood of idle connections from taking every file descriptor of the process: past it, new
/// connections are closed at once, while those already open and the rest of the process (deployment scans,
/// the database, backend connections) keep the descriptors they need.
public final class ConnectionLimiter: Sendable {
    /// Connections allowed at once.
    public let maximum: Int
    private let open = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)

    /// - Parameter maximum: Connections allowed at once (at least 1).
    public init(maximum: Int) {
        self.maximum = max(1, maximum)
    }

    /// Connections currently counted.
    public var openConnections: Int { open.load(ordering: .relaxed) }

    /// Connections refused since the start.
    public var refusedConnections: Int { refused.load(ordering: .relaxed) }

    /// Counts a new connection; false (and nothing counted) when the cap is reached.
    func acquire() -> Bool {
        let now = open.wrappingAdd(1, ordering: .relaxed).newValue
        guard now > maximum else { return true }
        open.wrappingSubtract(1, ordering: .relaxed)
        refused.wrappingAdd(1, ordering: .relaxed)
        return false
    }

    /// Uncounts a connection that `acquire` counted.
    func release() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}
