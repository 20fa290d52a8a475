import NIOConcurrencyHelpers
import SluiceMediation

/// The SQLite client's single connection as a lease: a statement or a transaction takes it, and whoever comes
/// meanwhile waits in order, for `waitLimit` at most.
final class SQLiteConnectionGate: Sendable {
    private struct State {
        var held = false
        var waiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextID = 0
    }

    private let state = NIOLockedValueBox(State())
    private let waitLimit: Duration

    init(waitLimit: Duration) {
        self.waitLimit = waitLimit
    }

    /// True while a statement or transaction holds the connection (tests watch for leaks with it).
    var isHeld: Bool { state.withLockedValue { $0.held } }

    /// Takes the connection, waiting for it when it is held.
    /// - Throws: `StatementError` when it was not free within the wait limit.
    func acquire() async throws {
        let id = state.withLockedValue { state -> Int? in
            guard state.held else {
                state.held = true
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        let limit = waitLimit
        let granted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let queued = state.withLockedValue { state -> Bool in
                // Released between the two locks: take it now.
                guard state.held else {
                    state.held = true
                    return false
                }
                state.waiters.append((id, continuation))
                return true
            }
            guard queued else { return continuation.resume(returning: true) }
            // Bridges the wait limit to the waiter (a timer callback, no structured parent to hang it on).
            Task { [self] in
                try? await Task.sleep(for: limit)
                let expired = state.withLockedValue { state -> CheckedContinuation<Bool, Never>? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index).continuation
                }
                expired?.resume(returning: false)
            }
        }
        guard granted else {
            throw StatementError(
                statement: 0,
                message: "the SQLite connection stayed held by a transaction for \(limit.components.seconds) s"
            )
        }
    }

    /// Gives the connection to the first waiter, or frees it.
    func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Bool, Never>? in
            guard !state.waiters.isEmpty else {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume(returning: true)
    }
}
