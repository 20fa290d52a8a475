import Foundation
import Testing

/// Issue #21 item 3: WSO2's API revisions. A revision is an immutable snapshot of an API; the revision deployed to
/// `Default` is what the gateway serves, whatever the working copy becomes, until another one is deployed.
@Suite struct APIRevisionTests {
    static let file = "chris--PizzaShack_v1.0.0.xml"
    static let toDefault = #"[{"name": "Default", "vhost": "localhost", "displayOnDevportal": true}]"#

    @Test func revisionsSnapshotTheWorkingCopyAndStopAtFive() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            let first = try await client.post(
                "\(Client.publisher)/apis/\(id)/revisions", as: "chris", json: #"{"description": "first cut"}"#
            )
            #expect(first.status == .created, "\(first.text)")
            let revision = try first.object
            #expect(revision["displayName"] as? String == "Revision 1")
            #expect(revision["description"] as? String == "first cut")
            #expect((revision["apiInfo"] as? [String: Any])?["id"] as? String == id)
            #expect((revision["deploymentInfo"] as? [Any])?.isEmpty == true)
            for _ in 2...5 {
                #expect(try await client.post("\(Client.publisher)/apis/\(id)/revisions", as: "chris").status == .created)
            }
            let sixth = try await client.post("\(Client.publisher)/apis/\(id)/revisions", as: "chris", json: "{}")
            #expect(sixth.status == .badRequest)
            #expect(try sixth.object["code"] as? Int == 900351, "\(sixth.text)")

