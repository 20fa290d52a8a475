import Foundation
import GRDB
import Logging
import SluiceMediation
import SluiceModel
import Testing

@testable import SluiceAnalytics
@testable import SluiceStorage

/// Rollups through the batch writer into SQLite: merged across flushes, kept through a storage failure, read as
/// exact statistics with minute resolution, and deleted by the retention service.
@Suite struct UsageRollupStorageTests {
    static let minute: Int64 = 1_699_999_980_000

    static func event(at offset: Int64, latency: Double, code: Int = 200, app: String = "a1") -> UsageEvent {
        UsageEvent(
            requestTime: minute + offset, apiName: "admin--Pizza", apiContext: "/pizza/1.0.0", apiVersion: "1.0.0",
            resourceTemplate: "/menu", resourcePath: "/menu", method: "GET", applicationID: app, username: "bob",
            responseCode: code, responseTimeMillis: latency
        )
    }

    @Test func flushesOfTheSameMinuteAddUp() async throws {
        let storage = try SQLiteStorage.inMemory()
        let rollups = UsageRollupAggregator()
        let writer = UsageBatchWriter(rollups: rollups, queue: nil, repository: storage, logger: Logger(label: "test"))
        for latency in 1...10 { rollups.record(Self.event(at: Int64(latency), latency: Double(latency))) }
        #expect(await writer.flush() == 10)
        for latency in 11...20 { rollups.record(Self.event(at: Int64(latency), latency: Double(latency), code: latency == 20 ? 500 : 200)) }
        #expect(await writer.flush() == 10)
        #expect(await writer.flush() == 0)
        #expect(writer.rolledUpCount == 20)
        let stats = try await storage.usageStatistics(
            groupedBy: .version, filter: UsageStatistics.Filter(from: Self.minute, to: Self.minute + 60_000)
        )
        #expect(stats.count == 1)
        #expect(stats[0].requestCount == 20 && stats[0].errorCount == 1)
        #expect(stats[0].averageLatencyMillis == 10.5)
        #expect(stats[0].p95LatencyMillis == 19)
        #expect(stats[0].lastAccessMillis == Self.minute + 20)
        // Two rows at most (status classes 2 and 5), however many flushes.
        let rows = try await storage.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM usage_rollups") ?? 0 }
        #expect(rows == 2)
        #expect(try await storage.rawUsageEventCount(from: Self.minute, to: Self.minute + 60_000) == 0)
    }

    @Test func aMinuteCountsInTheRangeHoldingItsStart() async throws {
        let storage = try SQLiteStorage.inMemory()
        try await storage.recordUsage([
            Self.event(at: 5_000, latency: 1), Self.event(at: 65_000, latency: 1), Self.event(at: 125_000, latency: 1),
        ])
        #expect(try await storage.usageEventCount(from: Self.minute, to: Self.minute + 180_000) == 3)
        #expect(try await storage.usageEventCount(from: Self.minute, to: Self.minute + 60_000) == 1)
        // From inside the first minute: that minute started before the range.
        #expect(try await storage.usageEventCount(from: Self.minute + 1, to: Self.minute + 180_000) == 2)
        #expect(try await storage.usageEventCount(from: Self.minute + 1, to: Self.minute + 60_001) == 1)
    }

    @Test func rollupsRefusedByStorageAreWrittenWithTheNextFlush() async throws {
        let storage = try SQLiteStorage.inMemory()
        let rollups = UsageRollupAggregator()
        let writer = UsageBatchWriter(rollups: rollups, queue: nil, repository: storage, logger: Logger(label: "test"))
        rollups.record(Self.event(at: 1, latency: 2))
        try await storage.write("break") { db in try db.execute(sql: "ALTER TABLE usage_rollups RENAME TO away") }
        #expect(await writer.flush() == 0)
        #expect(rollups.keyCount == 1)
        rollups.record(Self.event(at: 2, latency: 4))
        try await storage.write("mend") { db in try db.execute(sql: "ALTER TABLE away RENAME TO usage_rollups") }
        #expect(await writer.flush() == 2)
        #expect(try await storage.usageEventCount(from: Self.minute, to: Self.minute + 60_000) == 2)
    }

    @Test func retentionDeletesOldRollupsAndOlderRawEvents() async throws {
        let storage = try SQLiteStorage.inMemory()
        let day: Int64 = 86_400_000
        let now = Self.minute + 100 * day
        try await storage.recordUsage([
            Self.event(at: 0, latency: 1),  // 100 days old: past both retentions
            Self.event(at: 50 * day, latency: 1),  // 50 days: a rollup to keep, a raw event to delete
            Self.event(at: 99 * day, latency: 1),  // 1 day: kept
        ])
        let service = UsageRetentionService(
            repository: storage, wallClock: EpochClock { now }, clock: ContinuousClock(), logger: Logger(label: "test")
        )
        let deleted = await service.runOnce()
        #expect(deleted.rollups == 1 && deleted.events == 2)
        #expect(try await storage.usageEventCount(from: 0, to: now) == 2)
        #expect(try await storage.rawUsageEventCount(from: 0, to: now) == 1)
        #expect(await service.runOnce() == (0, 0))
    }
}
