import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// Editing and deleting consumer keys, against each storage.
@Suite struct ConsumerKeyEditContractTests {
    @Test(arguments: StorageBackend.available)
    func grantTypesAndCallbackAreReplaced(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createApplication(StorageFixtures.application("app-1"))
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            try await storage.updateConsumerKey("ck-1", grantTypes: ["authorization_code"], callbackURL: "https://a.example/cb")
            let stored = try #require(try await storage.consumerKey("ck-1"))
            #expect(stored.grantTypes == ["authorization_code"])
            #expect(stored.callbackURL == "https://a.example/cb")
            #expect(stored.secretHash == StorageFixtures.key("ck-1").secretHash)
            try await storage.updateConsumerKey("ck-1", grantTypes: [], callbackURL: nil)
            #expect(try await storage.consumerKey("ck-1")?.callbackURL == nil)
            await #expect(throws: StorageError.notFound("consumer key ghost")) {
                try await storage.updateConsumerKey("ghost", grantTypes: [], callbackURL: nil)
            }
        }
    }

    @Test(arguments: StorageBackend.available)
    func aDeletedKeyTakesItsTokensAlong(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createApplication(StorageFixtures.application("app-1"))
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            try await storage.saveConsumerKey(StorageFixtures.key("ck-2", type: .sandbox))
            try await storage.insertTokens([StorageFixtures.token(1)])
            #expect(try await storage.deleteConsumerKey("ck-1"))
            #expect(try await storage.consumerKey("ck-1") == nil)
            #expect(try await storage.token(hash: Data(repeating: 1, count: 32)) == nil)
            #expect(try await storage.consumerKeys(applicationID: "app-1").map(\.consumerKey) == ["ck-2"])
            #expect(try await !storage.deleteConsumerKey("ck-1"))
            // The application may have keys of that type again.
            try await storage.saveConsumerKey(StorageFixtures.key("ck-3"))
            #expect(try await storage.consumerKeys(applicationID: "app-1").count == 2)
        }
    }
}
