import Foundation
import HTTPTypes
import SluiceKeyManager
import Testing

/// The admin API's applications across owners and its API list.
@Suite(.timeLimit(.minutes(1))) struct AdminApplicationTests {
    static let applications = "\(Client.admin)/applications"

    @Test func administratorsListEveryOwnersApplicationsButNotCLIClients() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            for (user, name) in [("alice", "Shop"), ("bob", "Bakery"), ("alice", "Atlas")] {
                _ = try await client.post("\(Client.devportal)/applications", as: user, json: #"{"name": "\#(name)", "throttlingPolicy": "Unlimited"}"#)
            }
            _ = try await fixture.keyManager.createApplication(name: "sluice-cli-host", owner: "alice", isInternal: true)
            let all = try await client.get(Self.applications, as: "admin")
            #expect(all.status == .ok)
            #expect(try all.list.map { $0["name"] as? String } == ["Atlas", "Bakery", "Shop"])
            #expect(try all.list.first?["createdTime"] as? String != nil)
            let byOwner = try await client.get("\(Self.applications)?sortBy=owner&sortOrder=desc", as: "admin")
            #expect(try byOwner.list.map { $0["owner"] as? String } == ["bob", "alice", "alice"])
            #expect(try await client.get("\(Self.applications)?user=alice&name=sh", as: "admin").list.count == 1)
            #expect(try await client.get("\(Self.applications)?sortBy=size", as: "admin").status == .badRequest)
            // A subscriber's apim:app_import_export (their own applications) opens nothing here.
            #expect(try await client.get(Self.applications, as: "alice").status == .forbidden)
            #expect(try await client.get(Self.applications).status == .unauthorized)
        }
    }

    @Test func anApplicationChangesHandsAndGoes() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let created = try await client.post("\(Client.devportal)/applications", as: "alice", json: #"{"name": "Shop", "throttlingPolicy": "Unlimited"}"#)
            let id = try #require(try created.object["applicationId"] as? String)
            let keys = try await client.post("\(Client.devportal)/applications/\(id)/generate-keys", as: "alice", json: #"{"keyType": "PRODUCTION"}"#)
            let token = try #require((try keys.object["token"] as? [String: Any])?["accessToken"] as? String)
            #expect(try await client.get("\(Self.applications)/\(id)", as: "admin").object["owner"] as? String == "alice")
            #expect(try await client.get("\(Self.applications)/nope", as: "admin").status == .notFound)

            let changeOwner = "\(Self.applications)/\(id)/change-owner"
            #expect(try await client.post("\(changeOwner)?owner=ghost", as: "admin").status == .badRequest)
            #expect(try await client.post("\(changeOwner)?owner=chris", as: "admin").status == .badRequest)  // a creator
            #expect(try await client.post(changeOwner, as: "admin").status == .badRequest)
            _ = try await client.post("\(Client.devportal)/applications", as: "bob", json: #"{"name": "Shop", "throttlingPolicy": "Unlimited"}"#)
            #expect(try await client.post("\(changeOwner)?owner=bob", as: "admin").status == .conflict)
            let settings = "\(Self.applications)/\(id)/change-settings"
            let moved = try await client.post(settings, as: "admin", json: #"{"owner": "admin", "tokenType": "JWT"}"#)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(try moved.object["owner"] as? String == "admin")
            #expect(try moved.object["tokenType"] as? String == "JWT")
            #expect(try await client.post(settings, as: "admin", json: #"{"tokenType": "SAML"}"#).status == .badRequest)
            // The new owner sees it in the devportal, the old one no longer does; keys and tokens stay.
            #expect(try await client.get("\(Client.devportal)/applications/\(id)", as: "alice").status == .notFound)
            #expect(try await client.get("\(Client.devportal)/applications/\(id)", as: "admin").status == .ok)
            #expect(try await fixture.keyManager.introspect(token: token, tokenTypeHint: nil).active)

            #expect(try await client.delete("\(Self.applications)/\(id)", as: "alice").status == .forbidden)
            #expect(try await client.delete("\(Self.applications)/\(id)", as: "admin").status == .ok)
            #expect(try await !fixture.keyManager.introspect(token: token, tokenTypeHint: nil).active)
            #expect(try await client.delete("\(Self.applications)/\(id)", as: "admin").status == .notFound)
        }
    }

    @Test func everyAPIIsListedForAdministrators() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            _ = try await client.createAPI(Client.apiJSON(name: "Menu", context: "/menu"))
            let all = try await client.get("\(Client.admin)/apis", as: "admin")
            #expect(all.status == .ok)
            let apis = try #require(try all.object["apis"] as? [[String: Any]])
            #expect(apis.map { $0["name"] as? String } == ["Menu", "PizzaShack"])
            #expect(apis.last?["id"] as? String == id)
            let found = try #require(try await client.get("\(Client.admin)/apis?query=name:Pizza", as: "admin").object["apis"] as? [[String: Any]])
            #expect(found.count == 1)
            #expect(try await client.get("\(Client.admin)/apis", as: "chris").status == .forbidden)
        }
    }
}
