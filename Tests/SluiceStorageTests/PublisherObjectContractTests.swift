import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// Shared scopes, operation policies, endpoint certificates and API endpoints, against each storage.
@Suite struct PublisherObjectContractTests {
    static func object(_ id: String, _ kind: PublisherObjectRecord.Kind, api: String? = nil, name: String) -> PublisherObjectRecord {
        PublisherObjectRecord(id: id, kind: kind, apiID: api, name: name, document: Data(#"{"n":"\#(name)"}"#.utf8), updatedAt: StorageFixtures.now)
    }

    @Test(arguments: StorageBackend.available)
    func objectsAreNamedOncePerKindAndOwner(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createAPI(StorageContractMoreTests.api("api-1"), actor: "admin")
            try await storage.createObject(Self.object("s1", .sharedScope, name: "orders"))
            try await storage.createObject(Self.object("p1", .operationPolicy, name: "orders"))
            try await storage.createObject(Self.object("p2", .operationPolicy, api: "api-1", name: "orders"))
            await #expect(throws: StorageError.self) { try await storage.createObject(Self.object("s2", .sharedScope, name: "orders")) }
            await #expect(throws: StorageError.self) {
                try await storage.createObject(Self.object("p3", .operationPolicy, api: "api-1", name: "orders"))
            }
            await #expect(throws: StorageError.self) {
                try await storage.createObject(Self.object("p4", .operationPolicy, api: "ghost", name: "x"))
            }
            try await storage.createObject(Self.object("s0", .sharedScope, name: "Alpha"))
            #expect(try await storage.objects(.sharedScope, owner: .common).map(\.id) == ["s0", "s1"])
            #expect(try await storage.objects(.operationPolicy, owner: .common).map(\.id) == ["p1"])
            #expect(try await storage.objects(.operationPolicy, owner: .api("api-1")).map(\.id) == ["p2"])
            #expect(Set(try await storage.objects(.operationPolicy, owner: .any).map(\.id)) == ["p1", "p2"])
            #expect(try await storage.object(.operationPolicy, id: "p2")?.apiID == "api-1")
            #expect(try await storage.object(.sharedScope, id: "p2") == nil, "another kind")

            var renamed = Self.object("s1", .sharedScope, name: "orders2")
            renamed.document = Data("{}".utf8)
            try await storage.updateObject(renamed)
            #expect(try await storage.object(.sharedScope, id: "s1") == renamed)
            await #expect(throws: StorageError.self) { try await storage.updateObject(Self.object("s1", .sharedScope, name: "Alpha")) }
            await #expect(throws: StorageError.self) { try await storage.updateObject(Self.object("nope", .sharedScope, name: "x")) }

            #expect(try await storage.deleteObject(.sharedScope, id: "s1"))
            #expect(!(try await storage.deleteObject(.sharedScope, id: "s1")))
            // An API's objects go with it; common ones stay.
            #expect(try await storage.deleteAPI(id: "api-1"))
            #expect(try await storage.objects(.operationPolicy, owner: .any).map(\.id) == ["p1"])
        }
    }
}
