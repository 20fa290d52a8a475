import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// The further secrets of consumer keys, against each storage.
@Suite struct ConsumerSecretContractTests {
    private static func secret(_ id: String, key: String = "ck-1", at seconds: Double, expires: Double? = nil)
        -> ConsumerSecretRecord
    {
        ConsumerSecretRecord(
            id: id,
            consumerKey: key,
            secretHash: Data(repeating: UInt8(id.utf8.last ?? 0), count: 32),
            description: "secret \(id)",
            createdAt: Date(timeIntervalSince1970: seconds),
            expiresAt: expires.map(Date.init(timeIntervalSince1970:))
        )
    }

    @Test(arguments: StorageBackend.available)
    func secretsAreListedOldestFirstDeletedOneByOneAndGoWithTheirKey(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createApplication(StorageFixtures.application("app-1"))
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1"))
            try await storage.saveConsumerKey(StorageFixtures.key("ck-2", type: .sandbox))
            try await storage.createConsumerSecret(Self.secret("s2", at: 2_000, expires: 5_000))
            try await storage.createConsumerSecret(Self.secret("s1", at: 1_000))
            try await storage.createConsumerSecret(Self.secret("s3", key: "ck-2", at: 3_000))
            let listed = try await storage.consumerSecrets(consumerKey: "ck-1")
            #expect(listed == [Self.secret("s1", at: 1_000), Self.secret("s2", at: 2_000, expires: 5_000)])
            #expect(listed[1].isLive(at: Date(timeIntervalSince1970: 4_999)))
            #expect(!listed[1].isLive(at: Date(timeIntervalSince1970: 5_000)))
            await #expect(throws: StorageError.notFound("consumer key ghost")) {
                try await storage.createConsumerSecret(Self.secret("s4", key: "ghost", at: 1))
            }
            // One key's secret is not deleted through another key.
            #expect(try await !storage.deleteConsumerSecret(id: "s3", consumerKey: "ck-1"))
            #expect(try await storage.deleteConsumerSecret(id: "s1", consumerKey: "ck-1"))
            #expect(try await !storage.deleteConsumerSecret(id: "s1", consumerKey: "ck-1"))
            #expect(try await storage.consumerSecrets(consumerKey: "ck-1").map(\.id) == ["s2"])
            #expect(try await storage.deleteConsumerKey("ck-1"))
            #expect(try await storage.consumerSecrets(consumerKey: "ck-1").isEmpty)
            #expect(try await storage.consumerSecrets(consumerKey: "ck-2").map(\.id) == ["s3"])
        }
    }
}
