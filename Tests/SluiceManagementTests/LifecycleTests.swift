import Foundation
import SluiceManagement
import SluiceModel
import SluiceStorage
import Testing

@Suite(.timeLimit(.minutes(1))) struct LifecycleTests {
    static let file = "chris--PizzaShack_v1.0.0.xml"

    @Test func publishBlockRepublishDeprecateRetire() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            #expect(try fixture.deployedFiles().isEmpty)

            let published = try await client.lifecycle(id, "Publish")
            #expect(published.status == .ok, "\(published.text)")
            let state = try #require(try published.object["lifecycleState"] as? [String: Any])
            #expect(state["state"] as? String == "PUBLISHED")
            #expect(try fixture.deployedFiles() == [Self.file])
            let live = try fixture.artifact(Self.file)
            #expect(live.contains("context=\"/pizzashack/1.0.0\""))
            #expect(live.contains("APIAuthenticationHandler"))
            #expect(!live.contains("700700"))

            #expect(try await client.lifecycle(id, "Block").status == .ok)
            #expect(try fixture.artifact(Self.file).contains("700700"))

            #expect(try await client.lifecycle(id, "Re-Publish").status == .ok)
            #expect(try fixture.artifact(Self.file) == live)

            #expect(try await client.lifecycle(id, "Deprecate").status == .ok)
            #expect(try fixture.deployedFiles() == [Self.file])

            #expect(try await client.lifecycle(id, "Retire").status == .ok)
            #expect(try fixture.deployedFiles().isEmpty)
            #expect(try await fixture.storage.api(id: id)?.lifecycleState == .retired)

            let history = try await client.get("\(Client.publisher)/apis/\(id)/lifecycle-history", as: "chris")
            #expect(
                try history.list.map { $0["postState"] as? String }
                    == ["CREATED", "PUBLISHED", "BLOCKED", "PUBLISHED", "DEPRECATED", "RETIRED"]
            )
            #expect(try history.list.last?["user"] as? String == "pat")
        }
    }

    @Test func prototypeAndDemotion() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            #expect(try await client.lifecycle(id, "Deploy as a Prototype").status == .ok)
            #expect(try fixture.deployedFiles() == [Self.file])
            #expect(!(try fixture.artifact(Self.file).contains("APIAuthenticationHandler")))
            #expect(try await client.lifecycle(id, "Demote to Created").status == .ok)
            #expect(try fixture.deployedFiles().isEmpty)
            // Form-style encoding of the action works as well.
            let form = try await client.post(
                "\(Client.publisher)/apis/change-lifecycle?apiId=\(id)&action=Deploy+as+a+Prototype",
                as: "pat"
            )
            #expect(form.status == .ok, "\(form.text)")
            #expect(try await client.lifecycle(id, "Publish").status == .ok)
            #expect(try await client.lifecycle(id, "Demote to Created").status == .ok)
            #expect(try fixture.deployedFiles().isEmpty)
        }
    }

    @Test(arguments: [
        ("CREATED", ["Block", "Deprecate", "Retire", "Re-Publish", "Demote to Created"]),
        ("PUBLISHED", ["Deploy as a Prototype", "Re-Publish", "Retire"]),
    ])
    func illegalTransitionsChangeNothing(state: String, actions: [String]) async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            if state == "PUBLISHED" { #expect(try await client.lifecycle(id, "Publish").status == .ok) }
            let before = try fixture.deployedFiles()
            for action in actions {
                let answer = try await client.lifecycle(id, action)
                #expect(answer.status == .badRequest, "\(action)")
                #expect(answer.errorDescription.contains("cannot '\(action)'"), "\(answer.text)")
            }
            #expect(try await fixture.storage.api(id: id)?.lifecycleState.rawValue == state)
            #expect(try fixture.deployedFiles() == before)
            let unknown = try await client.lifecycle(id, "Launch")
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func onlyPublishersChangeLifecycles() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            #expect(try await client.lifecycle(id, "Publish", as: "chris").status == .forbidden)
            #expect(try await client.lifecycle(id, "Publish", as: "alice").status == .forbidden)
            #expect(try fixture.deployedFiles().isEmpty)
            #expect(try await client.lifecycle(id, "Publish", as: "admin").status == .ok)
            #expect(try await client.lifecycle("missing", "Publish").status == .notFound)
        }
    }

    @Test func publishingWithoutPushListsButDoesNotDeploy() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            let answer = try await client.lifecycle(id, "Publish", checklist: "Push to Gateway:false")
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(try fixture.deployedFiles().isEmpty)
            let store = try await client.get("\(Client.devportal)/apis")
            #expect(try store.list.map { $0["id"] as? String } == [id])
            // Edits of an undeployed API stay off the gateway too.
            #expect(
                try await client.put("\(Client.publisher)/apis/\(id)", as: "chris", json: Client.apiJSON()).status
                    == .ok
            )
            #expect(try fixture.deployedFiles().isEmpty)
            let bad = try await client.lifecycle(id, "Block", checklist: "Push to Gateway:maybe")
            #expect(bad.status == .badRequest)
        }
    }

    @Test func editingAPublishedAPIRedeploysIt() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            #expect(try fixture.artifact(Self.file).contains("http://localhost:9080/pizzashack"))
            // admin holds the creator's and the publisher's scopes: the edit reaches the gateway at once.
            let edited = Client.apiJSON(endpoint: "http://localhost:9090/v2/pizzashack")
            let answer = try await client.put("\(Client.publisher)/apis/\(id)", as: "admin", json: edited)
            #expect(answer.status == .ok, "\(answer.text)")
            let artifact = try fixture.artifact(Self.file)
            #expect(artifact.contains("http://localhost:9090/v2/pizzashack"))
            #expect(!artifact.contains("http://localhost:9080/pizzashack"))

            // An edit that cannot be deployed is refused and leaves storage and gateway as they were.
            let undeployable = Client.apiJSON().replacingOccurrences(
                of:
                    #""endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "http://localhost:9080/pizzashack"}},"#,
                with: ""
            )
            let refused = try await client.put("\(Client.publisher)/apis/\(id)", as: "admin", json: undeployable)
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(try fixture.artifact(Self.file) == artifact)
            #expect(try await client.get("\(Client.publisher)/apis/\(id)", as: "chris").object["endpointConfig"] != nil)

            // Becoming the default version adds the unversioned artifact.
            let defaulted = Client.apiJSON(
                endpoint: "http://localhost:9090/v2/pizzashack",
                extra: ", \"isDefaultVersion\": true"
            )
            #expect(try await client.put("\(Client.publisher)/apis/\(id)", as: "admin", json: defaulted).status == .ok)
            #expect(try fixture.deployedFiles() == [Self.file, "chris--PizzaShack.xml"])
            #expect(try await client.put("\(Client.publisher)/apis/\(id)", as: "admin", json: edited).status == .ok)
            #expect(try fixture.deployedFiles() == [Self.file])
        }
    }

    @Test func publishOptionsDeprecateOldVersionsAndCarrySubscriptions() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let first = try await client.publishedAPI()
            let application = try await fixture.keyManager.createApplication(name: "Shop", owner: "alice")
            _ = try await fixture.keyManager.subscribe(applicationID: application.id, apiID: first, tier: "Gold")

            let copy = try await client.post(
                "\(Client.publisher)/apis/copy-api?apiId=\(first)&newVersion=2.0.0",
                as: "chris"
            )
            let second = try #require(try copy.object["id"] as? String)
            let published = try await client.lifecycle(second, "Publish", checklist: "Deprecate old versions:true")
            #expect(published.status == .ok, "\(published.text)")
            #expect(try await fixture.storage.api(id: first)?.lifecycleState == .deprecated)
            let carried = try await fixture.storage.subscriptions(to: APIKey(context: "/pizzashack", version: "2.0.0"))
            #expect(carried.map(\.applicationID) == [application.id])
            #expect(carried.first?.tier == "Gold")

            let third = try #require(
                try await client.post("\(Client.publisher)/apis/copy-api?apiId=\(first)&newVersion=3.0.0", as: "chris")
                    .object["id"] as? String
            )
            let again = try await client.lifecycle(third, "Publish", checklist: "Require re-subscription:true")
            #expect(again.status == .ok)
            #expect(
                try await fixture.storage.subscriptions(to: APIKey(context: "/pizzashack", version: "3.0.0")).isEmpty
            )
            #expect(try await fixture.storage.api(id: second)?.lifecycleState == .published)
            #expect(
                try fixture.deployedFiles()
                    == ["chris--PizzaShack_v1.0.0.xml", "chris--PizzaShack_v2.0.0.xml", "chris--PizzaShack_v3.0.0.xml"]
            )
        }
    }

    @Test func lifecycleStateListsTheAllowedActions() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            let answer = try await client.get("\(Client.publisher)/apis/\(id)/lifecycle-state", as: "pat")
            let transitions = try #require(try answer.object["availableTransitions"] as? [[String: Any]])
            #expect(Set(transitions.compactMap { $0["event"] as? String }) == ["Publish", "Deploy as a Prototype"])
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct DefaultVersionTests {
    @Test func theLastDeployedDefaultVersionOwnsTheUnversionedArtifact() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let first = try await client.publishedAPI(Client.apiJSON(extra: ", \"isDefaultVersion\": true"))
            #expect(try fixture.artifact("chris--PizzaShack.xml").contains("1.0.0"))
            let copied = try await client.post(
                "\(Client.publisher)/apis/copy-api?apiId=\(first)&newVersion=2.0.0&defaultVersion=true",
                as: "chris"
            )
            let second = try #require(try copied.object["id"] as? String)
            // Until the new version is deployed, the old one stays the default.
            #expect(try await fixture.storage.api(id: first)?.isDefaultVersion == true)
            #expect(try await client.lifecycle(second, "Publish").status == .ok)
            #expect(try fixture.artifact("chris--PizzaShack.xml").contains("2.0.0"))
            #expect(try await fixture.storage.api(id: first)?.isDefaultVersion == false)
            // Retiring the old version leaves the new default's artifact in place.
            #expect(try await client.lifecycle(first, "Deprecate").status == .ok)
            #expect(try await client.lifecycle(first, "Retire").status == .ok)
            #expect(try fixture.deployedFiles() == ["chris--PizzaShack.xml", "chris--PizzaShack_v2.0.0.xml"])
        }
    }
}
