import Synchronization

/// One listener's port, known once its server has bound it (the kernel's pick when configured as 0). Waiters
/// suspend until the server reports the port, or until it ends without doing so (a failed bind, a shutdown before
/// the start), so asking for a port never waits forever.
final class BoundListenerPort: Sendable {
    private enum State {
        /// Not bound yet: who waits for it.
        case waiting([CheckedContinuation<Int, any Error>])
        /// Bound: the final state for a listener that started.
        case bound(Int)
        /// The server ended without binding, or the listener is off: the final state otherwise.
        case failed(ListenerNotBound)
    }

    /// How the listener is named in errors: "management HTTP", "management HTTPS".
    let name: String
    private let state: Mutex<State>

    /// A listener still to be bound.
    init(name: String) {
        self.name = name
        self.state = Mutex(.waiting([]))
    }

    /// A listener that will never be bound (switched off, or not part of this node).
    init(name: String, off reason: String) {
        self.name = name
        self.state = Mutex(.failed(ListenerNotBound(listener: name, reason: reason)))
    }

    /// Records the bound port and wakes the waiters; a second report changes nothing.
    func report(_ port: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .bound(port)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    /// Ends the wait for a listener whose server stopped: no effect once the port is known.
    func serverEnded(_ reason: String) {
        let failure = ListenerNotBound(listener: name, reason: reason)
        let waiters = state.withLock { state -> [CheckedContinuation<Int, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .failed(failure)
            return waiters
        }
        for waiter in waiters { waiter.resume(throwing: failure) }
    }

    /// The bound port, once the listener is up.
    /// - Throws: ``ListenerNotBound`` when the server ended without binding it, or the listener is off.
    var port: Int {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let known: Result<Int, ListenerNotBound>? = state.withLock { state in
                    switch state {
                    case .waiting(var waiters):
                        waiters.append(continuation)
                        state = .waiting(waiters)
                        return nil
                    case .bound(let port): return .success(port)
                    case .failed(let failure): return .failure(failure)
                    }
                }
                if let known { continuation.resume(with: known) }
            }
        }
    }
}

/// A listener's port was asked for, but the listener is off or its server ended without binding it.
public struct ListenerNotBound: Error, Sendable, CustomStringConvertible {
    /// "management HTTP", "gateway HTTPS"...
    public let listener: String
    /// Why: off, or how its server ended.
    public let reason: String

    public var description: String { "the \(listener) listener is not bound: \(reason)" }
}
