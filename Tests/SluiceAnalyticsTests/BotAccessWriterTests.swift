import Logging
import SluiceMediation
import SluiceModel
import Synchronization
import Testing

@testable import SluiceAnalytics
@testable import SluiceStorage

/// The bot trap's records from the mediator's queue into storage: bounded in the queue, bounded in the database,
/// kept through a storage failure.
@Suite struct BotAccessWriterTests {
    static func access(_ time: Int64) -> BotAccess {
        BotAccess(
            recordedTime: time, messageID: "urn:uuid:\(time)", method: "GET", headerSet: "[Host=gw]",
            messageBody: "<soapenv:Body/>", clientIP: "192.0.2.\(time % 250)"
        )
    }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// A repository that fails while `failing` is set, else writes to `storage`.
    final class Flaky: BotAccessRepository {
        let storage: SQLiteStorage
        let failing = Mutex(false)
        init(_ storage: SQLiteStorage) { self.storage = storage }
        struct Down: Error {}
        func insertBotAccesses(_ accesses: [BotAccess], keepingNewest limit: Int) async throws {
            if failing.withLock({ $0 }) { throw Down() }
            try await storage.insertBotAccesses(accesses, keepingNewest: limit)
        }
        func botAccesses() async throws -> [BotAccess] { try await storage.botAccesses() }
        func deleteBotAccesses(before: Int64) async throws -> Int { try await storage.deleteBotAccesses(before: before) }
    }

    @Test func aFullQueueDropsAndCountsWithoutBlocking() {
        let queue = BotAccessQueue(capacity: 2)
        for time in 0..<5 { queue.offer(Self.access(Int64(time))) }
        #expect(queue.count == 2)
        #expect(queue.droppedCount == 3)
        #expect(queue.acceptedCount == 2)
        #expect(queue.drain().map(\.recordedTime) == [0, 1])
        #expect(queue.count == 0)
    }

    @Test func aFloodKeepsTheDatabaseAtTheLimitAndRetentionDeletesOldRecords() async throws {
        let storage = try SQLiteStorage.inMemory()
        let queue = BotAccessQueue(capacity: 100)
        let writer = BotAccessWriter(
            queue: queue, repository: storage, storedLimit: 50, retention: .seconds(10),
            wallClock: EpochClock { 20_000 }, clock: ContinuousClock(), logger: Self.logger
        )
        for round in 0..<5 {
            for index in 0..<100 { queue.offer(Self.access(Int64(round * 100 + index) * 100)) }
            #expect(await writer.flush() == 100)
        }
        let stored = try await storage.botAccesses()
        #expect(stored.count == 50)
        #expect(stored.first?.recordedTime == 49_900)
        #expect(stored.last?.recordedTime == 45_000)
        try await storage.insertBotAccesses([Self.access(5_000), Self.access(15_000)], keepingNewest: 100)
        // 20 s now, 10 s kept: the record of 5 s goes.
        #expect(await writer.deleteExpired() == 1)
        #expect(try await storage.botAccesses().count == 51)
    }

    @Test func aBatchStorageRefusesIsWrittenWithTheNextFlush() async throws {
        let repository = Flaky(try SQLiteStorage.inMemory())
        let queue = BotAccessQueue(capacity: 10)
        let writer = BotAccessWriter(
            queue: queue, repository: repository, clock: ContinuousClock(), logger: Self.logger
        )
        queue.offer(Self.access(1))
        repository.failing.withLock { $0 = true }
        #expect(await writer.flush() == 0)
        #expect(queue.count == 1)
        repository.failing.withLock { $0 = false }
        queue.offer(Self.access(2))
        #expect(await writer.flush() == 2)
        #expect(try await repository.botAccesses().map(\.recordedTime) == [2, 1])
    }
}
