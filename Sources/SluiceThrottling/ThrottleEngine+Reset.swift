extension ThrottleEngine {
    /// Resets the application-level counters (quota and burst) of one application and user, as WSO2's
    /// `reset-throttle-policy` does: their next request is counted in a new window.
    /// - Returns: false when the counters are shared by a cluster (a reset here would come back with the next sync
    ///   of the shared totals), true once the local counters are reset.
    public func resetApplication(_ applicationID: String, user: String) -> Bool {
        guard let local = store as? LocalCounterStore else { return false }
        local.reset([
            ThrottleKey(level: .application, scope: applicationID, subject: user),
            ThrottleKey(level: .applicationBurst, scope: applicationID, subject: user),
        ])
        return true
    }
}
