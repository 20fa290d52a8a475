import Foundation
import Testing

/// WSO2's `POST /admin/v4/apis/{apiId}/change-provider`: the API changes hands and its artifact its name; refusals
/// for callers without the scope, unknown users and APIs, and products (whose artifact names their provider).
@Suite struct APIProviderChangeTests {
    static func changeProvider(_ id: String, _ provider: String) -> String {
        "/api/am/admin/v4/apis/\(id)/change-provider?provider=\(provider)"
    }

    @Test func anAPIChangesHandsAndItsArtifactItsName() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            #expect(try fixture.deployedFiles().contains("chris--PizzaShack_v1.0.0.xml"))
            #expect(try await client.post(Self.changeProvider(id, "pat"), as: "chris").status == .forbidden)
            #expect(try await client.post(Self.changeProvider(id, "ghost"), as: "admin").status == .badRequest)
            #expect(try await client.post(Self.changeProvider(UUID().uuidString, "pat"), as: "admin").status == .notFound)
            #expect(try await client.post("/api/am/admin/v4/apis/\(id)/change-provider", as: "admin").status == .badRequest)

            let changed = try await client.post(Self.changeProvider(id, "pat"), as: "admin")
            #expect(changed.status == .ok, "\(changed.text)")
            let api = try await client.get("\(Client.publisher)/apis/\(id)", as: "pat").object
            #expect(api["provider"] as? String == "pat")
            let files = try fixture.deployedFiles()
            #expect(files.contains("pat--PizzaShack_v1.0.0.xml"))
            #expect(!files.contains("chris--PizzaShack_v1.0.0.xml"))
            #expect(try fixture.artifact("pat--PizzaShack_v1.0.0.xml").contains(#"name="pat--PizzaShack""#))
            // Again to the same user: nothing to do.
            #expect(try await client.post(Self.changeProvider(id, "pat"), as: "admin").status == .ok)

            let drinks = try await client.publishedAPI(APIProductTests.drinksAPI())
            let product = try await client.post(
                APIProductTests.products, as: "chris", json: APIProductTests.product(id, drinks)
            )
            let productID = try #require(try product.object["id"] as? String)
            let refused = try await client.post(Self.changeProvider(productID, "pat"), as: "admin")
            #expect(refused.status == .badRequest)
            #expect(refused.errorDescription.contains("names its provider"))
        }
    }
}
