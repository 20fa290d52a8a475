import Foundation
import GRDB
import SluiceModel
import Testing

@testable import SluiceStorage

/// The rollup table: an upgrade folds the raw events already stored into it.
@Suite struct UsageRollupMigrationTests {
    static let minute: Int64 = 1_699_999_980_000

    @Test func migrationRollsUpTheRawEventsAlreadyStored() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-rollup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("usage.db").path
        // A database as the previous version left it, with raw events only.
        let queue = try DatabaseQueue(path: path)
        try SQLiteMigrations.migrator().migrate(queue, upTo: InternalClientMigration.identifier)
        try await queue.write { db in
            for (offset, latency, code) in [(1_000.0, 3.0, 200), (2_000, 5, 200), (3_000, 7, 503), (70_000, 1, 200)] {
                try db.execute(
                    sql: """
                        INSERT INTO usage_events (request_time, api_name, api_context, api_version, resource, http_method,
                            application_id, username, response_code, response_time_ms, throttled_out)
                        VALUES (?, 'admin--Pizza', '/pizza/1.0.0', '1.0.0', '/menu', 'GET', 'a1', NULL, ?, ?, 0)
                        """,
                    arguments: [(Double(Self.minute) + offset) / 1000, code, latency]
                )
            }
        }
        try queue.close()
        let storage = try SQLiteStorage(path: path)
        let stats = try await storage.usageStatistics(
            groupedBy: .application, filter: UsageStatistics.Filter(from: Self.minute, to: Self.minute + 120_000)
        )
        #expect(stats.count == 1)
        #expect(stats[0].requestCount == 4 && stats[0].errorCount == 1)
        #expect(stats[0].averageLatencyMillis == 4)
        #expect(stats[0].p95LatencyMillis == 7)
        #expect(stats[0].lastAccessMillis == Self.minute + 70_000)
        #expect(try await storage.usageEventCount(from: Self.minute, to: Self.minute + 60_000) == 3)
        #expect(try await storage.tableNames().contains("usage_aggregates") == false)
    }
}
