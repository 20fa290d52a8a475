import Foundation
import SluiceModel
import SluiceStorage
import Testing

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

    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func application(_ id: String = "app-1", owner: String = "alice") -> ApplicationRecord {
        ApplicationRecord(id: id, name: "Shop \(id)", owner: owner, throttlingTier: "Unlimited", createdAt: now, updatedAt: now)
    }

    static func key(_ key: String, app: String = "app-1", type: KeyType = .production) -> ConsumerKeyRecord {
        ConsumerKeyRecord(
            consumerKey: key,
            secretHash: Data(repeating: 7, count: 32),
            applicationID: app,
            keyType: type,
            grantTypes: ["password", "client_credentials", "refresh_token"],
            createdAt: now
        )
    }

    static func token(
        _ byte: UInt8,
        kind: TokenRecord.Kind = .access,
        family: String = "f1",
        expiresIn: TimeInterval = 3600,
        state: TokenRecord.State = .active
    ) -> TokenRecord {
        TokenRecord(
            tokenHash: Data(repeating: byte, count: 32),
            kind: kind,
            familyID: family,
            consumerKey: "ck-1",
            username: "alice",
            scopes: ["default"],
            grantType: "password",
            issuedAt: now,
            expiresAt: now.addingTimeInterval(expiresIn),
            state: state
        )
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
                UserRecord(username: "alice", passwordHash: "h", roles: ["Internal/subscriber"], createdAt: Self.now)
            )
            try await storage.createApplication(Self.application())
            try await storage.saveConsumerKey(Self.key("ck-1"))
            try await storage.insertTokens([Self.token(1), Self.token(2, kind: .refresh)])
            try await storage.createSubscription(
                SubscriptionRecord(
                    id: "s1", applicationID: "app-1", apiContext: "/shop/1.0", apiVersion: "1.0", tier: "Gold",
                    createdAt: Self.now, updatedAt: Self.now
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

    @Test func usersKeepTheirNamesAndEmail() async throws {
        let storage = try SQLiteStorage.inMemory()
        try await storage.saveRole(Role.subscriber)
        try await storage.createUser(
            UserRecord(
                username: "bob", passwordHash: "h", email: "bob@example.com", firstName: "Bob", lastName: "Builder",
                roles: ["Internal/subscriber"], createdAt: Self.now
            )
        )
        try await storage.createUser(
            UserRecord(username: "carol", passwordHash: "h", roles: ["Internal/subscriber"], createdAt: Self.now)
        )
        let bob = try #require(try await storage.user(named: "bob"))
        #expect(bob.firstName == "Bob")
        #expect(bob.lastName == "Builder")
        #expect(bob.email == "bob@example.com")
        let carol = try #require(try await storage.users().first { $0.username == "carol" })
        #expect(carol.firstName == nil && carol.lastName == nil && carol.email == nil)
    }

    @Test func uniqueKeysAreReportedAsDuplicates() async throws {
        let storage = try SQLiteStorage.inMemory()
        try await storage.saveRole(Role.admin)
        let user = UserRecord(username: "admin", passwordHash: "h", roles: ["admin"], createdAt: Self.now)
        try await storage.createUser(user)
        await #expect(throws: StorageError.self) {
            try await storage.createUser(UserRecord(username: "Admin", passwordHash: "x", roles: [], createdAt: Self.now))
        }
        try await storage.createApplication(Self.application())
        await #expect(throws: StorageError.duplicate("application Shop app-1 of alice")) {
            try await storage.createApplication(Self.application())
        }
        try await storage.saveConsumerKey(Self.key("ck-1"))
        await #expect(throws: StorageError.self) {
            try await storage.saveConsumerKey(Self.key("ck-2"))
        }
        try await storage.saveConsumerKey(Self.key("ck-2", type: .sandbox))
        #expect(try await storage.consumerKeys(applicationID: "app-1").map(\.keyType) == [.production, .sandbox])
    }

    @Test func unknownRoleIsRejected() async throws {
        let storage = try SQLiteStorage.inMemory()
        await #expect(throws: StorageError.notFound("role ghost")) {
            try await storage.createUser(UserRecord(username: "bob", passwordHash: "h", roles: ["ghost"], createdAt: Self.now))
        }
        #expect(try await storage.userCount() == 0)
    }

    @Test func refreshExchangeRotatesAndDetectsReuse() async throws {
        let storage = try SQLiteStorage.inMemory()
        try await storage.createApplication(Self.application())
        try await storage.saveConsumerKey(Self.key("ck-1"))
        try await storage.insertTokens([Self.token(1), Self.token(2, kind: .refresh)])

        let exchange = try await storage.exchangeRefreshToken(hash: Data(repeating: 2, count: 32), rotate: true) { old in
            [Self.token(3, family: old.familyID), Self.token(4, kind: .refresh, family: old.familyID)]
        }
        guard case .exchanged(let previous, let issued, let deactivated) = exchange else {
            Issue.record("expected an exchange, got \(exchange)")
            return
        }
        #expect(previous.familyID == "f1")
        #expect(issued.count == 2)
        #expect(deactivated == [Data(repeating: 1, count: 32)])
        #expect(try await storage.token(hash: Data(repeating: 1, count: 32))?.state == .inactive)
        #expect(try await storage.token(hash: Data(repeating: 2, count: 32))?.state == .rotated)

        let reuse = try await storage.exchangeRefreshToken(hash: Data(repeating: 2, count: 32), rotate: true) { _ in
            Issue.record("a rotated token must not issue")
            return []
        }
        guard case .reuseDetected(_, let revoked) = reuse else {
            Issue.record("expected reuse detection, got \(reuse)")
            return
        }
        #expect(revoked == [Data(repeating: 3, count: 32)])
        #expect(try await storage.token(hash: Data(repeating: 4, count: 32))?.state == .revoked)
        #expect(try await storage.exchangeRefreshToken(hash: Data(repeating: 9, count: 32), rotate: true) { _ in [] } == .notFound)
    }

    @Test func anIssueErrorLeavesTheTokensUntouched() async throws {
        struct Refused: Error {}
        let storage = try SQLiteStorage.inMemory()
        try await storage.createApplication(Self.application())
        try await storage.saveConsumerKey(Self.key("ck-1"))
        try await storage.insertTokens([Self.token(1), Self.token(2, kind: .refresh)])
        await #expect(throws: Refused.self) {
            _ = try await storage.exchangeRefreshToken(hash: Data(repeating: 2, count: 32), rotate: true) { _ in
                throw Refused()
            }
        }
        #expect(try await storage.token(hash: Data(repeating: 2, count: 32))?.state == .active)
        #expect(try await storage.token(hash: Data(repeating: 1, count: 32))?.state == .active)
    }

    @Test func cleanupDeletesExpiredTokensButKeepsRotatedAncestorsOfLiveFamilies() async throws {
        let storage = try SQLiteStorage.inMemory()
        try await storage.createApplication(Self.application())
        try await storage.saveConsumerKey(Self.key("ck-1"))
        try await storage.insertTokens([
            Self.token(1, expiresIn: 10),
            Self.token(2, expiresIn: 7200),
            Self.token(3, kind: .refresh, family: "f1", expiresIn: 10, state: .rotated),
            Self.token(4, kind: .refresh, family: "f1", expiresIn: 7200),
            Self.token(5, kind: .refresh, family: "f2", expiresIn: 10),
        ])
        let deleted = try await storage.deleteTokens(expiredBefore: Self.now.addingTimeInterval(60))
        #expect(deleted == [Data(repeating: 1, count: 32)])
        #expect(try await storage.token(hash: Data(repeating: 1, count: 32)) == nil)
        #expect(try await storage.token(hash: Data(repeating: 3, count: 32)) != nil)
        #expect(try await storage.token(hash: Data(repeating: 5, count: 32)) == nil)
        #expect(try await storage.accessTokens(notExpiredAt: Self.now).map(\.tokenHash) == [Data(repeating: 2, count: 32)])
    }

    @Test func deletingAnApplicationCascades() async throws {
        let storage = try SQLiteStorage.inMemory()
        try await storage.createApplication(Self.application())
        try await storage.saveConsumerKey(Self.key("ck-1"))
        try await storage.insertTokens([Self.token(1)])
        try await storage.createSubscription(
            SubscriptionRecord(
                id: "s1", applicationID: "app-1", apiContext: "/shop", apiVersion: "1.0", tier: "Gold",
                createdAt: Self.now, updatedAt: Self.now
            )
        )
        #expect(try await storage.deleteApplication(id: "app-1"))
        #expect(try await storage.consumerKey("ck-1") == nil)
        #expect(try await storage.token(hash: Data(repeating: 1, count: 32)) == nil)
        #expect(try await storage.subscription(id: "s1") == nil)
        #expect(try await storage.deleteApplication(id: "app-1") == false)
    }

    @Test func subscriptionUpdatesBumpTheRevision() async throws {
        let storage = try SQLiteStorage.inMemory()
        try await storage.createApplication(Self.application())
        try await storage.createSubscription(
            SubscriptionRecord(
                id: "s1", applicationID: "app-1", apiContext: "/shop/{version}", apiVersion: "2.0", tier: "Gold",
                createdAt: Self.now, updatedAt: Self.now
            )
        )
        let updated = try #require(try await storage.updateSubscription(id: "s1", tier: "Silver", status: .blocked))
        #expect(updated.revision == 2)
        #expect(updated.status == .blocked)
        #expect(try await storage.subscriptions(to: APIKey(context: "/shop/2.0", version: "2.0")).map(\.id) == ["s1"])
        #expect(try await storage.updateSubscription(id: "nope", tier: "Gold", status: .unblocked) == nil)
        await #expect(throws: StorageError.self) {
            try await storage.createSubscription(
                SubscriptionRecord(
                    id: "s2", applicationID: "ghost-app", apiContext: "/shop", apiVersion: "2.0", tier: "Gold",
                    createdAt: Self.now, updatedAt: Self.now
                )
            )
        }
    }

    @Test func uploadedDocumentFilesKeepTheirBytesThroughMetadataEdits() async throws {
        let storage = try SQLiteStorage.inMemory()
        let api = APIRecord(
            id: "api-1", provider: "admin", name: "PizzaShack", version: "1.0.0", context: "/pizzashack",
            createdAt: Self.now, updatedAt: Self.now
        )
        try await storage.createAPI(api, actor: "admin")
        var document = APIDocumentRecord(
            id: "doc-1", apiID: "api-1", name: "Guide", type: "HOWTO", sourceType: "FILE", createdBy: "admin",
            createdAt: Self.now, updatedAt: Self.now
        )
        try await storage.createDocument(document)
        #expect(try await storage.documentContent(apiID: "api-1", id: "doc-1") == nil)
        let bytes = Data([0x25, 0x50, 0x44, 0x46, 0x00, 0xFF, 0x0A])
        try await storage.setDocumentContent(
            APIDocumentContent(data: bytes, contentType: "application/pdf", fileName: "guide.pdf"),
            apiID: "api-1", id: "doc-1", updatedAt: Self.now
        )
        document.summary = "How to order"
        try await storage.updateDocument(document)
        let file = try #require(try await storage.documentContent(apiID: "api-1", id: "doc-1"))
        #expect(file == APIDocumentContent(data: bytes, contentType: "application/pdf", fileName: "guide.pdf"))
        #expect(try await storage.document(apiID: "api-1", id: "doc-1")?.content == nil)

        // Turned into an inline document, the file goes.
        document.sourceType = "INLINE"
        document.content = "Call /menu"
        try await storage.updateDocument(document)
        let inline = try #require(try await storage.documentContent(apiID: "api-1", id: "doc-1"))
        #expect(inline == APIDocumentContent(data: Data("Call /menu".utf8)))
        await #expect(throws: StorageError.self) {
            try await storage.setDocumentContent(APIDocumentContent(data: bytes), apiID: "api-1", id: "nope", updatedAt: Self.now)
        }
    }

    @Test func apiLifecycleHistoryIsRecorded() async throws {
        let storage = try SQLiteStorage.inMemory()
        let api = APIRecord(
            id: "api-1", provider: "admin", name: "PizzaShack", version: "1.0.0", context: "/pizzashack",
            tags: ["food", "pizza"], createdAt: Self.now, updatedAt: Self.now
        )
        try await storage.createAPI(api, actor: "admin")
        try await storage.recordLifecycleChange(
            LifecycleHistoryEntry(
                apiID: "api-1", previousState: .created, newState: .published, action: .publish, actor: "admin",
                changedAt: Self.now.addingTimeInterval(5)
            )
        )
        let stored = try #require(try await storage.api(key: APIKey(context: "/pizzashack/1.0.0", version: "1.0.0")))
        #expect(stored.lifecycleState == .published)
        #expect(stored.tags == ["food", "pizza"])
        let history = try await storage.lifecycleHistory(apiID: "api-1")
        #expect(history.map(\.newState) == [.created, .published])
        #expect(history.last?.action == .publish)
        await #expect(throws: StorageError.self) { try await storage.createAPI(api, actor: "admin") }
    }

    @Test func apisMatchingAFilterAreOnlyThoseOfItsStatesAndVisibilities() async throws {
        let storage = try SQLiteStorage.inMemory()
        let apis: [(String, APILifecycleState, String, [String])] = [
            ("Beta", .published, "PUBLIC", ["b", "A"]), ("Alpha", .published, "PRIVATE", []),
            ("Gamma", .created, "PUBLIC", ["g"]), ("Delta", .deprecated, "RESTRICTED", ["d"]),
        ]
        for (name, state, visibility, tags) in apis {
            let record = APIRecord(
                id: name, provider: "admin", name: name, version: "1.0.0", context: "/" + name.lowercased(),
                lifecycleState: state, visibility: visibility, tags: tags, createdAt: Self.now, updatedAt: Self.now
            )
            try await storage.createAPI(record, actor: "admin")
            if state != .created {
                try await storage.recordLifecycleChange(
                    LifecycleHistoryEntry(
                        apiID: name, previousState: .created, newState: state, action: nil, actor: "admin",
                        changedAt: Self.now
                    )
                )
            }
        }
        let everything = try await storage.apis()
        #expect(everything.map(\.name) == ["Alpha", "Beta", "Delta", "Gamma"])
        #expect(try await storage.apis(matching: APIFilter()) == everything)
        let listed = try await storage.apis(matching: APIFilter(states: [.published, .deprecated]))
        #expect(listed.map(\.name) == ["Alpha", "Beta", "Delta"])
        #expect(listed.first { $0.name == "Beta" }?.tags == ["A", "b"])
        let publicOnes = try await storage.apis(matching: APIFilter(states: [.published, .created], visibilities: ["PUBLIC"]))
        #expect(publicOnes.map(\.name) == ["Beta", "Gamma"])
        #expect(try await storage.apis(matching: APIFilter(states: [])).isEmpty)
        for filter in [APIFilter(states: [.deprecated]), APIFilter(visibilities: ["PRIVATE", "RESTRICTED"])] {
            #expect(try await storage.apis(matching: filter) == everything.filter(filter.matches))
        }
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
