import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// What only the embedded SQLite storage has: a WAL file that survives reopening.
@Suite struct SQLiteStorageTests {
    /// A temporary folder removed when the test ends.
    final class TemporaryFolder {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-storage-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        var databasePath: String { url.appendingPathComponent("database/sluice.db").path }
    }

    @Test func fileDatabaseUsesWALAndAppliesEveryMigration() async throws {
        let folder = try TemporaryFolder()
        let storage = try SQLiteStorage(path: folder.databasePath)
        #expect(try await storage.journalMode() == "wal")
        let applied = try await storage.appliedMigrations()
        #expect(applied.first == "v1-core")
        #expect(applied.contains("v3-user-profile"))
        let tables = try await storage.tableNames()
        for table in [
            "users", "roles", "user_roles", "apis", "api_tags", "api_resources", "api_lifecycle_history",
            "api_documents", "api_ratings", "api_comments", "applications", "consumer_keys", "tokens",
            "subscriptions", "throttling_policies", "usage_events", "usage_rollups",
        ] {
            #expect(tables.contains(table), "missing table \(table)")
        }
    }

    @Test func reopeningTheFileKeepsEverything() async throws {
        let folder = try TemporaryFolder()
        do {
            let storage = try SQLiteStorage(repository: folder.url.path)
            try await storage.saveRole(Role.subscriber)
            try await storage.createUser(
                UserRecord(username: "alice", passwordHash: "h", roles: ["Internal/subscriber"], createdAt: StorageFixtures.now)
            )
            try await storage.createApplication(StorageFixtures.application())
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            try await storage.insertTokens([StorageFixtures.token(1), StorageFixtures.token(2, kind: .refresh)])
            try await storage.createSubscription(
                SubscriptionRecord(
                    id: "s1", applicationID: "app-1", apiContext: "/shop/1.0", apiVersion: "1.0", tier: "Gold",
                    createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
                )
            )
        }
        let reopened = try SQLiteStorage(path: folder.databasePath)
        #expect(try await reopened.appliedMigrations().contains("v3-user-profile"))
        let alice = try #require(try await reopened.user(named: "ALICE"))
        #expect(alice.roles == ["Internal/subscriber"])
        #expect(try await reopened.roles().map(\.name) == ["Internal/subscriber"])
        #expect(try await reopened.consumerKey("ck-1")?.applicationID == "app-1")
        #expect(try await reopened.token(hash: Data(repeating: 2, count: 32))?.kind == .refresh)
        let subscription = try #require(try await reopened.subscription(id: "s1"))
        #expect(subscription.apiContext == "/shop")
        #expect(subscription.tier == "Gold")
    }

    @Test(arguments: [
        ("/pizzashack/1.0.0", "1.0.0", "/pizzashack"),
        ("/pizzashack/{version}", "1.0.0", "/pizzashack"),
        ("/pizzashack/", "1.0.0", "/pizzashack"),
        ("/t/tenant.com/shop/2", "2", "/t/tenant.com/shop"),
        ("/v1/things", "2", "/v1/things"),
    ])
    func apiKeysNormalizeTheContext(context: String, version: String, expected: String) {
        #expect(APIKey(context: context, version: version).context == expected)
    }
}
