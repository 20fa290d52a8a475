import Foundation
import SluiceManagement
import SluiceModel
import SluiceStorage
import Testing

@Suite(.timeLimit(.minutes(1))) struct PublisherAPITests {
    static let apis = "\(Client.publisher)/apis"

    @Test func createReadUpdateAndList() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let created = try await client.post(Self.apis, as: "chris", json: Client.apiJSON())
            #expect(created.status == .created)
            let api = try created.object
            let id = try #require(api["id"] as? String)
            #expect(created.headers[.location] == "\(Self.apis)/\(id)")
            #expect(api["provider"] as? String == "chris")
            #expect(api["lifeCycleStatus"] as? String == "CREATED")
            #expect(api["policies"] as? [String] == ["Gold", "Unlimited"])
            let business = try #require(api["businessInformation"] as? [String: Any])
            #expect(business["technicalOwnerEmail"] as? String == "john@example.com")

            let read = try await client.get("\(Self.apis)/\(id)", as: "pat")
            #expect(read.status == .ok)
            #expect(try read.object["name"] as? String == "PizzaShack")

            // A client may send back what it read; the server-set fields are ignored.
            var edited = try read.object
            edited["description"] = "Order pizza online"
            edited["tags"] = ["pizza", "food"]
            let body = String(decoding: try JSONSerialization.data(withJSONObject: edited), as: UTF8.self)
            let updated = try await client.put("\(Self.apis)/\(id)", as: "chris", json: body)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try updated.object["description"] as? String == "Order pizza online")
            #expect(try await fixture.storage.api(id: id)?.tags == ["food", "pizza"])

            let listed = try await client.get("\(Self.apis)?query=tag:food", as: "pat")
            #expect(try listed.list.map { $0["id"] as? String } == [id])
            #expect(try await client.get("\(Self.apis)?query=tag:drinks", as: "pat").list.isEmpty)
        }
    }

    @Test func searchSyntax() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            _ = try await client.createAPI(Client.apiJSON(name: "PizzaShack", context: "/pizza", tags: ["food"]))
            _ = try await client.createAPI(Client.apiJSON(name: "PhoneVerify", context: "/phone", tags: ["telco"]))
            func names(_ query: String) async throws -> [String] {
                let answer = try await client.get(
                    "\(Client.publisher)/search?query=\(Client.encode(query))",
                    as: "chris"
                )
                #expect(answer.status == .ok, "\(answer.text)")
                return try answer.list.compactMap { $0["name"] as? String }.sorted()
            }
            #expect(try await names("pizza") == ["PizzaShack"])
            #expect(try await names("name:P*") == ["PhoneVerify", "PizzaShack"])
            #expect(try await names("name:*Verify") == ["PhoneVerify"])
            #expect(try await names("tag:telco") == ["PhoneVerify"])
            #expect(try await names("provider:\"chris\" status:CREATED") == ["PhoneVerify", "PizzaShack"])
            #expect(try await names("provider:\"chri\"").isEmpty)
            #expect(try await names("context:/phone") == ["PhoneVerify"])
            let bad = try await client.get("\(Client.publisher)/search?query=colour:red", as: "chris")
            #expect(bad.status == .badRequest)
            #expect(bad.errorDescription.contains("Unknown search attribute"))
        }
    }

    @Test func badInputIsAnsweredWith400() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            _ = try await client.createAPI()
            let cases: [(String, String)] = [
                (Client.apiJSON(extra: ", \"colour\": \"red\""), "colour"),
                (Client.apiJSON(extra: ", \"endpointConfig2\": {}"), "endpointConfig2"),
                (#"{"name": "X", "context": "/x", "version": 1}"#, "version"),
                (#"{"name": "X", "context": "/x"}"#, "version"),
                (Client.apiJSON(name: "Other"), "already exists"),
                (Client.apiJSON(name: "Other", version: "2.0"), "is used by the API PizzaShack"),
                (Client.apiJSON(name: "Bad", context: "no slash here"), "context"),
                (Client.apiJSON(name: "Tiers", context: "/tiers", policies: ["Platinum"]), "Platinum"),
                ("[1, 2]", "JSON object"),
                ("{not json", "not valid JSON"),
            ]
            for (body, expected) in cases {
                let answer = try await client.post(Self.apis, as: "chris", json: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.text.contains(expected), "\(answer.text)")
                #expect(try answer.object["code"] as? Int == 400)
                #expect(try answer.object["message"] as? String == "Bad Request")
            }
            // Nested unknown fields are found too.
            let nested = Client.apiJSON(name: "Nested", context: "/nested").replacingOccurrences(
                of: "\"verb\": \"GET\"",
                with: "\"verb\": \"GET\", \"colour\": \"red\""
            )
            let answer = try await client.post(Self.apis, as: "chris", json: nested)
            #expect(answer.status == .badRequest)
            #expect(answer.errorDescription.contains("operations[0].colour"))
            // Nothing half-written: only the first API exists.
            #expect(try await fixture.storage.apis().count == 1)
        }
    }

    @Test func functionLevelChecks() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            #expect(
                try await client.post(Self.apis, json: Client.apiJSON(name: "A", context: "/a")).status == .unauthorized
            )
            #expect(
                try await client.post(Self.apis, as: "alice", json: Client.apiJSON(name: "A", context: "/a")).status
                    == .forbidden
            )
            #expect(
                try await client.post(Self.apis, as: "pat", json: Client.apiJSON(name: "A", context: "/a")).status
                    == .forbidden
            )
            #expect(try await client.get(Self.apis, as: "alice").status == .forbidden)
            #expect(try await client.get(Self.apis, as: "nobody").status == .forbidden)
            #expect(try await client.delete("\(Self.apis)/\(id)", as: "pat").status == .forbidden)
            let wrongPassword = try await client.call(.get, Self.apis, token: "not-a-token")
            #expect(wrongPassword.status == .unauthorized)
            #expect(wrongPassword.headers[.wwwAuthenticate] != nil)
            // Another provider's name needs an administrator.
            let foreign = Client.apiJSON(name: "B", context: "/b", extra: ", \"provider\": \"pat\"")
            #expect(try await client.post(Self.apis, as: "chris", json: foreign).status == .forbidden)
            #expect(try await client.post(Self.apis, as: "admin", json: foreign).status == .created)
        }
    }

    @Test func bearerTokensCarryTheirScopes() async throws {
        let fixture = try await ManagementFixture()
        let creating = try await fixture.token(for: "chris", scopes: ["apim:api_create", "apim:api_view"])
        let viewing = try await fixture.token(for: "chris", scopes: ["apim:api_view"])
        // Scopes the user's roles do not grant are not issued: a subscriber cannot get apim:api_create.
        let subscriber = try await fixture.token(for: "alice", scopes: ["apim:api_create"])
        try await fixture.test { client in
            let created = try await client.call(.post, Self.apis, token: creating, json: Client.apiJSON())
            #expect(created.status == .created, "\(created.text)")
            let second = Client.apiJSON(name: "Second", context: "/second")
            #expect(try await client.call(.post, Self.apis, token: viewing, json: second).status == .forbidden)
            #expect(try await client.call(.get, Self.apis, token: viewing).status == .ok)
            #expect(try await client.call(.post, Self.apis, token: subscriber, json: second).status == .forbidden)
        }
    }

    @Test func nameVersionAndContextCannotChange() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            let answer = try await client.put("\(Self.apis)/\(id)", as: "chris", json: Client.apiJSON(version: "2.0.0"))
            #expect(answer.status == .badRequest)
            #expect(answer.errorDescription.contains("copy-api"))
            #expect(
                try await client.put("\(Self.apis)/missing", as: "chris", json: Client.apiJSON()).status == .notFound
            )
        }
    }

    @Test func copyAPICreatesANewVersionWithDocuments() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            let document = #"{"name": "Guide", "type": "HOWTO", "sourceType": "MARKDOWN", "inlineContent": "Hi"}"#
            #expect(
                try await client.post("\(Self.apis)/\(id)/documents", as: "chris", json: document).status == .created
            )
            let copied = try await client.post("\(Self.apis)/copy-api?apiId=\(id)&newVersion=2.0.0", as: "chris")
            #expect(copied.status == .created, "\(copied.text)")
            let copy = try copied.object
            let copyID = try #require(copy["id"] as? String)
            #expect(copy["version"] as? String == "2.0.0")
            #expect(copy["context"] as? String == "/pizzashack")
            #expect(copy["lifeCycleStatus"] as? String == "CREATED")
            #expect(try await client.get("\(Self.apis)/\(copyID)/documents", as: "chris").list.count == 1)
            // The same version again is refused.
            let again = try await client.post("\(Self.apis)/copy-api?apiId=\(id)&newVersion=2.0.0", as: "chris")
            #expect(again.status == .badRequest)
        }
    }

    @Test func deleteRefusesAPIsWithSubscriptions() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            let application = try await fixture.keyManager.createApplication(name: "Shop", owner: "alice")
            _ = try await fixture.keyManager.subscribe(applicationID: application.id, apiID: id, tier: "Gold")
            let refused = try await client.delete("\(Self.apis)/\(id)", as: "chris")
            #expect(refused.status == .conflict)
            #expect(try fixture.deployedFiles() == ["chris--PizzaShack_v1.0.0.xml"])

            let other = try await client.publishedAPI(Client.apiJSON(name: "Other", context: "/other"))
            #expect(try await client.delete("\(Self.apis)/\(other)", as: "chris").status == .ok)
            #expect(try await client.get("\(Self.apis)/\(other)", as: "chris").status == .notFound)
            #expect(try fixture.deployedFiles() == ["chris--PizzaShack_v1.0.0.xml"])
        }
    }
}
