/// Continuations parked until something the deployer tracks ends (the running pass, the running fetches), by id, so
/// that a wait cancelled (timed out) before it parked returns at once instead of parking for ever. Kept inside the
/// deployer's locked state; the caller checks its condition and parks under the same lock.
struct ParkedWaiters<Value: Sendable> {
    private var parked: [UInt64: CheckedContinuation<Value, Never>] = [:]
    private var cancelledBeforeParking: Set<UInt64> = []
    private var lastID: UInt64 = 0

    /// A new waiter's id.
    mutating func makeID() -> UInt64 {
        lastID += 1
        return lastID
    }

    /// Parks `continuation` under `id`, unless its wait was cancelled already or `ready` says there is nothing to
    /// wait for.
    /// - Returns: False when the caller is to resume `continuation` itself, at once.
    mutating func park(_ id: UInt64, _ continuation: CheckedContinuation<Value, Never>, unless ready: Bool) -> Bool {
        if cancelledBeforeParking.remove(id) != nil || ready { return false }
        parked[id] = continuation
        return true
    }

    /// Takes the parked continuation of a cancelled wait; nil when it has not parked yet (it then does not).
    mutating func cancel(_ id: UInt64) -> CheckedContinuation<Value, Never>? {
        guard let continuation = parked.removeValue(forKey: id) else {
            cancelledBeforeParking.insert(id)
            return nil
        }
        return continuation
    }

    /// Takes every parked continuation, to be resumed outside the lock.
    mutating func takeAll() -> [CheckedContinuation<Value, Never>] {
        defer { parked = [:] }
        return Array(parked.values)
    }
}
