public import SluiceStorage

/// A part of a node that keeps a copy of shared state (validation index, lifecycle states, tiers, artifacts) and
/// follows the cluster's change log to keep it current. ``ClusterFollower`` calls it from one task at a time.
public protocol ClusterChangeHandler: Sendable {
    /// Loads everything again from storage: at start, and when the log no longer holds changes this node missed.
    /// - Throws: Storage errors (the follower retries later).
    func reloadAll() async throws

    /// Applies one change, reading what it names from storage.
    /// - Throws: Storage errors (the follower retries the change later).
    func apply(_ event: ClusterEvent) async throws

    /// Housekeeping the follower runs about once a minute (forgetting what expired); nothing by default.
    func tidy()
}

extension ClusterChangeHandler {
    public func tidy() {}
}
