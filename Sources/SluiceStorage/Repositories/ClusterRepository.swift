public import Foundation

/// What the nodes of a cluster share beyond the other repositories: the log of changes gateways follow, the
/// gateway artifacts, and throttle counters. The PostgreSQL storage implements it; the embedded SQLite storage
/// serves one node and does not.
public protocol ClusterRepository: Sendable {
    /// The latest change's version (0 when nothing changed yet).
    func latestClusterVersion() async throws -> Int64

    /// Changes after `version`, oldest first.
    /// - Parameters:
    ///   - version: The last version the caller applied.
    ///   - limit: The most events returned.
    /// - Returns: The events, and whether they follow on from `version` (false when older events were pruned:
    ///   the caller must reload everything instead).
    func clusterEvents(after version: Int64, limit: Int) async throws -> (events: [ClusterEvent], complete: Bool)

    /// Deletes events older than `age` seconds, keeping the latest `keep` whatever their age.
    func pruneClusterEvents(olderThan age: TimeInterval, keeping keep: Int) async throws

    /// Stores a gateway artifact (nil `content`: removed) and announces it as an ``ClusterEvent/Topic/artifact``
    /// event, in one transaction.
    /// - Returns: The artifact's new version.
    @discardableResult
    func storeArtifact(fileName: String, content: String?) async throws -> Int64

    /// Artifacts changed after `version`, oldest first (removed ones with nil content).
    func artifacts(after version: Int64) async throws -> [StoredArtifact]

    /// Adds to shared counters and reads their totals, in one statement.
    /// - Parameter deltas: What this node counted since its last sync (0 to only read a total).
    /// - Returns: The total of each counter after the addition, in the order of `deltas`.
    func addToSharedCounters(_ deltas: [SharedCounterDelta]) async throws -> [Int64]

    /// Deletes counters whose window ended before `date`.
    func pruneSharedCounters(endedBefore date: Date) async throws

    /// Waits for change announcements and calls `onChange` with each announced version, until the connection
    /// breaks (it throws) or the task is cancelled (it returns). `onListening` runs once the node listens, before
    /// any announcement: a caller catches up from storage then, so no change falls between.
    func listenForClusterChanges(
        onListening: @Sendable () async -> Void,
        onChange: @Sendable (Int64) async -> Void
    ) async throws
}

/// A gateway artifact as the cluster stores it.
public struct StoredArtifact: Sendable, Hashable {
    /// The file name inside a gateway's `api/` folder.
    public var fileName: String
    /// The artifact XML; nil when the publisher removed the file.
    public var content: String?
    /// The change that last wrote it.
    public var version: Int64

    /// Creates a value.
    public init(fileName: String, content: String?, version: Int64) {
        self.fileName = fileName
        self.content = content
        self.version = version
    }
}

/// What one node adds to a shared counter.
public struct SharedCounterDelta: Sendable, Hashable {
    /// The counter (a throttle key's flat form).
    public var key: String
    /// Start of the fixed window, epoch milliseconds (aligned, so every node names the same window).
    public var windowStart: Int64
    /// End of the window, epoch milliseconds (rows are pruned after it).
    public var windowEnd: Int64
    /// Requests (or bytes) counted since the last sync.
    public var delta: Int64

    /// Creates a value.
    public init(key: String, windowStart: Int64, windowEnd: Int64, delta: Int64) {
        self.key = key
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.delta = delta
    }
}
