import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// What every storage implementation must do, run against each one (SQLite always; PostgreSQL when the test
/// server runs, see ``StorageBackend``).
@Suite struct StorageContractTests {
    @Test(arguments: StorageBackend.available)
    func usersKeepTheirNamesAndEmail(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.saveRole(Role.subscriber)
            try await storage.createUser(
                UserRecord(
                    username: "bob", passwordHash: "h", email: "bob@example.com", firstName: "Bob", lastName: "Builder",
                    roles: ["Internal/subscriber"], createdAt: StorageFixtures.now
                )
            )
            try await storage.createUser(
                UserRecord(username: "carol", passwordHash: "h", roles: ["Internal/subscriber"], createdAt: StorageFixtures.now)
            )
            let bob = try #require(try await storage.user(named: "bob"))
            #expect(bob.firstName == "Bob")
            #expect(bob.lastName == "Builder")
            #expect(bob.email == "bob@example.com")
            let carol = try #require(try await storage.users().first { $0.username == "carol" })
            #expect(carol.firstName == nil && carol.lastName == nil && carol.email == nil)
        }
    }

    @Test(arguments: StorageBackend.available)
    func uniqueKeysAreReportedAsDuplicates(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.saveRole(Role.admin)
            let user = UserRecord(username: "admin", passwordHash: "h", roles: ["admin"], createdAt: StorageFixtures.now)
            try await storage.createUser(user)
            await #expect(throws: StorageError.self) {
                try await storage.createUser(UserRecord(username: "Admin", passwordHash: "x", roles: [], createdAt: StorageFixtures.now))
            }
            try await storage.createApplication(StorageFixtures.application())
            await #expect(throws: StorageError.duplicate("application Shop app-1 of alice")) {
                try await storage.createApplication(StorageFixtures.application())
            }
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            await #expect(throws: StorageError.self) {
                try await storage.saveConsumerKey(StorageFixtures.key("ck-2"))
            }
            try await storage.saveConsumerKey(StorageFixtures.key("ck-2", type: .sandbox))
            #expect(try await storage.consumerKeys(applicationID: "app-1").map(\.keyType) == [.production, .sandbox])
        }
    }

    @Test(arguments: StorageBackend.available)
    func unknownRoleIsRejected(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            await #expect(throws: StorageError.notFound("role ghost")) {
                try await storage.createUser(UserRecord(username: "bob", passwordHash: "h", roles: ["ghost"], createdAt: StorageFixtures.now))
            }
            #expect(try await storage.userCount() == 0)
        }
    }

    @Test(arguments: StorageBackend.available)
    func refreshExchangeRotatesAndDetectsReuse(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createApplication(StorageFixtures.application())
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            try await storage.insertTokens([StorageFixtures.token(1), StorageFixtures.token(2, kind: .refresh)])

            let exchange = try await storage.exchangeRefreshToken(hash: Data(repeating: 2, count: 32), rotate: true) { old in
                [StorageFixtures.token(3, family: old.familyID), StorageFixtures.token(4, kind: .refresh, family: old.familyID)]
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
    }

    @Test(arguments: StorageBackend.available)
    func anIssueErrorLeavesTheTokensUntouched(_ backend: StorageBackend) async throws {
        struct Refused: Error {}
        try await backend.withStorage { storage throws in
            try await storage.createApplication(StorageFixtures.application())
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            try await storage.insertTokens([StorageFixtures.token(1), StorageFixtures.token(2, kind: .refresh)])
            await #expect(throws: Refused.self) {
                _ = try await storage.exchangeRefreshToken(hash: Data(repeating: 2, count: 32), rotate: true) { _ in
                    throw Refused()
                }
            }
            #expect(try await storage.token(hash: Data(repeating: 2, count: 32))?.state == .active)
            #expect(try await storage.token(hash: Data(repeating: 1, count: 32))?.state == .active)
        }
    }

    @Test(arguments: StorageBackend.available)
    func cleanupDeletesExpiredTokensButKeepsRotatedAncestorsOfLiveFamilies(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createApplication(StorageFixtures.application())
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            try await storage.insertTokens([
                StorageFixtures.token(1, expiresIn: 10),
                StorageFixtures.token(2, expiresIn: 7200),
                StorageFixtures.token(3, kind: .refresh, family: "f1", expiresIn: 10, state: .rotated),
                StorageFixtures.token(4, kind: .refresh, family: "f1", expiresIn: 7200),
                StorageFixtures.token(5, kind: .refresh, family: "f2", expiresIn: 10),
            ])
            let deleted = try await storage.deleteTokens(expiredBefore: StorageFixtures.now.addingTimeInterval(60))
            #expect(deleted == [Data(repeating: 1, count: 32)])
            #expect(try await storage.token(hash: Data(repeating: 1, count: 32)) == nil)
            #expect(try await storage.token(hash: Data(repeating: 3, count: 32)) != nil)
            #expect(try await storage.token(hash: Data(repeating: 5, count: 32)) == nil)
            #expect(try await storage.accessTokens(notExpiredAt: StorageFixtures.now).map(\.tokenHash) == [Data(repeating: 2, count: 32)])
        }
    }

    @Test(arguments: StorageBackend.available)
    func deletingAnApplicationCascades(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createApplication(StorageFixtures.application())
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            try await storage.insertTokens([StorageFixtures.token(1)])
            try await storage.createSubscription(
                SubscriptionRecord(
                    id: "s1", applicationID: "app-1", apiContext: "/shop", apiVersion: "1.0", tier: "Gold",
                    createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
                )
            )
            #expect(try await storage.deleteApplication(id: "app-1"))
            #expect(try await storage.consumerKey("ck-1") == nil)
            #expect(try await storage.token(hash: Data(repeating: 1, count: 32)) == nil)
            #expect(try await storage.subscription(id: "s1") == nil)
            #expect(try await storage.deleteApplication(id: "app-1") == false)
        }
    }

    @Test(arguments: StorageBackend.available)
    func subscriptionUpdatesBumpTheRevision(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createApplication(StorageFixtures.application())
            try await storage.createSubscription(
                SubscriptionRecord(
                    id: "s1", applicationID: "app-1", apiContext: "/shop/{version}", apiVersion: "2.0", tier: "Gold",
                    createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
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
                        createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
                    )
                )
            }
        }
    }

    @Test(arguments: StorageBackend.available)
    func uploadedDocumentFilesKeepTheirBytesThroughMetadataEdits(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            let api = APIRecord(
                id: "api-1", provider: "admin", name: "PizzaShack", version: "1.0.0", context: "/pizzashack",
                createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
            )
            try await storage.createAPI(api, actor: "admin")
            var document = APIDocumentRecord(
                id: "doc-1", apiID: "api-1", name: "Guide", type: "HOWTO", sourceType: "FILE", createdBy: "admin",
                createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
            )
            try await storage.createDocument(document)
            #expect(try await storage.documentContent(apiID: "api-1", id: "doc-1") == nil)
            let bytes = Data([0x25, 0x50, 0x44, 0x46, 0x00, 0xFF, 0x0A])
            try await storage.setDocumentContent(
                APIDocumentContent(data: bytes, contentType: "application/pdf", fileName: "guide.pdf"),
                apiID: "api-1", id: "doc-1", updatedAt: StorageFixtures.now
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
                try await storage.setDocumentContent(APIDocumentContent(data: bytes), apiID: "api-1", id: "nope", updatedAt: StorageFixtures.now)
            }
        }
    }

    @Test(arguments: StorageBackend.available)
    func apiLifecycleHistoryIsRecorded(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            let api = APIRecord(
                id: "api-1", provider: "admin", name: "PizzaShack", version: "1.0.0", context: "/pizzashack",
                tags: ["food", "pizza"], createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
            )
            try await storage.createAPI(api, actor: "admin")
            try await storage.recordLifecycleChange(
                LifecycleHistoryEntry(
                    apiID: "api-1", previousState: .created, newState: .published, action: .publish, actor: "admin",
                    changedAt: StorageFixtures.now.addingTimeInterval(5)
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
    }
}
