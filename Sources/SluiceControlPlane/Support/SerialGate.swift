/// Lets one task at a time through, in arrival order, across suspension points (an actor alone does not:
/// it is reentrant at every `await`).
///
/// The publisher's writes go through one gate, so two lifecycle changes or edits of APIs never interleave their
/// read, gateway-folder and storage steps.
actor SerialGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let onLeave: @Sendable () -> Void

    /// Creates a gate.
    /// - Parameter onLeave: Runs after each body, before the next one enters (the publisher's gate tells the key
    ///   manager that API scope declarations may have changed).
    init(onLeave: @escaping @Sendable () -> Void = {}) {
        self.onLeave = onLeave
    }

    /// Runs `body` alone.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await enter()
        do {
            let result = try await body()
            leave()
            return result
        } catch {
            leave()
            throw error
        }
    }

    private func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func leave() {
        onLeave()
        // The next waiter inherits `busy`, so no newcomer can slip in between.
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}
