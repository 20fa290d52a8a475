import Foundation
import Testing

/// Answers in WSO2's shapes: subscriptions with `apiInfo`, `applicationInfo` and `subscriptionStatus`, keys with a
/// stable `keyMappingId` and their `keyManager`, search items with their `type`.
@Suite(.timeLimit(.minutes(1))) struct WSO2ResponseShapeTests {
    @Test func subscriptionsCarryAPIAndApplicationInfo() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            let app = try await client.post(
                "\(Client.devportal)/applications",
                as: "alice",
                json: #"{"name": "Shop", "throttlingPolicy": "Unlimited", "description": "Orders"}"#
            )
            let appID = try #require(try app.object["applicationId"] as? String)
            let subscribed = try await client.post(
                "\(Client.devportal)/subscriptions",
                as: "alice",
                json: #"{"applicationId": "\#(appID)", "apiId": "\#(apiID)", "throttlingPolicy": "Gold"}"#
            )
            #expect(subscribed.status == .created, "\(subscribed.text)")
            let apiInfo = try #require(try subscribed.object["apiInfo"] as? [String: Any])
            #expect(apiInfo["id"] as? String == apiID)
            #expect(apiInfo["name"] as? String == "PizzaShack")
            #expect(apiInfo["version"] as? String == "1.0.0")
            let applicationInfo = try #require(try subscribed.object["applicationInfo"] as? [String: Any])
            #expect(applicationInfo["applicationId"] as? String == appID)
            #expect(applicationInfo["name"] as? String == "Shop")
            #expect(applicationInfo["subscriber"] as? String == "alice")
            #expect(applicationInfo["description"] as? String == "Orders")

            let listed = try await client.get("\(Client.publisher)/subscriptions?apiId=\(apiID)", as: "pat").list
            #expect(listed.count == 1)
            #expect(listed.first?["subscriptionStatus"] as? String == "UNBLOCKED")
            #expect((listed.first?["applicationInfo"] as? [String: Any])?["owner"] as? String == "alice")
            // A client echoing a subscription back with its read-only parts changes only the tier.
            var echoed = try subscribed.object
            echoed["throttlingPolicy"] = "Unlimited"
            let body = String(decoding: try JSONSerialization.data(withJSONObject: echoed), as: UTF8.self)
            let id = try #require(echoed["subscriptionId"] as? String)
            let changed = try await client.put("\(Client.devportal)/subscriptions/\(id)", as: "alice", json: body)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try changed.object["throttlingPolicy"] as? String == "Unlimited")
        }
    }

    @Test func keysCarryAStableKeyMappingIdAndTheirKeyManager() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let app = try await client.post(
                "\(Client.devportal)/applications",
                as: "alice",
                json: #"{"name": "Shop", "throttlingPolicy": "Unlimited"}"#
            )
            let appID = try #require(try app.object["applicationId"] as? String)
            var mappings: [String] = []
            for keyType in ["PRODUCTION", "SANDBOX"] {
                let keys = try await client.post(
                    "\(Client.devportal)/applications/\(appID)/generate-keys",
                    as: "alice",
                    json: #"{"keyType": "\#(keyType)", "grantTypesToBeSupported": ["client_credentials"]}"#
                )
                #expect(keys.status == .ok, "\(keys.text)")
                #expect(try keys.object["keyManager"] as? String == "Resident Key Manager")
                mappings.append(try #require(try keys.object["keyMappingId"] as? String))
            }
            #expect(Set(mappings).count == 2)
            #expect(mappings.allSatisfy { UUID(uuidString: $0) != nil })
            let listed = try await client.get("\(Client.devportal)/applications/\(appID)/keys", as: "alice").list
            #expect(Set(listed.compactMap { $0["keyMappingId"] as? String }) == Set(mappings))
        }
    }

    @Test func searchItemsSayTheyAreAPIs() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            for base in [Client.publisher, Client.devportal] {
                let found = try await client.get("\(base)/search?query=name:PizzaShack", as: "pat").list
                #expect(found.map { $0["id"] as? String } == [apiID], "\(base)")
                #expect(found.first?["type"] as? String == "API")
                #expect(found.first?["transportType"] as? String == "HTTP")
            }
            // The API list keeps WSO2's APIInfo shape (no search type).
            let listed = try await client.get("\(Client.publisher)/apis", as: "pat").list
            #expect(listed.first?["transportType"] == nil)
        }
    }
}
