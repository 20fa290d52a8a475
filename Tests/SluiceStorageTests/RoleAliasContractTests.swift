import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// Role aliases, against each storage: kept with their role, names with spaces included, and replaced.
@Suite struct RoleAliasContractTests {
    @Test(arguments: StorageBackend.available)
    func aliasesAreKeptWithTheirRole(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.saveRole(Role(name: "Buyers", scopes: ["apim:subscribe"]))
            try await storage.saveRole(Role(name: "Night Shift", scopes: []))
            try await storage.saveRole(Role(name: "Internal/subscriber", scopes: ["apim:subscribe"], aliases: ["Buyers", "Night Shift"]))
            let stored = try #require(try await storage.roles().first { $0.name == "Internal/subscriber" })
            #expect(stored.aliases == ["Buyers", "Night Shift"])
            #expect(try await storage.roles().first { $0.name == "Buyers" }?.aliases == [])
            try await storage.saveRole(Role(name: "Internal/subscriber", scopes: ["apim:subscribe"]))
            #expect(try await storage.roles().first { $0.name == "Internal/subscriber" }?.aliases == [])
        }
    }
}
