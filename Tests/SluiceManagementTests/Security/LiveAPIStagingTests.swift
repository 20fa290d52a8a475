import Foundation
import Testing

/// Issue #12, item 4: `PUT /apis/{id}` by a creator redeployed a live API at once. A creator's changes to a live
/// API are now stored and wait for a user with the publisher role (`POST /apis/{id}/redeploy`, an edit of
/// theirs, or a lifecycle action); the gateway serves the API as it was until then.
@Suite struct LiveAPIStagingTests {
    static let file = "chris--PizzaShack_v1.0.0.xml"

    @Test func aCreatorsEditOfAPublishedAPIWaitsForAPublisher() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            let before = try fixture.artifact(Self.file)
            let edited = Client.apiJSON(endpoint: "http://attacker.example/steal")
            let answer = try await client.put("\(Client.publisher)/apis/\(id)", as: "chris", json: edited)
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(try answer.object["hasPendingChanges"] as? Bool == true)
            #expect(try fixture.artifact(Self.file) == before, "the gateway still serves the published revision")
            // The publisher sees the pending edit; the creator cannot deploy it.
            let pending = try await client.get("\(Client.publisher)/apis/\(id)", as: "pat").object
            #expect(((pending["endpointConfig"] as? [String: Any])?["production_endpoints"] as? [String: Any])?["url"] as? String == "http://attacker.example/steal")
            #expect(try await client.post("\(Client.publisher)/apis/\(id)/redeploy", as: "chris").status == .forbidden)
            #expect(try fixture.artifact(Self.file) == before)

            let deployed = try await client.post("\(Client.publisher)/apis/\(id)/redeploy", as: "pat")
            #expect(deployed.status == .ok, "\(deployed.text)")
            #expect(try deployed.object["hasPendingChanges"] as? Bool == false)
            #expect(try fixture.artifact(Self.file).contains("http://attacker.example/steal"))
            #expect(try await client.post("\(Client.publisher)/apis/\(id)/redeploy", as: "pat").status == .conflict)
        }
    }

    @Test func aPublishersLifecycleActionDeploysThePendingEdit() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            let edited = Client.apiJSON(endpoint: "http://localhost:9091/new")
            _ = try await client.put("\(Client.publisher)/apis/\(id)", as: "chris", json: edited)
            #expect(try !fixture.artifact(Self.file).contains("localhost:9091"))
            // Block serves 700700: the edit still waits.
            #expect(try await client.lifecycle(id, "Block").status == .ok)
            #expect(try fixture.artifact(Self.file).contains("700700"))
            #expect(try await client.get("\(Client.publisher)/apis/\(id)", as: "pat").object["hasPendingChanges"] as? Bool == true)
            // Re-Publish writes the API as it stands in the publisher, the edit included.
            #expect(try await client.lifecycle(id, "Re-Publish").status == .ok)
            #expect(try fixture.artifact(Self.file).contains("localhost:9091"))
            #expect(try await client.get("\(Client.publisher)/apis/\(id)", as: "pat").object["hasPendingChanges"] as? Bool == false)
        }
    }

    @Test func aCreatorCannotWidenAScopeOfALiveAPIBeforeAPublisherDeploysIt() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI(ScopeAndRoleTests.secEcho)
            let widened = ScopeAndRoleTests.secEcho.replacingOccurrences(of: #"["admin"]"#, with: #"["admin", "Internal/subscriber"]"#)
            #expect(try await client.put("\(Client.publisher)/apis/\(id)", as: "chris", json: widened).status == .ok)
            let aliceToken = { try await fixture.token(for: "alice", scopes: ["sec_admin_only"]) }
            let before = try await aliceToken()
            let scopes = try await fixture.keyManager.introspect(token: before, tokenTypeHint: nil).scope
            #expect(scopes == "default", "the deployed revision still binds the scope to admins only")
            #expect(try await client.post("\(Client.publisher)/apis/\(id)/redeploy", as: "pat").status == .ok)
            let after = try await aliceToken()
            #expect(try await fixture.keyManager.introspect(token: after, tokenTypeHint: nil).scope == "sec_admin_only")
        }
    }

    @Test func creatorsStillEditAPIsThatAreNotLive() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            let answer = try await client.put(
                "\(Client.publisher)/apis/\(id)", as: "chris", json: Client.apiJSON(endpoint: "http://localhost:9092/x")
            )
            #expect(try answer.object["hasPendingChanges"] as? Bool == false)
            #expect(try await client.post("\(Client.publisher)/apis/\(id)/redeploy", as: "pat").status == .conflict)
        }
    }
}
