import Logging
import ServiceLifecycle
import SluiceModel
import SluiceStorage
import Testing

@testable import SluiceAnalytics

@Suite struct UsageStatisticsTests {
    /// The start of a minute (rollups count a minute in a range when its start falls in it).
    static let base: Int64 = 1_699_999_980_000

    static func event(
        at offset: Int64, api: String = "admin--Pizza", version: String = "1.0.0", app: String? = "app-1",
        user: String? = "bob", code: Int = 200, latency: Double, throttled: String? = nil, resource: String = "/menu",
        method: String = "GET"
    ) -> UsageEvent {
        UsageEvent(
            requestTime: base + offset, apiName: api, apiContext: "/pizza/" + version, apiVersion: version,
            resourceTemplate: resource, resourcePath: resource, method: method, applicationID: app, username: user,
            responseCode: code, responseTimeMillis: latency, throttledOutReason: throttled
        )
    }

    static func writer(_ queue: UsageEventQueue, _ storage: SQLiteStorage) -> UsageBatchWriter<ContinuousClock> {
        UsageBatchWriter(queue: queue, repository: storage, batchSize: 7, logger: Logger(label: "test"))
    }

    @Test func writerStoresEveryQueuedRawEventInBatches() async throws {
        let storage = try SQLiteStorage.inMemory()
        let queue = UsageEventQueue(capacity: 100)
        for index in 0..<20 { queue.offer(Self.event(at: Int64(index), latency: 1)) }
        let writer = Self.writer(queue, storage)
        #expect(await writer.flush() == 20)
        #expect(queue.count == 0)
        #expect(try await storage.rawUsageEventCount(from: Self.base, to: Self.base + 20) == 20)
        #expect(try await storage.rawUsageEventCount(from: Self.base, to: Self.base + 10) == 10)
        #expect(writer.writtenCount == 20)
        // Raw events alone are not statistics: those come from the rollups.
        #expect(try await storage.usageEventCount(from: Self.base, to: Self.base + 60_000) == 0)
    }

    @Test func statisticsPerGroupingOverARange() async throws {
        let storage = try SQLiteStorage.inMemory()
        var events: [UsageEvent] = []
        // 20 calls to 1.0.0 with latencies 1...20 ms, two errors, one throttled.
        for index in 1...20 {
            events.append(
                Self.event(
                    at: Int64(index) * 1_000, latency: Double(index), throttled: index == 20 ? "SUBSCRIPTION_LIMIT_EXCEEDED" : nil,
                    resource: index % 2 == 0 ? "/menu" : "/order", method: index % 2 == 0 ? "GET" : "POST"
                ).with(code: index == 19 ? 500 : (index == 20 ? 429 : 200))
            )
        }
        events.append(Self.event(at: 5_500, version: "2.0.0", app: "app-2", user: "carol", latency: 100))
        // Outside the range.
        events.append(Self.event(at: 600_000, latency: 1))
        try await storage.insertUsageRollups(UsageRollup.rollUp(events))
        let range = UsageStatistics.Filter(from: Self.base, to: Self.base + 60_000)

        let byAPI = try await storage.usageStatistics(groupedBy: .api, filter: range)
        #expect(byAPI.count == 1)
        #expect(byAPI[0].requestCount == 21)

        let byVersion = try await storage.usageStatistics(groupedBy: .version, filter: range)
        #expect(byVersion.map(\.key) == ["admin--Pizza:1.0.0", "admin--Pizza:2.0.0"])
        let v1 = byVersion[0]
        #expect(v1.requestCount == 20)
        #expect(v1.errorCount == 2)
        #expect(v1.throttledCount == 1)
        #expect(v1.averageLatencyMillis == 10.5)
        #expect(v1.p95LatencyMillis == 19)
        #expect(v1.lastAccessMillis == Self.base + 20_000)

        let byApplication = try await storage.usageStatistics(groupedBy: .application, filter: range)
        #expect(byApplication.map(\.key) == ["app-1", "app-2"])
        #expect(byApplication.map(\.requestCount) == [20, 1])

        let byUser = try await storage.usageStatistics(
            groupedBy: .user, filter: UsageStatistics.Filter(from: Self.base, to: Self.base + 60_000, username: "carol")
        )
        #expect(byUser.map(\.key) == ["carol"])
        #expect(byUser[0].averageLatencyMillis == 100)

        let byResource = try await storage.usageStatistics(
            groupedBy: .resource, filter: UsageStatistics.Filter(from: Self.base, to: Self.base + 60_000, apiVersion: "1.0.0")
        )
        #expect(byResource.map(\.key) == ["admin--Pizza:1.0.0 GET /menu", "admin--Pizza:1.0.0 POST /order"])
        #expect(byResource.map(\.requestCount) == [10, 10])
    }

    @Test func writerServiceFlushesOnGracefulShutdown() async throws {
        let storage = try SQLiteStorage.inMemory()
        let queue = UsageEventQueue(capacity: 100)
        let writer = UsageBatchWriter(
            queue: queue, repository: storage, flushInterval: .seconds(3_600), logger: Logger(label: "test")
        )
        let group = ServiceGroup(services: [writer], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for index in 0..<3 { queue.offer(Self.event(at: Int64(index), latency: 1)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await storage.rawUsageEventCount(from: Self.base, to: Self.base + 10) == 3)
    }

    @Test func percentileIsNearestRank() {
        #expect(UsageStatistics.percentile([], 95) == 0)
        #expect(UsageStatistics.percentile([7], 95) == 7)
        #expect(UsageStatistics.percentile((1...100).map(Double.init), 95) == 95)
        #expect(UsageStatistics.percentile((1...10).map(Double.init), 50) == 5)
    }
}

extension UsageEvent {
    func with(code: Int) -> UsageEvent {
        var copy = self
        copy.responseCode = code
        return copy
    }
}
