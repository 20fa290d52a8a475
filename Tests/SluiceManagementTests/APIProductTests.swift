import Foundation
import Testing

/// Issue #21 item 3: WSO2's API products. A product offers operations of several APIs under its own context; its
/// artifact sends each resource to its API's endpoints.
@Suite struct APIProductTests {
    static let products = "\(Client.publisher)/api-products"
    static let file = "chris--Bundle_v1.0.0.xml"

    static func drinksAPI() -> String {
        Client.apiJSON(name: "Drinks", context: "/drinks", endpoint: "http://localhost:9082/drinks")
            .replacingOccurrences(of: #""target": "/menu""#, with: #""target": "/drinks""#)
            .replacingOccurrences(of: #""target": "/order""#, with: #""target": "/bottle""#)
    }

    static func product(_ pizza: String, _ drinks: String, name: String = "Bundle", extra: String = "") -> String {
        """
        {"name": "\(name)", "context": "bundle", "version": "1.0.0", "policies": ["Gold"], "state": "CREATED",
         "apiType": "APIPRODUCT"\(extra),
         "apis": [{"apiId": "\(pizza)", "name": "PizzaShack", "operations": [{"target": "/menu", "verb": "GET", "id": "x"}]},
                  {"apiId": "\(drinks)", "operations": [{"target": "/drinks", "verb": "get", "throttlingPolicy": "Unlimited"}]}]}
        """
    }

    @Test func aProductOffersOperationsOfSeveralAPIsUnderItsOwnContext() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let pizza = try await client.publishedAPI()
            let drinks = try await client.publishedAPI(Self.drinksAPI())
            let created = try await client.post(Self.products, as: "chris", json: Self.product(pizza, drinks))
            #expect(created.status == .created, "\(created.text)")
            let product = try created.object
            let id = try #require(product["id"] as? String)
            #expect(product["apiType"] as? String == "APIPRODUCT")
            #expect(product["state"] as? String == "CREATED")
            #expect(product["context"] as? String == "/bundle")
            let parts = try #require(product["apis"] as? [[String: Any]])
            #expect(parts.map { $0["apiId"] as? String } == [pizza, drinks])
            #expect(parts.last?["name"] as? String == "Drinks")
            #expect(created.headers[.init("Sluice-Ignored-Fields")!]?.contains("apis[].operations[].id") == true)

            // Products have their own listing; the APIs' listing leaves them out.
            #expect(try await client.get(Self.products, as: "chris").object["count"] as? Int == 1)
            let apis = try await client.get("\(Client.publisher)/apis", as: "chris").object["list"] as? [[String: Any]]
            #expect(apis?.contains { $0["id"] as? String == id } == false)
            let notAProduct = try await client.get("\(Self.products)/\(pizza)", as: "chris")
            #expect(notAProduct.status == .notFound)
            #expect(try notAProduct.object["code"] as? Int == 900360)

            let published = try await client.post(
                "\(Self.products)/change-lifecycle?apiProductId=\(id)&action=Publish", as: "pat"
            )
            #expect(published.status == .ok, "\(published.text)")
            let artifact = try fixture.artifact(Self.file)
            #expect(artifact.contains(#"context="/bundle/1.0.0""#))
            #expect(artifact.contains("http://localhost:9080/pizzashack") && artifact.contains("http://localhost:9082/drinks"))
            #expect(artifact.contains("chris--Bundle--Drinks_v1.0.0_APIproductionEndpoint"))
            let state = try await client.get("\(Self.products)/\(id)/lifecycle-state", as: "chris").object
            #expect(state["state"] as? String == "PUBLISHED")
            let swagger = try await client.get("\(Self.products)/\(id)/swagger", as: "chris").object
            #expect((swagger["paths"] as? [String: Any])?.keys.sorted() == ["/drinks", "/menu"])

            // An endpoint change of an API makes the product outdated until its next lifecycle change.
            let outdated = "\(Self.products)/\(id)/is-outdated"
            #expect(try await client.get(outdated, as: "chris").object["isOutdated"] as? Bool == false)
            let moved = Self.drinksAPI().replacingOccurrences(of: "localhost:9082", with: "localhost:9083")
            #expect(try await client.put("\(Client.publisher)/apis/\(drinks)", as: "admin", json: moved).status == .ok)
            #expect(try await client.get(outdated, as: "chris").object["isOutdated"] as? Bool == true)
            #expect(try await client.post("\(Self.products)/change-lifecycle?apiProductId=\(id)&action=Publish", as: "pat").status == .ok)
            #expect(try fixture.artifact(Self.file).contains("http://localhost:9083/drinks"))
            #expect(try await client.get(outdated, as: "chris").object["isOutdated"] as? Bool == false)
            let copied = try await client.post("\(Self.products)/copy-api-products?apiProductId=\(id)&newVersion=2.0.0", as: "chris")
            #expect(copied.status == .created, "\(copied.text)")
            #expect(try copied.object["version"] as? String == "2.0.0")
            #expect(try copied.object["state"] as? String == "CREATED")

            // An API in a product stays until the product lets it go.
            let refused = try await client.delete("\(Client.publisher)/apis/\(drinks)", as: "admin")
            #expect(refused.status == .conflict, "\(refused.text)")

            // Documents and revisions of a product.
            let document = try await client.post(
                "\(Self.products)/\(id)/documents", as: "chris",
                json: #"{"name": "Guide", "type": "HOWTO", "sourceType": "INLINE", "inlineContent": "Read me", "visibility": "API_LEVEL"}"#
            )
            #expect(document.status == .created, "\(document.text)")
            #expect(try await client.get("\(Self.products)/\(id)/documents", as: "chris").object["count"] as? Int == 1)
            let revision = try await client.post("\(Self.products)/\(id)/revisions", as: "chris", json: "{}")
            #expect(revision.status == .created)
        }
    }

