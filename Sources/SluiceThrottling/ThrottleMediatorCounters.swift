public import SluiceMediation

/// The `<throttle>` mediator's counters on a throttle counter store: each mediator's callers are counted under
/// their own scope at the API level, apart from every tier's keys.
public struct ThrottleMediatorCounters: MediationThrottleCounters {
    public let store: any ThrottleCounterStore

    public init(store: any ThrottleCounterStore) {
        self.store = store
    }

    public func admit(scope: String, caller: String, limit: Int64, windowMillis: Int64, nowMillis: Int64) -> Bool {
        let key = ThrottleKey(level: .api, scope: scope, subject: caller)
        return store.consume(key: key, limit: limit, windowMillis: windowMillis, nowMillis: nowMillis).admitted
    }
}