            let firstID = try #require(revision["id"] as? String)
            let remaining = try await client.delete("\(Client.publisher)/apis/\(id)/revisions/\(firstID)", as: "chris")
            #expect(remaining.status == .ok)
            #expect(try remaining.object["count"] as? Int == 4)
            let gone = try await client.get("\(Client.publisher)/apis/\(id)/revisions/\(firstID)", as: "chris")
            #expect(gone.status == .notFound)
            #expect(try gone.object["code"] as? Int == 900347)
            // The next revision follows the highest kept, as WSO2 numbers them.
            let next = try await client.post("\(Client.publisher)/apis/\(id)/revisions", as: "chris").object
            #expect(next["displayName"] as? String == "Revision 6")
            // Subscribers cannot make revisions; unknown APIs are 404.
            #expect(try await client.post("\(Client.publisher)/apis/\(id)/revisions", as: "alice").status == .forbidden)
            #expect(try await client.get("\(Client.publisher)/apis/nope/revisions", as: "chris").status == .notFound)
            #expect(try await client.get("\(Client.publisher)/apis/\(id)/revisions?query=color:red", as: "chris").status == .badRequest)
        }
    }

    @Test func theDeployedRevisionIsWhatTheGatewayServesUntilAnotherIsDeployed() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI(Client.apiJSON(endpoint: "http://localhost:9081/one"))
            let one = try await client.revision(of: id)
            let deployed = try await client.post(
                "\(Client.publisher)/apis/\(id)/deploy-revision?revisionId=\(one)", as: "pat", json: Self.toDefault
            )
            #expect(deployed.status == .created, "\(deployed.text)")
            let deployments = try #require(try JSONSerialization.jsonObject(with: deployed.data) as? [[String: Any]])
            #expect(deployments.count == 1)
            #expect(deployments.first?["name"] as? String == "Default")
            #expect(deployments.first?["revisionUuid"] as? String == one)
            #expect(deployments.first?["status"] as? String == "APPROVED")
            #expect(try fixture.artifact(Self.file).contains("localhost:9081/one"))

            // A publisher's edit of the working copy leaves the deployed revision on the gateway.
            let edited = try await client.put(
                "\(Client.publisher)/apis/\(id)", as: "admin", json: Client.apiJSON(endpoint: "http://localhost:9081/two")
            )
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(try edited.object["hasPendingChanges"] as? Bool == false)
            #expect(try fixture.artifact(Self.file).contains("localhost:9081/one"))
            // So does a lifecycle action that rewrites the artifact.
            #expect(try await client.lifecycle(id, "Publish").status == .ok)
            #expect(try fixture.artifact(Self.file).contains("localhost:9081/one"))
            #expect(try await client.post("\(Client.publisher)/apis/\(id)/redeploy", as: "pat").status == .conflict)

            let two = try await client.revision(of: id)
            let second = try await client.post(
                "\(Client.publisher)/apis/\(id)/deploy-revision?revisionId=\(two)", as: "pat", json: Self.toDefault
            )
            #expect(second.status == .created)
            #expect(try fixture.artifact(Self.file).contains("localhost:9081/two"))
            let listed = try await client.get("\(Client.publisher)/apis/\(id)/deployments", as: "chris").object
            #expect(((listed["list"] as? [[String: Any]])?.first)?["revisionUuid"] as? String == two)
            let deployedOnly = try await client.get("\(Client.publisher)/apis/\(id)/revisions?query=deployed:true", as: "chris")
            #expect(try deployedOnly.object["count"] as? Int == 1)

            // A deployed revision cannot be deleted; the one it replaced can.
            let refused = try await client.delete("\(Client.publisher)/apis/\(id)/revisions/\(two)", as: "pat")
            #expect(refused.status == .badRequest)
            #expect(try refused.object["code"] as? Int == 900348)
            #expect(try await client.delete("\(Client.publisher)/apis/\(id)/revisions/\(one)", as: "pat").status == .ok)
        }
    }

    @Test func undeployTakesTheAPIOffTheGatewayAndPublishingBringsTheWorkingCopyBack() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI(Client.apiJSON(endpoint: "http://localhost:9081/one"))
            let one = try await client.revision(of: id)
            _ = try await client.post("\(Client.publisher)/apis/\(id)/deploy-revision?revisionId=\(one)", as: "pat", json: Self.toDefault)
            _ = try await client.put("\(Client.publisher)/apis/\(id)", as: "admin", json: Client.apiJSON(endpoint: "http://localhost:9081/two"))
            // Nothing deployed in another environment: 404 with WSO2's code.
            let elsewhere = try await client.post(
                "\(Client.publisher)/apis/\(id)/undeploy-revision?revisionId=\(one)", as: "pat",
                json: #"[{"name": "us-region", "vhost": "localhost"}]"#
            )
            #expect(elsewhere.status == .notFound)
            #expect(try elsewhere.object["code"] as? Int == 900356)
            let undeployed = try await client.post(
                "\(Client.publisher)/apis/\(id)/undeploy-revision?revisionNumber=1", as: "pat", json: Self.toDefault
            )
            #expect(undeployed.status == .created, "\(undeployed.text)")
            #expect(try fixture.deployedFiles().contains(Self.file) == false)
            let api = try await client.get("\(Client.publisher)/apis/\(id)", as: "pat").object
            #expect(api["gatewayDeployed"] as? Bool == false)
            #expect(api["lifeCycleStatus"] as? String == "PUBLISHED")
            #expect(try await client.lifecycle(id, "Publish").status == .ok)
            #expect(try fixture.artifact(Self.file).contains("localhost:9081/two"))
        }
    }

    @Test func aRevisionDeployedBeforePublishingIsWhatPublishingDeploys() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI(Client.apiJSON(endpoint: "http://localhost:9081/one"))
            let one = try await client.revision(of: id)
            _ = try await client.put("\(Client.publisher)/apis/\(id)", as: "chris", json: Client.apiJSON(endpoint: "http://localhost:9081/two"))
            let deployed = try await client.post(
                "\(Client.publisher)/apis/\(id)/deploy-revision?revisionId=\(one)", as: "pat", json: Self.toDefault
            )
            #expect(deployed.status == .created, "\(deployed.text)")
            #expect(try fixture.deployedFiles().contains(Self.file) == false, "a CREATED API is on no gateway")
            #expect(try await client.lifecycle(id, "Publish").status == .ok)
            #expect(try fixture.artifact(Self.file).contains("localhost:9081/one"))
            // Retiring undeploys every revision; a retired API takes no deployment.
            #expect(try await client.lifecycle(id, "Deprecate").status == .ok)
            #expect(try await client.lifecycle(id, "Retire").status == .ok)
            let deployments = try await client.get("\(Client.publisher)/apis/\(id)/deployments", as: "pat").object
            #expect(deployments["count"] as? Int == 0)
            let retired = try await client.post(
                "\(Client.publisher)/apis/\(id)/deploy-revision?revisionId=\(one)", as: "pat", json: Self.toDefault
            )
            #expect(retired.status == .badRequest)
        }
    }

    @Test func restoreMakesTheWorkingCopyEqualToTheRevision() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI(Client.apiJSON(endpoint: "http://localhost:9081/one"))
            let one = try await client.revision(of: id)
            _ = try await client.put("\(Client.publisher)/apis/\(id)", as: "admin", json: Client.apiJSON(endpoint: "http://localhost:9081/two"))
            #expect(try fixture.artifact(Self.file).contains("localhost:9081/two"), "no revision deployed: edits deploy")
            // A creator's restore of the live API waits for a publisher, as an edit of theirs does.
            let staged = try await client.post("\(Client.publisher)/apis/\(id)/restore-revision?revisionId=\(one)", as: "chris")
            #expect(staged.status == .created, "\(staged.text)")
            #expect(try staged.object["hasPendingChanges"] as? Bool == true)
            #expect(try fixture.artifact(Self.file).contains("localhost:9081/two"))
            let restored = try await client.post("\(Client.publisher)/apis/\(id)/restore-revision?revisionId=\(one)", as: "pat")
            #expect(restored.status == .created)
            let endpoint = (try restored.object["endpointConfig"] as? [String: Any])?["production_endpoints"] as? [String: Any]
            #expect(endpoint?["url"] as? String == "http://localhost:9081/one")
            #expect(try fixture.artifact(Self.file).contains("localhost:9081/one"))
            #expect(try await client.post("\(Client.publisher)/apis/\(id)/restore-revision?revisionId=nope", as: "pat").status == .notFound)
        }
    }

    @Test func deploymentsRefuseWhatWSO2Refuses() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            let one = try await client.revision(of: id)
            let deploy = "\(Client.publisher)/apis/\(id)/deploy-revision?revisionId=\(one)"
            let unknown = try await client.post(deploy, as: "pat", json: #"[{"name": "us-region", "vhost": "localhost"}]"#)
            #expect(unknown.status == .badRequest)
            #expect(try unknown.object["code"] as? Int == 900504)
            #expect(try await client.post(deploy, as: "chris", json: Self.toDefault).status == .forbidden)
            #expect(try await client.post(deploy, as: "pat", json: #"{"name": "Default"}"#).status == .badRequest)
            #expect(try await client.post(deploy, as: "pat", json: "[]").status == .badRequest)
            #expect(try await client.post(deploy, as: "pat", json: #"[{"name": "Default", "vhost": "-bad-"}]"#).status == .badRequest)
            #expect(try await client.post(deploy, as: "pat", json: #"[{"name": "Default", "colour": "red"}]"#).status == .badRequest)
            #expect(try await client.post("\(Client.publisher)/apis/\(id)/deploy-revision", as: "pat", json: Self.toDefault).status == .badRequest)
            let wrong = "\(Client.publisher)/apis/\(id)/deploy-revision?revisionId=nope"
            #expect(try await client.post(wrong, as: "pat", json: Self.toDefault).status == .notFound)
            // WSO2's bodies carry fields Sluice sets itself: accepted and named.
            let echoed = try await client.post(
                deploy, as: "pat",
                json: #"[{"name": "Default", "vhost": "localhost", "status": "CREATED", "revisionUuid": "x", "deployedTime": "2024-01-01T00:00:00Z"}]"#
            )
            #expect(echoed.status == .created, "\(echoed.text)")
            let ignored = echoed.headers[.init("Sluice-Ignored-Fields")!] ?? ""
            #expect(Set(ignored.components(separatedBy: ", ")) == ["status", "revisionUuid"])
            // The deployment id is the environment's name or WSO2's base64url of it.
            let hidden = try await client.put(
                "\(Client.publisher)/apis/\(id)/deployments/RGVmYXVsdA", as: "pat", json: #"{"displayOnDevportal": false}"#
            )
            #expect(hidden.status == .ok, "\(hidden.text)")
            #expect(try hidden.object["displayOnDevportal"] as? Bool == false)
            #expect(try await client.put("\(Client.publisher)/apis/\(id)/deployments/nowhere", as: "pat", json: "{}").status == .notFound)
        }
    }
}

extension Client {
    /// Makes a revision of the API as `pat` and returns its id.
    func revision(of apiID: String) async throws -> String {
        let answer = try await post("\(Self.publisher)/apis/\(apiID)/revisions", as: "pat", json: #"{"description": "r"}"#)
        #expect(answer.status == .created, "\(answer.text)")
        return try #require(try answer.object["id"] as? String)
    }
}
