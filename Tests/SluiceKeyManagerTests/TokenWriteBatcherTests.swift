import Foundation
import SluiceStorage
import Synchronization
import SluiceTesting
import Testing

@testable import SluiceKeyManager

/// Group commit of issued tokens: requests that arrive while a write is in flight share the next transaction, each
/// returns only once its rows are stored, and a failing batch is written again request by request.
@Suite struct TokenWriteBatcherTests {
    /// A table with a unique token hash that stores each batch all or nothing, as one SQLite transaction does; the
    /// first write can be held open until the test lets it finish.
    final class Table: Sendable {
        struct Contents {
            var rows: [Data] = []
            var batches: [[Data]] = []
            var holdsFirstWrite = false
            var held: CheckedContinuation<Void, Never>?
        }

        let contents = Mutex(Contents())

        func write(_ records: [TokenRecord]) async throws {
            let hold = contents.withLock { contents in
                contents.batches.append(records.map(\.tokenHash))
                defer { contents.holdsFirstWrite = false }
                return contents.holdsFirstWrite
            }
            if hold {
                await withCheckedContinuation { continuation in contents.withLock { $0.held = continuation } }
            }
            try contents.withLock { contents in
                let hashes = records.map(\.tokenHash)
                guard Set(hashes).count == hashes.count, Set(hashes).isDisjoint(with: contents.rows) else {
                    throw StorageError.duplicate("token")
                }
                contents.rows += hashes
            }
        }

        /// Lets the held write finish once it is waiting.
        func release() async {
            while true {
                let held = contents.withLock { contents in
                    defer { contents.held = nil }
                    return contents.held
                }
                if let held {
                    held.resume()
                    return
                }
                await Task.yield()
            }
        }
    }

    private static func token(_ byte: UInt8) -> TokenRecord {
        TokenRecord(
            tokenHash: Data([byte]),
            kind: .access,
            familyID: "family-\(byte)",
            consumerKey: "ck",
            username: "alice",
            scopes: ["default"],
            grantType: "client_credentials",
            issuedAt: Date(timeIntervalSince1970: 1_800_000_000),
            expiresAt: nil
        )
    }

    /// Yields until `condition` holds (no clock: the tasks it waits for only need turns on the executor).
    private static func settle(_ condition: () -> Bool) async {
        while !condition() { await Task.yield() }
    }

    @Test func requestsArrivingDuringAWriteShareTheNextTransaction() async throws {
        let table = Table()
        table.contents.withLock { $0.holdsFirstWrite = true }
        let batcher = TokenWriteBatcher(write: table.write)
        async let first: Void = batcher.insert([Self.token(1)])
        await Self.settle { table.contents.withLock { $0.held != nil } }
        async let second: Void = batcher.insert([Self.token(2)])
        async let third: Void = batcher.insert([Self.token(3), Self.token(4)])
        await Self.settle { batcher.waitingCount == 2 }
        await table.release()
        _ = try await (first, second, third)
        let batches = table.contents.withLock { $0.batches }
        #expect(batches.count == 2)
        #expect(batches.first == [Data([1])])
        #expect(Set(batches.last ?? []) == [Data([2]), Data([3]), Data([4])])
        #expect(Set(table.contents.withLock { $0.rows }) == [Data([1]), Data([2]), Data([3]), Data([4])])
        #expect(batcher.waitingCount == 0)
    }

    @Test func aFailingBatchIsWrittenAgainRequestByRequest() async throws {
        let table = Table()
        try await table.write([Self.token(9)])
        table.contents.withLock { $0.holdsFirstWrite = true }
        let batcher = TokenWriteBatcher(write: table.write)
        async let opening: Void = batcher.insert([Self.token(1)])
        await Self.settle { table.contents.withLock { $0.held != nil } }
        // The duplicate fails the shared transaction; written alone, only its own request fails.
        let duplicate = Task { try await batcher.insert([Self.token(9)]) }
        async let fresh: Void = batcher.insert([Self.token(2)])
        await Self.settle { batcher.waitingCount == 2 }
        await table.release()
        try await opening
        try await fresh
        await #expect(throws: StorageError.self) { try await duplicate.value }
        #expect(Set(table.contents.withLock { $0.rows }) == [Data([9]), Data([1]), Data([2])])
    }

