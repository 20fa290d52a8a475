import Foundation
import SluiceManagement
import SluiceModel
import SluiceStorage
import Testing

@Suite(.timeLimit(.minutes(1))) struct AdminTests {
    static let users = "\(Client.admin)/users"
    static let subscriptionPolicies = "\(Client.admin)/throttling/policies/subscription"

    @Test func usersAndRoles() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            #expect(try await client.get(Self.users, as: "alice").status == .forbidden)
            #expect(try await client.get(Self.users, as: "pat").status == .forbidden)
            let listed = try await client.get(Self.users, as: "admin")
            #expect(listed.status == .ok)
            #expect(try listed.list.compactMap { $0["username"] as? String }.contains("chris"))
            #expect(!listed.text.contains("password"))

            let body =
                #"{"username": "erin", "password": "erin-password-1", "email": "erin@example.com", "roles": ["Internal/creator"]}"#
            #expect(try await client.post(Self.users, as: "alice", json: body).status == .forbidden)
            #expect(try await client.post(Self.users, as: "admin", json: body).status == .created)
            #expect(try await client.post(Self.users, as: "admin", json: body).status == .conflict)
            let unknownRole = body.replacingOccurrences(of: "erin", with: "fred").replacingOccurrences(
                of: "Internal/creator",
                with: "wizard"
            )
            let refused = try await client.post(Self.users, as: "admin", json: unknownRole)
            #expect(refused.status == .badRequest)
            #expect(refused.errorDescription.contains("wizard"))

            // A role change takes effect on the next request.
            #expect(
                try await client.post("\(Client.publisher)/apis", as: "alice", json: Client.apiJSON()).status
                    == .forbidden
            )
            let roles = try await client.put(
                "\(Self.users)/alice/roles",
                as: "admin",
                json: #"{"roles": ["Internal/subscriber", "Internal/creator"]}"#
            )
            #expect(roles.status == .ok, "\(roles.text)")
            #expect(
                try await client.post("\(Client.publisher)/apis", as: "alice", json: Client.apiJSON()).status
                    == .created
            )
            #expect(
                try await client.put(
                    "\(Self.users)/admin/roles",
                    as: "admin",
                    json: #"{"roles": ["Internal/creator"]}"#
                ).status == .badRequest
            )
            #expect(try await client.get("\(Self.users)/nobody-here", as: "admin").status == .notFound)
            let roleList = try await client.get("\(Client.admin)/roles", as: "admin")
            #expect(try Set(roleList.list.compactMap { $0["name"] as? String }) == Set(Role.defaults.map(\.name)))
        }
    }

    @Test func subscriptionPoliciesReachTheGatewayHook() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let body = #"""
                {"policyName": "Platinum", "displayName": "Platinum", "description": "Lots",
                 "defaultLimit": {"type": "REQUESTCOUNTLIMIT", "requestCount": {"timeUnit": "min", "unitTime": 1, "requestCount": 10000}},
                 "rateLimitCount": 50, "rateLimitTimeUnit": "sec", "stopOnQuotaReach": false, "billingPlan": "COMMERCIAL"}
                """#
            #expect(try await client.post(Self.subscriptionPolicies, as: "pat", json: body).status == .forbidden)
            let created = try await client.post(Self.subscriptionPolicies, as: "admin", json: body)
            #expect(created.status == .created, "\(created.text)")
            let platinum = ThrottleTier(
                name: "Platinum",
                maxCount: 10_000,
                unitTime: 60_000,
                burstLimit: 50,
                burstUnitTime: 1_000,
                billingPlan: "COMMERCIAL",
                stopOnQuotaReach: false,
                description: "Lots",
                attributes: ["displayName": "Platinum"]
            )
            #expect(fixture.policyChanges.all == [.upserted(platinum, level: .subscription)])
            #expect(try await client.post(Self.subscriptionPolicies, as: "admin", json: body).status == .conflict)

            // Gateways starting later load it with the tier files' tiers.
            let sets = try await fixture.services.tierSets()
            #expect(sets[.subscription]?["Platinum"] == platinum)
            #expect(sets[.subscription]?.tiers.map(\.name).contains("Gold") == true)
            #expect(sets[.application]?.tiers.map(\.name).contains("Platinum") == false)

            // Publishers may now offer it.
            let id = try await client.createAPI(Client.apiJSON(policies: ["Platinum"]))
            let listed = try await client.get(Self.subscriptionPolicies, as: "admin")
            #expect(try listed.list.compactMap { $0["policyName"] as? String }.contains("Platinum"))
            let read = try await client.get("\(Self.subscriptionPolicies)/Platinum", as: "admin").object
            #expect((read["defaultLimit"] as? [String: Any])?["type"] as? String == "REQUESTCOUNTLIMIT")
            #expect(read["rateLimitCount"] as? Int == 50)

            let changed = body.replacingOccurrences(of: "10000", with: "20000")
            #expect(
                try await client.put("\(Self.subscriptionPolicies)/Platinum", as: "admin", json: changed).status == .ok
            )
            #expect(
                fixture.policyChanges.all.last
                    == .upserted(
                        {
                            var tier = platinum; tier.maxCount = 20_000; return tier
                        }(),
                        level: .subscription
                    )
            )

            // In use by an API: not deleted.
            #expect(try await client.delete("\(Self.subscriptionPolicies)/Platinum", as: "admin").status == .conflict)
            #expect(try await client.delete("\(Client.publisher)/apis/\(id)", as: "chris").status == .ok)
            #expect(try await client.delete("\(Self.subscriptionPolicies)/Platinum", as: "admin").status == .ok)
            #expect(fixture.policyChanges.all.last == .removed(name: "Platinum", level: .subscription))
            #expect(try await client.get("\(Self.subscriptionPolicies)/Platinum", as: "admin").status == .notFound)
        }
    }

    @Test func builtInTiersCanBeOverriddenButNotDeleted() async throws {
        let fixture = try await ManagementFixture()
        let builtInGold = try #require(TierSet.wso2Defaults(.subscription)["Gold"])
        try await fixture.test { client in
            let gold =
                #"{"policyName": "Gold", "defaultLimit": {"requestCount": {"timeUnit": "min", "unitTime": 1, "requestCount": 5000}}}"#
            let uri = "\(Self.subscriptionPolicies)/Gold"
            let refused = try await client.delete(uri, as: "admin")
            #expect(refused.status == .badRequest)
            let overridden = try await client.put(uri, as: "admin", json: gold)
            #expect(overridden.status == .ok)
            let stored = try await fixture.storage.policies(level: .subscription)
            #expect(stored.map(\.maxCount) == [5_000])
            // Deleting the override brings the tier file's Gold back to the gateways.
            let deleted = try await client.delete(uri, as: "admin")
            #expect(deleted.status == .ok)
            #expect(fixture.policyChanges.all.last == .upserted(builtInGold, level: .subscription))
            let missing = try await client.put(
                "\(Self.subscriptionPolicies)/Nothing",
                as: "admin",
                json: gold.replacingOccurrences(of: "Gold", with: "Nothing")
            )
            #expect(missing.status == .notFound)
        }
    }

    @Test func applicationAndAdvancedPoliciesRejectSubscriptionFields() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let application = "\(Client.admin)/throttling/policies/application"
            let burst =
                #"{"policyName": "Burst", "defaultLimit": {"requestCount": {"timeUnit": "min", "unitTime": 1, "requestCount": 5}}, "rateLimitCount": 5, "rateLimitTimeUnit": "sec"}"#
            let answer = try await client.post(application, as: "admin", json: burst)
            #expect(answer.status == .badRequest)
            #expect(answer.errorDescription.contains("subscription policies only"))

            let advanced = "\(Client.admin)/throttling/policies/advanced"
            let bandwidth =
                #"{"policyName": "10MB", "defaultLimit": {"type": "BANDWIDTHLIMIT", "bandwidth": {"timeUnit": "hour", "unitTime": 1, "dataAmount": 10, "dataUnit": "MB"}}}"#
            let created = try await client.post(advanced, as: "admin", json: bandwidth)
            #expect(created.status == .created, "\(created.text)")
            let limit = try #require(try created.object["defaultLimit"] as? [String: Any])
            #expect((limit["bandwidth"] as? [String: Any])?["dataAmount"] as? Int == 10)
            #expect(
                try await client.get("\(Client.publisher)/throttling-policies/api", as: "pat").list.contains {
                    $0["name"] as? String == "10MB"
                }
            )

            let cases = [
                #"{"policyName": "Both", "defaultLimit": {"requestCount": {"timeUnit": "min", "unitTime": 1, "requestCount": 5}, "bandwidth": {"timeUnit": "min", "unitTime": 1, "dataAmount": 5, "dataUnit": "KB"}}}"#,
                #"{"policyName": "Zero", "defaultLimit": {"requestCount": {"timeUnit": "min", "unitTime": 1, "requestCount": 0}}}"#,
                #"{"policyName": "Week", "defaultLimit": {"requestCount": {"timeUnit": "week", "unitTime": 1, "requestCount": 5}}}"#,
                #"{"policyName": "bad name!", "defaultLimit": {"requestCount": {"timeUnit": "min", "unitTime": 1, "requestCount": 5}}}"#,
                #"{"policyName": "Typo", "defaultLimit": {"requestCount": {"timeUnit": "min", "unitTime": 1, "requestCount": 5, "burst": 1}}}"#,
            ]
            for body in cases {
                let refused = try await client.post(advanced, as: "admin", json: body)
                #expect(refused.status == .badRequest, "\(body)")
            }
            #expect(fixture.policyChanges.all.count == 1)
        }
    }
}
