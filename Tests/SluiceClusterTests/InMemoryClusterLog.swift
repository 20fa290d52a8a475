import Foundation
import SluiceStorage
import Synchronization

/// The cluster's shared log, artifacts and counters held in memory, with PostgreSQL's semantics (versions grow by
/// one per change, a pruned log reports a gap, counters add and read back in one step), so the follower's and the
/// replicas' version logic is tested without a database. `PostgresStorageTests` checks the real implementation
/// against the same contract.
final class InMemoryClusterLog: ClusterRepository {
    struct Unreachable: Error {}

    private struct State {
        var version: Int64 = 0
        var events: [ClusterEvent] = []
        var artifacts: [String: StoredArtifact] = [:]
        var counters: [String: Int64] = [:]
        var reachable = true
        var eventReads = 0
    }

    private let state = Mutex(State())

    /// Whether calls succeed; false makes every call throw, as a database that went away.
    var reachable: Bool {
        get { state.withLock { $0.reachable } }
        set { state.withLock { $0.reachable = newValue } }
    }

    /// How many times ``clusterEvents(after:limit:)`` answered.
    var eventReads: Int { state.withLock { $0.eventReads } }

    /// Appends a change and returns its version.
    @discardableResult
    func record(_ topic: ClusterEvent.Topic, _ subject: String) -> Int64 {
        state.withLock { state in
            state.version += 1
            state.events.append(ClusterEvent(version: state.version, topic: topic, subject: subject))
            return state.version
        }
    }

    func latestClusterVersion() async throws -> Int64 {
        try state.withLock { state in
            guard state.reachable else { throw Unreachable() }
            return state.version
        }
    }

    func clusterEvents(after version: Int64, limit: Int) async throws -> (events: [ClusterEvent], complete: Bool) {
        try state.withLock { state in
            guard state.reachable else { throw Unreachable() }
            state.eventReads += 1
            let events = Array(state.events.filter { $0.version > version }.prefix(max(1, limit)))
            let oldest = state.events.first?.version
            let complete = state.version <= version || (oldest.map { $0 <= version + 1 } ?? false)
            return (events, complete)
        }
    }

    func pruneClusterEvents(olderThan age: TimeInterval, keeping keep: Int) async throws {
        state.withLock { state in state.events = Array(state.events.suffix(max(0, keep))) }
    }

    @discardableResult
    func storeArtifact(fileName: String, content: String?) async throws -> Int64 {
        try state.withLock { state in
            guard state.reachable else { throw Unreachable() }
            state.version += 1
            state.artifacts[fileName] = StoredArtifact(fileName: fileName, content: content, version: state.version)
            state.events.append(ClusterEvent(version: state.version, topic: .artifact, subject: fileName))
            return state.version
        }
    }

    func artifacts(after version: Int64) async throws -> [StoredArtifact] {
        try state.withLock { state in
            guard state.reachable else { throw Unreachable() }
            return state.artifacts.values.filter { $0.version > version }.sorted { $0.version < $1.version }
        }
    }

    func addToSharedCounters(_ deltas: [SharedCounterDelta]) async throws -> [Int64] {
        try state.withLock { state in
            guard state.reachable else { throw Unreachable() }
            return deltas.map { delta in
                let key = "\(delta.key)@\(delta.windowStart)"
                state.counters[key, default: 0] += delta.delta
                return state.counters[key, default: 0]
            }
        }
    }

    /// Adds another gateway's count to a shared counter.
    func add(_ amount: Int64, to key: String, windowStart: Int64) {
        state.withLock { $0.counters["\(key)@\(windowStart)", default: 0] += amount }
    }

    func pruneSharedCounters(endedBefore date: Date) async throws {}

    func listenForClusterChanges(
        onListening: @Sendable () async -> Void,
        onChange: @Sendable (Int64) async -> Void
    ) async throws {
        await onListening()
    }
}
