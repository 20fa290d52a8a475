import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// Thumbnails, categories and labels, against each storage.
@Suite struct APICatalogContractTests {
    @Test(arguments: StorageBackend.available)
    func aThumbnailIsReplacedAndGoesWithItsAPI(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createAPI(StorageContractMoreTests.api("api-1"), actor: "admin")
            #expect(try await storage.thumbnail(apiID: "api-1") == nil)
            let first = APIThumbnail(apiID: "api-1", contentType: "image/png", data: Data([1, 2]), updatedAt: StorageFixtures.now)
            try await storage.setThumbnail(first)
            var second = first
            second.contentType = "image/gif"
            second.data = Data([3])
            try await storage.setThumbnail(second)
            #expect(try await storage.thumbnail(apiID: "api-1") == second)
            await #expect(throws: StorageError.self) {
                try await storage.setThumbnail(APIThumbnail(apiID: "ghost", contentType: "image/png", data: Data([1]), updatedAt: StorageFixtures.now))
            }
            #expect(try await storage.deleteAPI(id: "api-1"))
            #expect(try await storage.thumbnail(apiID: "api-1") == nil)
        }
    }

    @Test(arguments: StorageBackend.available)
    func groupingsAreNamedOncePerKindAndAttachedToAPIs(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createAPI(StorageContractMoreTests.api("api-1"), actor: "admin")
            try await storage.createGrouping(APIGroupingRecord(id: "c1", kind: .category, name: "Finance"))
            try await storage.createGrouping(APIGroupingRecord(id: "l1", kind: .label, name: "Finance", description: "d"))
            await #expect(throws: StorageError.self) {
                try await storage.createGrouping(APIGroupingRecord(id: "c2", kind: .category, name: "FINANCE"))
            }
            try await storage.createGrouping(APIGroupingRecord(id: "c2", kind: .category, name: "banking"))
            #expect(try await storage.groupings(.category).map(\.name) == ["banking", "Finance"])
            try await storage.updateGrouping(APIGroupingRecord(id: "c2", kind: .category, name: "Banking", description: "b"))
            #expect(try await storage.groupings(.category).first?.description == "b")
            await #expect(throws: StorageError.notFound("category ghost")) {
                try await storage.updateGrouping(APIGroupingRecord(id: "ghost", kind: .category, name: "X"))
            }
            try await storage.setGroupings(["c1", "c2"], of: .category, apiID: "api-1")
            try await storage.setGroupings(["l1"], of: .label, apiID: "api-1")
            #expect(try await storage.groupingIDs(apiID: "api-1") == ["c1", "c2", "l1"])
            // Replacing the categories leaves the labels.
            try await storage.setGroupings(["c2"], of: .category, apiID: "api-1")
            #expect(try await storage.groupingIDs(apiID: "api-1") == ["c2", "l1"])
            await #expect(throws: StorageError.self) {
                try await storage.setGroupings(["l1"], of: .category, apiID: "api-1")
            }
            #expect(try await storage.groupingIDs(apiID: "api-1") == ["c2", "l1"])
            #expect(try await storage.apiIDs(groupingID: "l1") == ["api-1"])
            #expect(try await storage.deleteGrouping(id: "l1"))
            #expect(try await storage.groupingIDs(apiID: "api-1") == ["c2"])
            #expect(try await !storage.deleteGrouping(id: "l1"))
        }
    }
}
