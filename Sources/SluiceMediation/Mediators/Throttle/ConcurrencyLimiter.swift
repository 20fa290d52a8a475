import Synchronization

/// `MaximumConcurrentAccess` of a `<throttle>` policy: how many messages may be inside the mediator's flow at once
/// (Synapse's `ConcurrentAccessController`). A message takes a permit when admitted and gives it back when the
/// backend's response (or a fault) reaches its context, or when its exchange ends in any way: the permit is
/// released by whichever comes first, so a client that went away or a backend that timed out leaks nothing.
final class ConcurrencyLimiter: Sendable {
    /// The limit.
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Messages holding a permit now.
    var current: Int { inFlight.load(ordering: .relaxed) }

    /// A permit, or nil when `limit` messages hold one.
    func acquire() -> ConcurrencyPermit? {
        var taken = inFlight.load(ordering: .relaxed)
        while taken < limit {
            let (exchanged, original) = inFlight.compareExchange(
                expected: taken,
                desired: taken + 1,
                ordering: .acquiringAndReleasing
            )
            if exchanged { return ConcurrencyPermit(limiter: self) }
            taken = original
        }
        return nil
    }

    fileprivate func release() {
        inFlight.subtract(1, ordering: .acquiringAndReleasing)
    }
}

/// One admitted message's place under a `ConcurrencyLimiter`, given back exactly once when the last copy of the
/// message context holding it goes (a response arriving drops it from the context: `MessageContext.receiveResponse`).
final class ConcurrencyPermit: Sendable {
    private let limiter: ConcurrencyLimiter

    fileprivate init(limiter: ConcurrencyLimiter) {
        self.limiter = limiter
    }

    deinit {
        limiter.release()
    }
}
