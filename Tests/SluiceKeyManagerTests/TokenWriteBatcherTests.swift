import Foundation
import SluiceStorage
import Synchronization
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
}
