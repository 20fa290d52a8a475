import Foundation
import SluiceModel
import SluiceStorage
import SluiceStoragePostgres
import Synchronization
import Testing

/// What only the PostgreSQL storage has: migrations that mirror SQLite's, row locks where SQLite serializes
/// every write, and the cluster's change log, artifacts, shared counters and notifications.
@Suite(.timeLimit(.minutes(2)))
struct PostgresStorageTests {
    @Test func migrationsMirrorSQLiteAndAddTheClusterTables() async throws {
        let sqlite = try SQLiteStorage.inMemory()
        try await PostgresTestDatabase.with { storage in
            let applied = try await storage.appliedMigrations()
            #expect(applied.filter { !$0.hasPrefix("cluster-") } == (try await sqlite.appliedMigrations()))
            #expect(applied.contains("cluster-v1"))
            let tables = Set(try await storage.tableNames())
            #expect(tables.isSuperset(of: Set(try await sqlite.tableNames()).subtracting(["grdb_migrations"])))
            #expect(tables.isSuperset(of: ["cluster_state", "cluster_events", "gateway_artifacts", "throttle_counters"]))
            // Opening again (a second node starting) applies nothing twice.
            let again = try await PostgresStorage.open(settings: storage.settings, logger: PostgresTestDatabase.logger)
            #expect(try await again.appliedMigrations() == (try await storage.appliedMigrations()))
            await again.close()
        }
    }

