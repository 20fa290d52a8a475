import Foundation
import GRDB
import SluiceModel
import Testing

@testable import SluiceStorage

/// The analytics' dimensions of the rollups (fault code, tier, backend) and their figures (p99, backend latency),
/// against each storage: exact counts across flushes, the provider filter, and an upgrade that keeps old rows.
@Suite struct UsageDimensionContractTests {
    static let start: Int64 = 1_800_000_000_000

    /// 30 calls of one minute: 20 to the first backend at 1-20 ms (backend 1-20 ms less one), 6 to the second,
    /// 4 refused by the gateway (fault 900901 twice, throttled twice under Bronze).
    static func events() -> [UsageEvent] {
        var events: [UsageEvent] = []
        for index in 0..<30 {
            let backend = index < 20 ? "http://one.example/api" : index < 26 ? "http://two.example/api" : nil
            let throttled = index >= 28
            let faulted = index == 26 || index == 27
            events.append(
                UsageEvent(
                    requestTime: start + Int64(index) * 1000, apiName: index % 3 == 0 ? "bob--Books" : "alice--Pizza",
                    apiContext: "/api", apiVersion: "1.0", apiProvider: index % 3 == 0 ? "bob" : "alice",
                    resourceTemplate: "/menu", resourcePath: "/menu", method: "GET", applicationID: "app-1",
                    username: "carol", responseCode: throttled ? 429 : faulted ? 401 : index == 5 ? 503 : 200,
                    responseTimeMillis: Double(index + 1), backendTimeMillis: backend == nil ? nil : Double(index),
                    throttledOutReason: throttled ? "SUBSCRIPTION_LIMIT_EXCEEDED" : nil,
                    errorCode: faulted ? 900901 : throttled ? 900800 : nil, tier: index < 20 ? "Gold" : "Bronze",
                    backend: backend
                )
            )
        }
        return events
    }

    @Test(arguments: StorageBackend.available)
    func dimensionsGroupExactlyAcrossFlushes(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            let events = Self.events()
            // Three flushes of the gateway: the same keys add up, histograms merge.
            for range in [0..<10, 10..<21, 21..<30] {
                try await storage.insertUsageRollups(UsageRollup.rollUp(Array(events[range])))
            }
            let filter = UsageStatistics.Filter(from: Self.start, to: Self.start + 60_000)
            let total = try #require(try await storage.usageStatistics(groupedBy: .total, filter: filter).first)
            #expect(total.requestCount == 30 && total.errorCount == 5 && total.throttledCount == 2)
            #expect(total.p95LatencyMillis == 29 && total.p99LatencyMillis == 30)
            #expect(total.backendAverageLatencyMillis == 12.5)
            #expect(total.backendP95LatencyMillis == 24 && total.backendP99LatencyMillis == 25)

            let classes = try await storage.usageStatistics(groupedBy: .statusClass, filter: filter)
            #expect(classes.map(\.key) == ["2", "4", "5"])
            #expect(classes.map(\.requestCount) == [25, 4, 1])
            let faults = try await storage.usageStatistics(groupedBy: .faultCode, filter: filter)
            #expect(faults.map(\.key) == ["0", "900800", "900901"])
            #expect(faults.map(\.requestCount) == [26, 2, 2])
            let tiers = try await storage.usageStatistics(groupedBy: .tier, filter: filter)
            #expect(tiers.map(\.key) == ["Bronze", "Gold"])
            #expect(tiers.map(\.throttledCount) == [2, 0])
            let backends = try await storage.usageStatistics(groupedBy: .backend, filter: filter)
            #expect(backends.map(\.key) == ["", "http://one.example/api", "http://two.example/api"])
            #expect(backends.map(\.requestCount) == [4, 20, 6])
            let one = backends[1]
            #expect(one.backendAverageLatencyMillis == 9.5 && one.backendP95LatencyMillis == 18)
            #expect(one.backendP99LatencyMillis == 19 && one.averageLatencyMillis == 10.5)
            #expect(backends[0].backendAverageLatencyMillis == 0)

            var alices = filter
            alices.apiProvider = "alice"
            let byAPI = try await storage.usageStatistics(groupedBy: .api, filter: alices)
            #expect(byAPI.map(\.key) == ["alice--Pizza"] && byAPI[0].requestCount == 20)
        }
    }

    @Test func upgradeKeepsTheRollupsOfThePreviousSchema() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-dims-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("usage.db").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteMigrations.migrator().migrate(queue, upTo: RevokedAPIKeyMigration.identifier)
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO usage_rollups VALUES (?, 'admin--Pizza', '/pizza', '1.0', 'admin', '/menu', 'GET', 'a1',
                        'bob', 2, 7, 1, 2, 21.0, '1=3,4=4', ?)
                    """,
                arguments: [Self.start, Self.start + 5_000]
            )
        }
        try queue.close()
        let storage = try SQLiteStorage(path: path)
        let filter = UsageStatistics.Filter(from: Self.start, to: Self.start + 60_000)
        let row = try #require(try await storage.usageStatistics(groupedBy: .faultCode, filter: filter).first)
        #expect(row.key == "0" && row.requestCount == 7 && row.errorCount == 1 && row.throttledCount == 2)
        #expect(row.p95LatencyMillis == 4 && row.averageLatencyMillis == 3)
        // New calls of the same key add to the upgraded row.
        try await storage.insertUsageRollups(
            UsageRollup.rollUp([
                UsageEvent(
                    requestTime: Self.start + 9_000, apiName: "admin--Pizza", apiContext: "/pizza", apiVersion: "1.0",
                    apiProvider: "admin", resourceTemplate: "/menu", resourcePath: "/menu", method: "GET",
                    applicationID: "a1", username: "bob", responseCode: 200, responseTimeMillis: 4
                )
            ])
        )
        let merged = try #require(try await storage.usageStatistics(groupedBy: .total, filter: filter).first)
        #expect(merged.requestCount == 8 && merged.lastAccessMillis == Self.start + 9_000)
        #expect(try await storage.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM usage_rollups") } == 1)
    }
}