    @Test func productsRefuseWhatCannotBeOffered() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let pizza = try await client.publishedAPI()
            let drinks = try await client.publishedAPI(Self.drinksAPI())
            let unknownAPI = Self.product(pizza, "nope")
            #expect(try await client.post(Self.products, as: "chris", json: unknownAPI).status == .badRequest)
            let unknownOperation = Self.product(pizza, drinks).replacingOccurrences(of: #""/drinks""#, with: #""/nothing""#)
            let answer = try await client.post(Self.products, as: "chris", json: unknownOperation)
            #expect(answer.status == .badRequest)
            #expect(answer.errorDescription.contains("has no operation GET /nothing"), "\(answer.text)")
            let twice = Self.product(pizza, pizza).replacingOccurrences(of: #""/drinks""#, with: #""/menu""#)
            #expect(try await client.post(Self.products, as: "chris", json: twice).status == .badRequest)
            let empty = #"{"name": "Empty", "context": "empty", "version": "1.0.0", "apis": []}"#
            #expect(try await client.post(Self.products, as: "chris", json: empty).status == .badRequest)
            let typo = Self.product(pizza, drinks, extra: #", "colour": "red""#)
            #expect(try await client.post(Self.products, as: "chris", json: typo).status == .badRequest)
            #expect(try await client.post(Self.products, as: "alice", json: Self.product(pizza, drinks)).status == .forbidden)
            // Name, version and context stay; the operations may change.
            let id = try #require(try await client.post(Self.products, as: "chris", json: Self.product(pizza, drinks)).object["id"] as? String)
            let renamed = try await client.put("\(Self.products)/\(id)", as: "chris", json: Self.product(pizza, drinks, name: "Other"))
            #expect(renamed.status == .badRequest)
            let fewer = """
                {"name": "Bundle", "context": "/bundle", "version": "1.0.0", "policies": ["Gold"],
                 "apis": [{"apiId": "\(pizza)", "operations": [{"target": "/menu", "verb": "GET"}]}]}
                """
            let updated = try await client.put("\(Self.products)/\(id)", as: "chris", json: fewer)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect((try updated.object["apis"] as? [Any])?.count == 1)
            #expect(try await client.delete("\(Client.publisher)/apis/\(drinks)", as: "admin").status != .conflict)
            #expect(try await client.delete("\(Self.products)/\(id)", as: "admin").status == .ok)
            #expect(try await client.get("\(Self.products)/\(id)", as: "chris").status == .notFound)
        }
    }

    /// WSO2's `APIProduct` has `categories` like an API: names of admin-defined categories, refused when unknown.
    @Test func productsNameTheirCategories() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let pizza = try await client.publishedAPI()
            let drinks = try await client.publishedAPI(Self.drinksAPI())
            let category = try await client.post("\(Client.admin)/api-categories", as: "admin", json: #"{"name": "Bundles"}"#)
            #expect(category.status == .created, "\(category.text)")
            let unknown = Self.product(pizza, drinks, extra: #", "categories": ["Nope"]"#)
            let refused = try await client.post(Self.products, as: "chris", json: unknown)
            #expect(refused.status == .badRequest)
            #expect(refused.errorDescription.contains("Nope"), "\(refused.text)")
            #expect(try await client.get(Self.products, as: "chris").object["count"] as? Int == 0)

            let created = try await client.post(Self.products, as: "chris", json: Self.product(pizza, drinks, extra: #", "categories": ["bundles"]"#))
            #expect(created.status == .created, "\(created.text)")
            #expect(try created.object["categories"] as? [String] == ["Bundles"])
            let id = try #require(try created.object["id"] as? String)
            #expect(try await client.get("\(Self.products)/\(id)", as: "chris").object["categories"] as? [String] == ["Bundles"])
            // Left out of a replacement: unchanged; an empty list: cleared.
            let kept = try await client.put("\(Self.products)/\(id)", as: "chris", json: Self.product(pizza, drinks))
            #expect(try kept.object["categories"] as? [String] == ["Bundles"])
            let cleared = try await client.put("\(Self.products)/\(id)", as: "chris", json: Self.product(pizza, drinks, extra: #", "categories": []"#))
            #expect(try cleared.object["categories"] as? [String] == [])
        }
    }

    /// WSO2's product thumbnails: the API thumbnail rules (image types told by their bytes, 1 MiB), on products only.
    @Test func productsHaveThumbnails() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let pizza = try await client.publishedAPI()
            let drinks = try await client.publishedAPI(Self.drinksAPI())
            let created = try await client.post(Self.products, as: "chris", json: Self.product(pizza, drinks))
            let id = try #require(try created.object["id"] as? String)
            let thumbnail = "\(Self.products)/\(id)/thumbnail"
            #expect(try await client.get(thumbnail, as: "chris").status == .notFound)
            let stored = try await APICatalogTests.putThumbnail(client, id, APICatalogTests.png, kind: "api-products")
            #expect(stored.status == .ok, "\(stored.text)")
            #expect(try stored.object["relativePath"] as? String == "api-products/\(id)/thumbnail")
            let served = try await client.get(thumbnail, as: "pat")
            #expect(served.data == APICatalogTests.png)
            #expect(served.headers[.contentType] == "image/png")
            let notAnImage = try await APICatalogTests.putThumbnail(client, id, Data("hello".utf8), kind: "api-products")
            #expect(notAnImage.status == .badRequest)
            #expect(try await APICatalogTests.putThumbnail(client, id, APICatalogTests.png, as: "alice", kind: "api-products").status == .forbidden)
            // An API is not a product.
            #expect(try await APICatalogTests.putThumbnail(client, pizza, APICatalogTests.png, kind: "api-products").status == .notFound)
            #expect(try await client.get("\(Self.products)/\(pizza)/thumbnail", as: "chris").status == .notFound)
        }
    }
}
