import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// Editing a comment's text, against each storage.
@Suite struct CommentEditContractTests {
    @Test(arguments: StorageBackend.available)
    func anEditKeepsTheCommentAndRecordsWhen(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createAPI(StorageContractMoreTests.api("api-1"), actor: "admin")
            try await storage.addComment(
                APICommentRecord(id: "c1", apiID: "api-1", username: "alice", content: "Tasty", createdAt: StorageFixtures.now)
            )
            #expect(try await storage.comments(apiID: "api-1").first?.updatedAt == nil)
            let later = StorageFixtures.now.addingTimeInterval(60)
            #expect(try await storage.updateComment(apiID: "api-1", id: "c1", content: "Very tasty", at: later))
            let stored = try #require(try await storage.comments(apiID: "api-1").first)
            #expect(stored.content == "Very tasty")
            #expect(stored.updatedAt == later)
            #expect(stored.createdAt == StorageFixtures.now)
            #expect(try await !storage.updateComment(apiID: "api-2", id: "c1", content: "x", at: later))
            #expect(try await !storage.updateComment(apiID: "api-1", id: "ghost", content: "x", at: later))
        }
    }
}