    @Test func aLoneRequestGetsItsOwnError() async throws {
        let table = Table()
        try await table.write([Self.token(5)])
        let batcher = TokenWriteBatcher(write: table.write)
        await #expect(throws: StorageError.self) { try await batcher.insert([Self.token(5)]) }
        // The batcher keeps serving after a failure.
        try await batcher.insert([Self.token(6)])
        #expect(table.contents.withLock { $0.rows } == [Data([5]), Data([6])])
    }

    // MARK: - Written behind the answer

    private static func behind(batchSize: Int = 256, capacity: Int = 4096) -> TokenPersistence {
        .writeBehind(maximumDelay: .milliseconds(5), batchSize: batchSize, capacity: capacity)
    }

    @Test func writtenBehindRowsWaitForTheClockThenShareOneTransaction() async throws {
        let table = Table()
        let clock = ManualClock()
        let batcher = TokenWriteBatcher(persistence: Self.behind(), clock: clock, write: table.write)
        for byte in UInt8(1)...3 { try await batcher.insert([Self.token(byte)]) }
        await clock.waitForSleepers(1)
        #expect(table.contents.withLock { $0.batches.isEmpty })
        clock.advance(by: .milliseconds(5))
        await Self.settle { table.contents.withLock { $0.rows.count == 3 } }
        #expect(table.contents.withLock { $0.batches.count } == 1)
    }

    @Test func aFullBatchIsWrittenWithoutWaitingForTheClock() async throws {
        let table = Table()
        let batcher = TokenWriteBatcher(persistence: Self.behind(batchSize: 2), clock: ManualClock(), write: table.write)
        try await batcher.insert([Self.token(1)])
        try await batcher.insert([Self.token(2)])
        await Self.settle { table.contents.withLock { $0.rows.count == 2 } }
        await batcher.flush()
        #expect(table.contents.withLock { $0.batches } == [[Data([1]), Data([2])]])
    }

    @Test func aFullQueueTakesNoMoreUntilTheWriterTakesABatch() async throws {
        let table = Table()
        table.contents.withLock { $0.holdsFirstWrite = true }
        let batcher = TokenWriteBatcher(
            persistence: Self.behind(batchSize: 1, capacity: 2),
            clock: ManualClock(),
            write: table.write
        )
        #expect(batcher.submit([Self.token(1)]))
        await Self.settle { table.contents.withLock { $0.held != nil } }
        #expect(batcher.submit([Self.token(2)]))
        #expect(batcher.submit([Self.token(3)]))
        // Two rows wait behind the held write: a third is refused, and `insert` waits for room instead.
        #expect(!batcher.submit([Self.token(4)]))
        let waiting = Task { try await batcher.insert([Self.token(4)]) }
        await table.release()
        try await waiting.value
        await batcher.flush()
        #expect(Set(table.contents.withLock { $0.rows }) == Set((1...4).map { Data([UInt8($0)]) }))
    }

    @Test func rowsThatCannotBeStoredAloneAreReportedLost() async throws {
        let table = Table()
        try await table.write([Self.token(7)])
        let lost = Mutex<[Data]>([])
        let batcher = TokenWriteBatcher(
            persistence: Self.behind(),
            clock: ManualClock(),
            write: table.write,
            lost: { records, _ in lost.withLock { $0 += records.map(\.tokenHash) } }
        )
        try await batcher.insert([Self.token(7)])
        try await batcher.insert([Self.token(8)])
        await batcher.flush()
        #expect(lost.withLock { $0 } == [Data([7])])
        #expect(table.contents.withLock { $0.rows } == [Data([7]), Data([8])])
    }

    @Test func aFlushWithNothingQueuedReturnsAtOnce() async {
        let batcher = TokenWriteBatcher(persistence: Self.behind(), clock: ManualClock(), write: Table().write)
        await batcher.flush()
        #expect(batcher.waitingCount == 0)
    }
}
