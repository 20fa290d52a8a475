import Foundation
import HTTPTypes
import NIOCore
import Testing

/// Thumbnails, API categories, labels and the publisher's existence checks.
@Suite(.timeLimit(.minutes(1))) struct APICatalogTests {
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3])

    static func putThumbnail(
        _ client: Client, _ apiID: String, _ data: Data, as user: String = "chris", kind: String = "apis"
    ) async throws -> Answer {
        let boundary = "catalog-boundary"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.png\"\r\n".utf8)
        body.append(Data("Content-Type: image/png\r\n\r\n".utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let credentials = Data("\(user):\(ManagementFixture.password(user))".utf8).base64EncodedString()
        return try await client.send(
            .put, "\(Client.publisher)/\(kind)/\(apiID)/thumbnail",
            headers: [.authorization: "Basic \(credentials)", .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: ByteBuffer(bytes: body)
        )
    }

    @Test func thumbnailsAreCheckedStoredAndServedWithTheirTypeAndETag() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            #expect(try await client.get("\(Client.devportal)/apis/\(apiID)/thumbnail").status == .notFound)
            #expect(try await Self.putThumbnail(client, apiID, Data("<svg onload=x>".utf8)).status == .badRequest)
            // Over 1 MiB: refused by the thumbnail's limit, or first by the management body limit (1 MiB too).
            let large = try await Self.putThumbnail(client, apiID, Data([0xFF, 0xD8, 0xFF]) + Data(repeating: 0, count: 1 << 20))
            #expect([.badRequest, .contentTooLarge].contains(large.status))
            #expect(try await Self.putThumbnail(client, apiID, Self.png, as: "alice").status == .forbidden)
            #expect(try await Self.putThumbnail(client, "no-such-api", Self.png).status == .notFound)
            let stored = try await Self.putThumbnail(client, apiID, Self.png)
            #expect(stored.status == .ok, "\(stored.text)")
            #expect(try stored.object["mediaType"] as? String == "image/png")

            let served = try await client.get("\(Client.devportal)/apis/\(apiID)/thumbnail")
            #expect(served.status == .ok)
            #expect(served.data == Self.png)
            #expect(served.headers[.contentType] == "image/png")
            let tag = try #require(served.headers[.eTag])
            let again = try await client.send(.get, "\(Client.devportal)/apis/\(apiID)/thumbnail", headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified)
            #expect(try await client.get("\(Client.publisher)/apis/\(apiID)/thumbnail", as: "pat").data == Self.png)

            // A new image (another size) gets a new tag.
            let gif = Data("GIF89a".utf8) + Data([1, 0, 1, 0])
            #expect(try await Self.putThumbnail(client, apiID, gif).status == .ok)
            let replaced = try await client.send(.get, "\(Client.devportal)/apis/\(apiID)/thumbnail", headers: [.ifNoneMatch: tag])
            #expect(replaced.status == .ok)
            #expect(replaced.headers[.contentType] == "image/gif")
        }
    }

    @Test func categoriesAreAdministeredAndListedInThePortals() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let categories = "\(Client.admin)/api-categories"
            let created = try await client.post(categories, as: "admin", json: #"{"name": "Finance", "description": "Money"}"#)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.object["id"] as? String)
            #expect(try await client.post(categories, as: "admin", json: #"{"name": "finance"}"#).status == .conflict)
            #expect(try await client.post(categories, as: "admin", json: #"{"name": " "}"#).status == .badRequest)
            #expect(try await client.post(categories, as: "chris", json: #"{"name": "Food"}"#).status == .forbidden)
            let renamed = try await client.put("\(categories)/\(id)", as: "admin", json: #"{"name": "Banking"}"#)
            #expect(try renamed.object["name"] as? String == "Banking")
            #expect(try await client.put("\(categories)/nope", as: "admin", json: #"{"name": "X"}"#).status == .notFound)
            #expect(try await client.get("\(Client.devportal)/api-categories").list.map { $0["name"] as? String } == ["Banking"])
            #expect(try await client.get("\(Client.publisher)/api-categories", as: "chris").list.count == 1)
            #expect(try await client.get(categories, as: "admin").list.first?["numberOfAPIs"] as? Int == 0)

            // An API names its categories (WSO2's `categories`); unknown names are refused before anything is stored.
            let refused = try await client.post("\(Client.publisher)/apis", as: "chris", json: Client.apiJSON(extra: #", "categories": ["Nope"]"#))
            #expect(refused.status == .badRequest)
            #expect(try await client.get("\(Client.publisher)/apis", as: "chris").list.isEmpty)
            let apiID = try await client.createAPI(Client.apiJSON(extra: #", "categories": ["banking"]"#))
            let api = try await client.get("\(Client.publisher)/apis/\(apiID)", as: "chris")
            #expect(try api.object["categories"] as? [String] == ["Banking"])
            #expect(api.headers[.init("Sluice-Ignored-Fields")!] == nil)
            #expect(try await client.get(categories, as: "admin").list.first?["numberOfAPIs"] as? Int == 1)
            #expect(try await client.delete("\(categories)/\(id)", as: "admin").status == .conflict)
            let cleared = try await client.put("\(Client.publisher)/apis/\(apiID)", as: "chris", json: Client.apiJSON(extra: #", "categories": []"#))
            #expect(try cleared.object["categories"] as? [String] == [])
            #expect(try await client.delete("\(categories)/\(id)", as: "admin").status == .ok)
            #expect(try await client.delete("\(categories)/\(id)", as: "admin").status == .notFound)
        }
    }

    @Test func labelsAreAttachedDetachedAndTheirUsageListed() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.createAPI()
            let labels = "\(Client.admin)/labels"
            let health = try #require(try await client.post(labels, as: "admin", json: #"{"name": "Health"}"#).object["id"] as? String)
            _ = try await client.post(labels, as: "admin", json: #"{"name": "Retail", "description": "Shops"}"#)
            let attach = "\(Client.publisher)/apis/\(apiID)/attach-labels"
            let attached = try await client.post(attach, as: "chris", json: #"{"labels": ["\#(health)", "retail"]}"#)
            #expect(attached.status == .ok, "\(attached.text)")
            #expect(try attached.list.map { $0["name"] as? String } == ["Health", "Retail"])
            #expect(try await client.post(attach, as: "chris", json: #"{"labels": ["Nope"]}"#).status == .badRequest)
            #expect(try await client.post(attach, as: "alice", json: #"{"labels": ["Health"]}"#).status == .forbidden)
            let usage = try await client.get("\(labels)/\(health)/usage", as: "admin").object
            #expect(((usage["apis"] as? [String: Any])?["list"] as? [[String: Any]])?.first?["id"] as? String == apiID)
            // A label in use is not deleted.
            #expect(try await client.delete("\(labels)/\(health)", as: "admin").status == .conflict)
            let detached = try await client.post("\(Client.publisher)/apis/\(apiID)/detach-labels", as: "chris", json: #"{"labels": ["Health"]}"#)
            #expect(try detached.list.map { $0["name"] as? String } == ["Retail"])
            #expect(try await client.get("\(Client.publisher)/apis/\(apiID)/labels", as: "pat").list.count == 1)
            #expect(try await client.delete("\(labels)/\(health)", as: "admin").status == .ok)
            #expect(try await client.get("\(Client.publisher)/labels", as: "chris").list.map { $0["name"] as? String } == ["Retail"])
        }
    }

    @Test func policiesAreSearchedByTypeAndName() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let search = "\(Client.admin)/throttling/policies/search"
            let all = try await client.get(search, as: "admin")
            #expect(all.status == .ok)
            #expect(try all.list.contains { $0["policyName"] as? String == "Gold" && $0["type"] as? String == "sub" })
            let gold = try await client.get("\(search)?query=type:sub%20name:gol", as: "admin").list
            #expect(gold.map { $0["policyName"] as? String } == ["Gold"])
            #expect(try await client.get("\(search)?query=type:app", as: "admin").list.allSatisfy { $0["type"] as? String == "app" })
            #expect(try await client.get("\(search)?query=type:x", as: "admin").status == .badRequest)
            #expect(try await client.get(search, as: "alice").status == .forbidden)
        }
    }

    @Test func existenceChecksAnswer200Or404() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.createAPI()
            let validate = "\(Client.publisher)/apis/validate?query="
            for (query, status) in [
                ("name:pizzashack", HTTPResponse.Status.ok), ("context:/pizzashack", .ok), ("context:pizzashack/1.0.0", .ok),
                ("PizzaShack", .ok), ("name:PizzaShack%20version:2.0.0", .notFound), ("context:/menu", .notFound),
                ("colour:red", .badRequest),
            ] {
                #expect(try await client.post(validate + query, as: "chris").status == status, "\(query)")
            }
            #expect(try await client.post("\(Client.publisher)/apis/validate", as: "chris").status == .badRequest)
            #expect(try await client.post(validate + "name:x", as: "alice").status == .forbidden)
            _ = try await client.post(
                "\(Client.publisher)/apis/\(apiID)/documents", as: "chris",
                json: #"{"name": "Guide", "type": "HOWTO", "sourceType": "INLINE", "inlineContent": "x"}"#
            )
            let documents = "\(Client.publisher)/apis/\(apiID)/documents/validate?name="
            #expect(try await client.post(documents + "guide", as: "chris").status == .ok)
            #expect(try await client.post(documents + "Other", as: "chris").status == .notFound)
        }
    }
}