    @Test func concurrentRefreshesOfOneTokenIssueOnce() async throws {
        try await PostgresTestDatabase.with { storage in
            try await storage.createApplication(StorageFixtures.application())
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            try await storage.insertTokens([StorageFixtures.token(1), StorageFixtures.token(2, kind: .refresh)])
            let outcomes = try await withThrowingTaskGroup(of: RefreshExchange.self) { group in
                for attempt in 0..<4 {
                    group.addTask {
                        try await storage.exchangeRefreshToken(hash: Data(repeating: 2, count: 32), rotate: true) { old in
                            let byte = UInt8(10 + attempt * 2)
                            return [
                                StorageFixtures.token(byte, family: old.familyID),
                                StorageFixtures.token(byte + 1, kind: .refresh, family: old.familyID),
                            ]
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let exchanged = outcomes.filter { if case .exchanged = $0 { true } else { false } }
            #expect(exchanged.count == 1)
            // The next attempt presents a rotated token: reuse, which revokes the family; the others find it revoked.
            #expect(outcomes.filter { if case .reuseDetected = $0 { true } else { false } }.count == 1)
            #expect(outcomes.filter { if case .notActive = $0 { true } else { false } }.count == 2)
        }
    }

    @Test func changesAreLoggedInCommitOrderWithTheirSubjects() async throws {
        try await PostgresTestDatabase.with { storage in
            let start = try await storage.latestClusterVersion()
            try await storage.createApplication(StorageFixtures.application())
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            try await storage.createSubscription(
                SubscriptionRecord(
                    id: "s1", applicationID: "app-1", apiContext: "/shop", apiVersion: "1.0", tier: "Gold",
                    createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
                )
            )
            try await storage.insertTokens([StorageFixtures.token(1), StorageFixtures.token(2, kind: .refresh)])
            _ = try await storage.exchangeRefreshToken(hash: Data(repeating: 2, count: 32), rotate: true) { old in
                [StorageFixtures.token(3, family: old.familyID)]
            }
            _ = try await storage.revokeFamily("f1")
            try await storage.createPolicy(ThrottleTier(name: "Gold", maxCount: 5), level: .subscription)
            let page = try await storage.clusterEvents(after: start, limit: 100)
            #expect(page.complete)
            #expect(page.events.map(\.topic) == [
                .application, .consumerKey, .subscription, .tokensDeactivated, .tokenFamilyRevoked, .policy,
            ])
            #expect(page.events.map(\.version) == Array(start + 1...start + 6))
            #expect(page.events[3].hashes == [Data(repeating: 1, count: 32)])
            #expect(page.events[5].policy?.level == .subscription && page.events[5].policy?.name == "Gold")
            #expect(try await storage.latestClusterVersion() == start + 6)
            // A failed write logs nothing.
            await #expect(throws: StorageError.self) {
                try await storage.createApplication(StorageFixtures.application())
            }
            #expect(try await storage.latestClusterVersion() == start + 6)
            let later = try await storage.clusterEvents(after: start + 4, limit: 1)
            #expect(later.events.map(\.version) == [start + 5] && later.complete)

            try await storage.pruneClusterEvents(olderThan: -1, keeping: 2)
            let pruned = try await storage.clusterEvents(after: start, limit: 100)
            #expect(!pruned.complete)
            #expect(pruned.events.map(\.version) == [start + 5, start + 6])
            #expect(try await storage.clusterEvents(after: start + 6, limit: 10) == ([], true))
        }
    }

    @Test func artifactsAreReadByVersion() async throws {
        try await PostgresTestDatabase.with { storage in
            let first = try await storage.storeArtifact(fileName: "a.xml", content: "<api name=\"a\"/>")
            let second = try await storage.storeArtifact(fileName: "b.xml", content: "<api name=\"b\"/>")
            let third = try await storage.storeArtifact(fileName: "a.xml", content: nil)
            #expect(first < second && second < third)
            #expect(try await storage.artifacts(after: 0) == [
                StoredArtifact(fileName: "b.xml", content: "<api name=\"b\"/>", version: second),
                StoredArtifact(fileName: "a.xml", content: nil, version: third),
            ])
            #expect(try await storage.artifacts(after: second).map(\.fileName) == ["a.xml"])
            let events = try await storage.clusterEvents(after: 0, limit: 10).events
            #expect(events.map(\.subject) == ["a.xml", "b.xml", "a.xml"])
            #expect(events.allSatisfy { $0.topic == .artifact })
        }
    }

    @Test func sharedCountersAddUpAcrossNodes() async throws {
        try await PostgresTestDatabase.with { storage in
            let window: (Int64, Int64) = (1_800_000_000_000, 1_800_000_060_000)
            let totals = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await storage.addToSharedCounters([
                            SharedCounterDelta(key: "subscription|app:/shop:1.0", windowStart: window.0, windowEnd: window.1, delta: 3),
                            SharedCounterDelta(key: "api|/shop:1.0", windowStart: window.0, windowEnd: window.1, delta: 1),
                        ])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(totals.map { $0[0] }) == [3, 6, 9, 12, 15])
            let read = try await storage.addToSharedCounters([
                SharedCounterDelta(key: "api|/shop:1.0", windowStart: window.0, windowEnd: window.1, delta: 0),
                SharedCounterDelta(key: "subscription|app:/shop:1.0", windowStart: window.0, windowEnd: window.1, delta: 0),
                SharedCounterDelta(key: "api|/shop:1.0", windowStart: window.1, windowEnd: window.1 + 60_000, delta: 2),
            ])
            #expect(read == [5, 15, 2])
            try await storage.pruneSharedCounters(endedBefore: Date(timeIntervalSince1970: Double(window.1) / 1000 + 1))
            let afterPrune = try await storage.addToSharedCounters([
                SharedCounterDelta(key: "api|/shop:1.0", windowStart: window.0, windowEnd: window.1, delta: 0),
                SharedCounterDelta(key: "api|/shop:1.0", windowStart: window.1, windowEnd: window.1 + 60_000, delta: 0),
            ])
            #expect(afterPrune == [0, 2])
        }
    }

    @Test func listenersHearCommittedChanges() async throws {
        try await PostgresTestDatabase.with { storage in
            let heard = Mutex<[Int64]>([])
            let (listening, listeningContinuation) = AsyncStream.makeStream(of: Void.self)
            let (changes, changesContinuation) = AsyncStream.makeStream(of: Int64.self)
            let listener = Task {
                try await storage.listenForClusterChanges(
                    onListening: { listeningContinuation.yield() },
                    onChange: { version in
                        heard.withLock { $0.append(version) }
                        changesContinuation.yield(version)
                    }
                )
            }
            var listeningIterator = listening.makeAsyncIterator()
            _ = await listeningIterator.next()
            try await storage.createApplication(StorageFixtures.application())
            let version = try await storage.latestClusterVersion()
            var iterator = changes.makeAsyncIterator()
            #expect(await iterator.next() == version)
            listener.cancel()
            _ = await listener.result
            #expect(heard.withLock { $0 } == [version])
        }
    }

    @Test func anUnreachableServerIsAClearError() async throws {
        let server = try PostgresConnectionSettings(url: "postgres://sluice@127.0.0.1:1/sluice?sslmode=disable")
        await #expect {
            _ = try await PostgresStorage.open(settings: server, logger: PostgresTestDatabase.logger)
        } throws: { error in
            guard let error = error as? StorageError else { return false }
            return error.code == .unavailable && error.message.contains("127.0.0.1:1")
        }
    }
}
