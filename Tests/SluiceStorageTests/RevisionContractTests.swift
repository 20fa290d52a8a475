import Foundation
import SluiceStorage
import Testing

/// API revisions on both storage implementations: numbered per API, found only under their API, deleted with it.
@Suite struct RevisionContractTests {
    @Test(arguments: StorageBackend.available)
    func revisionsAreKeptPerAPIByNumberAndGoWithTheirAPI(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createAPI(StorageContractMoreTests.api("api-1"), actor: "admin")
            try await storage.createAPI(StorageContractMoreTests.api("api-2"), actor: "admin")
            for (id, number) in [("r2", 2), ("r1", 1)] {
                try await storage.createRevision(Self.revision(id, apiID: "api-1", number: number))
            }
            try await storage.createRevision(Self.revision("r9", apiID: "api-2", number: 1))
            let listed = try await storage.revisions(apiID: "api-1")
            #expect(listed.map(\.id) == ["r1", "r2"])
            #expect(listed.first == Self.revision("r1", apiID: "api-1", number: 1))
            #expect(try await storage.revision(apiID: "api-2", id: "r1") == nil, "a revision is found under its API only")
            // One number per API; an unknown API has no revisions.
            await #expect(throws: StorageError.self) {
                try await storage.createRevision(Self.revision("r3", apiID: "api-1", number: 2))
            }
            await #expect(throws: StorageError.self) {
                try await storage.createRevision(Self.revision("r4", apiID: "nope", number: 1))
            }
            #expect(try await storage.deleteRevision(apiID: "api-2", id: "r2") == false)
            #expect(try await storage.deleteRevision(apiID: "api-1", id: "r2"))
            #expect(try await storage.revisions(apiID: "api-1").map(\.id) == ["r1"])
            #expect(try await storage.deleteAPI(id: "api-1"))
            #expect(try await storage.revisions(apiID: "api-1").isEmpty)
            #expect(try await storage.revisions(apiID: "api-2").count == 1)
        }
    }

    static func revision(_ id: String, apiID: String, number: Int) -> APIRevisionRecord {
        APIRevisionRecord(
            id: id, apiID: apiID, number: number, description: number == 1 ? nil : "revision \(number)",
            snapshot: Data(#"{"definition": {"name": "\#(apiID)"}}"#.utf8), createdAt: StorageFixtures.now
        )
    }
}
