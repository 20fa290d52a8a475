import Foundation
import SluiceModel
import Synchronization
import Testing

/// WSO2's admin `GET /throttling/policies/export` and `POST /throttling/policies/import` (`apictl export|import
/// policy rate-limiting`): a policy exported from one server is created on another, replaced only with overwrite,
/// and the gateways hear of it; custom rules, strangers and malformed files are refused.
@Suite(.timeLimit(.minutes(1))) struct ThrottlePolicyImportExportTests {
    static let export = "\(Client.admin)/throttling/policies/export"
    static let importURI = "\(Client.admin)/throttling/policies/import"

    private func upload(_ client: Client, _ file: Data, query: String = "", as user: String = "admin") async throws
        -> Answer
    {
        try await client.upload("\(Self.importURI)\(query)", as: user, parts: [("file", "policy.yaml", file)])
    }

    @Test func anExportedPolicyIsCreatedOnAnotherServerAndReplacedOnlyWithOverwrite() async throws {
        let source = try await ManagementFixture()
        let exported = Mutex<(json: Data, yaml: Data)>((Data(), Data()))
        try await source.test { client in
            let created = try await client.post(
                "\(Client.admin)/throttling/policies/application",
                as: "admin",
                json: #"{"policyName": "Busy", "displayName": "Busy apps", "description": "1000 a minute", "#
                    + #""defaultLimit": {"type": "REQUESTCOUNTLIMIT", "#
                    + #""requestCount": {"timeUnit": "min", "unitTime": 1, "requestCount": 1000}}}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let json = try await client.get("\(Self.export)?name=Busy&type=app", as: "admin")
            #expect(json.status == .ok, "\(json.text)")
            #expect(try json.object["type"] as? String == "throttling policy")
            #expect(try json.object["subtype"] as? String == "application policy")
            let data = try #require(try json.object["data"] as? [String: Any])
            #expect(data["type"] as? String == "ApplicationThrottlePolicy")
            #expect(data["policyName"] as? String == "Busy")
            #expect((data["defaultLimit"] as? [String: Any])?["type"] as? String == "REQUESTCOUNTLIMIT")
            // By id, without a type (the first level having it), and as YAML.
            let yaml = try await client.get("\(Self.export)?policyId=Busy&format=YAML", as: "admin")
            #expect(yaml.status == .ok)
            #expect(yaml.headers[.contentType] == "application/x-yaml")
            #expect(yaml.text.contains("subtype: application policy"))
            exported.withLock { $0 = (json.data, yaml.data) }
            // A subscription tier from the tier files exports too.
            let gold = try await client.get("\(Self.export)?name=Gold&type=sub", as: "admin")
            #expect(try gold.object["subtype"] as? String == "subscription policy")
            #expect(try await client.get("\(Self.export)?name=Busy&type=sub", as: "admin").status == .notFound)
            #expect(try await client.get("\(Self.export)?name=Busy&type=custom", as: "admin").status == .badRequest)
            #expect(try await client.get(Self.export, as: "admin").status == .badRequest)
            #expect(try await client.get("\(Self.export)?name=Busy", as: "alice").status == .forbidden)
        }
        let (json, yaml) = exported.withLock { $0 }
        let target = try await ManagementFixture()
        try await target.test { client in
            #expect(try await upload(client, yaml, as: "alice").status == .forbidden)
            let imported = try await upload(client, yaml)
            #expect(imported.status == .ok, "\(imported.text)")
            #expect(imported.text == "Successfully imported Application Policy : Busy")
            let policy = try await client.get("\(Client.admin)/throttling/policies/application/Busy", as: "admin")
            #expect(try policy.object["displayName"] as? String == "Busy apps")
            let again = try await upload(client, json, query: "?overwrite=False")
            #expect(again.status == .conflict)
            #expect(again.errorDescription.contains("overwrite=true"))
            var changed = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            var data = try #require(changed["data"] as? [String: Any])
            data["description"] = "Changed"
            changed["data"] = data
            let replaced = try await upload(client, try JSONSerialization.data(withJSONObject: changed), query: "?overwrite=True")
            #expect(replaced.status == .ok, "\(replaced.text)")
            let after = try await client.get("\(Client.admin)/throttling/policies/application/Busy", as: "admin")
            #expect(try after.object["description"] as? String == "Changed")
        }
        // The gateways were told of both changes.
        #expect(target.policyChanges.all.count == 2)
    }

    @Test func filesThatAreNoPolicyOrACustomRuleAreRefusedByName() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let custom = #"{"type": "throttling policy", "subtype": "custom rule", "data": {"policyName": "x"}}"#
            let refused = try await upload(client, Data(custom.utf8))
            #expect(refused.status == .badRequest)
            #expect(refused.errorDescription.contains("Custom rules"))
            let wrongType = try await upload(client, Data("type: api\ndata: {}\n".utf8))
            #expect(wrongType.errorDescription.contains("must be throttling policy"))
            let typo = """
                type: throttling policy
                subtype: subscription policy
                data:
                  policyName: Typo
                  defaultLimit: {requestCount: {timeUnit: min, unitTime: 1, requestCount: 5}}
                  stopOnQuotaRech: true
                """
            let unknown = try await upload(client, Data(typo.utf8))
            #expect(unknown.status == .badRequest)
            #expect(unknown.errorDescription.contains("stopOnQuotaRech"))
            #expect(try await upload(client, Data("{not json".utf8)).status == .badRequest)
            // WSO2's own export carries fields Sluice ignores (GraphQL limits, monetization...): accepted.
            let wso2 = """
                type: throttling policy
                subtype: subscription policy
                version: v4.1.0
                data:
                  policyId: 15797f4c-0000-4000-8000-000000000001
                  policyName: Silverish
                  displayName: Silverish
                  isDeployed: true
                  type: SubscriptionThrottlePolicy
                  graphQLMaxComplexity: 0
                  graphQLMaxDepth: 0
                  defaultLimit:
                    type: REQUESTCOUNTLIMIT
                    requestCount: {timeUnit: min, unitTime: 1, requestCount: 2000}
                    bandwidth: null
                    eventCount: null
                  monetization: null
                  rateLimitCount: 0
                  rateLimitTimeUnit: null
                  subscriberCount: 0
                  customAttributes: []
                  stopOnQuotaReach: true
                  billingPlan: FREE
                  permissions: null
                """
            let accepted = try await upload(client, Data(wso2.utf8))
            #expect(accepted.status == .ok, "\(accepted.text)")
            let policy = try await client.get("\(Client.admin)/throttling/policies/subscription/Silverish", as: "admin")
            #expect(try policy.object["policyName"] as? String == "Silverish")
            #expect(try policy.object["rateLimitCount"] == nil)
        }
    }
}
