import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// Deny policies, against each storage.
@Suite struct BlockingConditionContractTests {
    @Test(arguments: StorageBackend.available)
    func conditionsAreStoredToggledAndDeleted(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            let ip = BlockingCondition(id: "c1", kind: .ip, value: "192.0.2.1", invert: true)
            let range = BlockingCondition(id: "c2", kind: .ipRange, value: "10.0.0.0", endingIP: "10.0.0.255")
            let api = BlockingCondition(id: "c3", kind: .api, value: "/pizza/1.0.0", isEnabled: false)
            try await storage.createBlockingCondition(ip)
            try await storage.createBlockingCondition(range)
            try await storage.createBlockingCondition(api)
            #expect(Set(try await storage.blockingConditions()) == [ip, range, api])
            await #expect(throws: StorageError.self) {
                try await storage.createBlockingCondition(BlockingCondition(id: "c4", kind: .ip, value: "192.0.2.1"))
            }
            // Another range from the same address is another condition.
            try await storage.createBlockingCondition(
                BlockingCondition(id: "c5", kind: .ipRange, value: "10.0.0.0", endingIP: "10.0.1.255")
            )
            var enabled = api
            enabled.isEnabled = true
            #expect(try await storage.setBlockingCondition(id: "c3", enabled: true) == enabled)
            #expect(try await storage.setBlockingCondition(id: "ghost", enabled: true) == nil)
            #expect(try await storage.deleteBlockingCondition(id: "c1"))
            #expect(try await !storage.deleteBlockingCondition(id: "c1"))
            #expect(Set(try await storage.blockingConditions().map(\.id)) == ["c2", "c3", "c5"])
        }
    }
}
