public import Foundation
import Logging
import PostgresNIO
public import SluiceStorage

extension PostgresStorage: ClusterRepository {
    /// The channel change announcements travel on; the payload is the change's version.
    static let changeChannel = "sluice_cluster_changes"

    /// Appends a change to the log in the caller's transaction and announces it on commit.
    ///
    /// The version comes from bumping `cluster_state`'s one row, whose lock the transaction keeps until it ends:
    /// versions are therefore handed out in commit order, and a reader never sees version N+1 before N.
    /// - Returns: The change's version.
    @discardableResult
    func appendEvent(_ topic: ClusterEvent.Topic, subject: String, on connection: PostgresConnection) async throws
        -> Int64
    {
        try await connection.rows(
            """
            WITH next AS (UPDATE cluster_state SET version = version + 1 WHERE id = 1 RETURNING version)
            INSERT INTO cluster_events (version, topic, subject, created_at)
            SELECT version, \(topic.rawValue), \(subject), \(Date().storageSeconds) FROM next
            RETURNING version, pg_notify(\(Self.changeChannel), version::text)
            """,
            logger: logger
        )[0].decode((Int64, String).self).0
    }

    public func latestClusterVersion() async throws -> Int64 {
        try await read { connection in
            try await connection.rows("SELECT version FROM cluster_state WHERE id = 1", logger: logger)[0]
                .decode(Int64.self)
        }
    }

    public func clusterEvents(after version: Int64, limit: Int) async throws -> (events: [ClusterEvent], complete: Bool) {
        try await read { connection in
            let events = try await connection.rows(
                """
                SELECT version, topic, subject FROM cluster_events WHERE version > \(version)
                ORDER BY version LIMIT \(Int64(max(1, limit)))
                """,
                logger: logger
            ).compactMap { row -> ClusterEvent? in
                let (version, topic, subject) = try row.decode((Int64, String, String).self)
                // A topic this build does not know comes from a newer node: skipped, as nothing here uses it.
                return ClusterEvent.Topic(rawValue: topic).map { ClusterEvent(version: version, topic: $0, subject: subject) }
            }
            if let first = events.first, first.version == version + 1 { return (events, true) }
            // Unknown topics may hide the next version: look at the log itself before calling it a gap.
            let oldest = try await connection.rows(
                "SELECT min(version), (SELECT version FROM cluster_state WHERE id = 1) FROM cluster_events",
                logger: logger
            )[0].decode((Int64?, Int64).self)
            let complete = oldest.1 <= version || (oldest.0.map { $0 <= version + 1 } ?? false)
            return (events, complete)
        }
    }

    public func pruneClusterEvents(olderThan age: TimeInterval, keeping keep: Int) async throws {
        try await write("cluster events") { connection in
            try await connection.run(
                """
                DELETE FROM cluster_events
                WHERE created_at < \(Date().storageSeconds - age)
                  AND version <= (SELECT version FROM cluster_state WHERE id = 1) - \(Int64(max(0, keep)))
                """,
                logger: logger
            )
        }
    }

    @discardableResult
    public func storeArtifact(fileName: String, content: String?) async throws -> Int64 {
        try await write("artifact \(fileName)") { connection in
            let version = try await appendEvent(.artifact, subject: fileName, on: connection)
            try await connection.run(
                """
                INSERT INTO gateway_artifacts (file_name, content, version, updated_at)
                VALUES (\(fileName), \(content), \(version), \(Date().storageSeconds))
                ON CONFLICT (file_name) DO UPDATE
                SET content = excluded.content, version = excluded.version, updated_at = excluded.updated_at
                """,
                logger: logger
            )
            return version
        }
    }

    public func artifacts(after version: Int64) async throws -> [StoredArtifact] {
        try await read { connection in
            try await connection.rows(
                "SELECT file_name, content, version FROM gateway_artifacts WHERE version > \(version) ORDER BY version",
                logger: logger
            ).map { row in
                let (fileName, content, version) = try row.decode((String, String?, Int64).self)
                return StoredArtifact(fileName: fileName, content: content, version: version)
            }
        }
    }

    public func addToSharedCounters(_ deltas: [SharedCounterDelta]) async throws -> [Int64] {
        guard !deltas.isEmpty else { return [] }
        // One statement for every counter: the arrays travel as parameters, UNNEST makes rows of them, and the
        // ordinality puts the totals back in the order of `deltas`.
        let keys = deltas.map(\.key)
        let starts = deltas.map(\.windowStart)
        let ends = deltas.map { Double($0.windowEnd) / 1000 }
        let amounts = deltas.map(\.delta)
        let totals = try await write("shared counters") { connection in
            try await connection.rows(
                """
                WITH input AS (
                    SELECT * FROM UNNEST(\(keys)::text[], \(starts)::int8[], \(ends)::float8[], \(amounts)::int8[])
                        WITH ORDINALITY AS t(counter_key, window_start, expires_at, delta, position)
                ), upserted AS (
                    INSERT INTO throttle_counters (counter_key, window_start, count, expires_at)
                    SELECT counter_key, window_start, delta, expires_at FROM input ORDER BY counter_key, window_start
                    ON CONFLICT (counter_key, window_start) DO UPDATE SET count = throttle_counters.count + excluded.count
                    RETURNING counter_key, window_start, count
                )
                SELECT input.position, upserted.count FROM input
                JOIN upserted USING (counter_key, window_start) ORDER BY input.position
                """,
                logger: logger
            ).map { try $0.decode((Int64, Int64).self) }
        }
        var byPosition = [Int64](repeating: 0, count: deltas.count)
        for (position, total) in totals where position >= 1 && position <= deltas.count {
            byPosition[Int(position) - 1] = total
        }
        return byPosition
    }

    public func pruneSharedCounters(endedBefore date: Date) async throws {
        try await write("shared counters") { connection in
            try await connection.run(
                "DELETE FROM throttle_counters WHERE expires_at < \(date.storageSeconds)",
                logger: logger
            )
        }
    }

    public func listenForClusterChanges(
        onListening: @Sendable () async -> Void,
        onChange: @Sendable (Int64) async -> Void
    ) async throws {
        // A connection of its own, outside the pool: LISTEN holds it for as long as the node runs.
        let connection = try await PostgresConnection.connect(
            configuration: try settings.connectionConfiguration(),
            id: 0,
            logger: logger
        )
        do {
            try await connection.listen(on: Self.changeChannel) { notifications in
                await onListening()
                for try await notification in notifications {
                    if let version = Int64(notification.payload) { await onChange(version) }
                }
            }
        } catch {
            try? await connection.close()
            if Task.isCancelled { return }
            throw error
        }
        try? await connection.close()
        if !Task.isCancelled { throw StorageError.unavailable("the PostgreSQL notification connection closed") }
    }
}
