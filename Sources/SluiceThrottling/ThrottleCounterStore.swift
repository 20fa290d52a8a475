/// Where request counts live. The local store keeps them in this process; a cluster replaces it with a shared
/// store (PostgreSQL, Redis) behind the same protocol so limits do not grow with the number of gateways.
public protocol ThrottleCounterStore: Sendable {
    /// Counts one request against `limit` requests per `windowMillis`, in a window that starts with the first request
    /// seen for `key` and lasts `windowMillis`.
    ///
    /// A rejected request is not counted, so a throttled caller does not use up the next window by retrying.
    /// - Returns: whether the request is admitted, the count in the window after it, and when the window ends.
    func consume(key: ThrottleKey, limit: Int64, windowMillis: Int64, nowMillis: Int64) -> CounterDecision

    /// Adds `amount` bytes to the byte total of `key` (kept apart from its request count) in a window that starts
    /// with the first charge and lasts `windowMillis`. Bytes already sent are always added.
    ///
    /// With `amount` 0 this only asks whether a new request may start (bandwidth tiers are checked before the
    /// call and charged with the response's bytes after it).
    /// - Returns: admitted when the total before this charge was under `limit`; `count` is the total after it.
    func charge(key: ThrottleKey, amount: Int64, limit: Int64, windowMillis: Int64, nowMillis: Int64) -> CounterDecision
}

/// The answer of a counter store for one request.
public struct CounterDecision: Sendable, Hashable {
    public var admitted: Bool
    /// Requests counted in the current window, including this one when admitted.
    public var count: Int64
    /// When the current window ends (epoch milliseconds): the caller may retry then.
    public var windowEndMillis: Int64

    public init(admitted: Bool, count: Int64, windowEndMillis: Int64) {
        self.admitted = admitted
        self.count = count
        self.windowEndMillis = windowEndMillis
    }
}
