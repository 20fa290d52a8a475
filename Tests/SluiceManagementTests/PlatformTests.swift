import Foundation
import HTTPTypes
import Testing

/// Settings, the key manager, the gateway environment, role checks, system scopes and key mappings: what WSO2's
/// portals and apictl read before anything else.
@Suite(.timeLimit(.minutes(1))) struct PlatformTests {
    @Test func settingsOfTheThreeAPIs() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let publisher = try await client.get("\(Client.publisher)/settings", as: "chris")
            #expect(publisher.status == .ok)
            let environments = try #require(try publisher.object["environment"] as? [[String: Any]])
            #expect(environments.map { $0["name"] as? String } == ["Default"])
            #expect((try publisher.object["scopes"] as? [String])?.contains("apim:api_create") == true)
            let devportal = try await client.get("\(Client.devportal)/settings")
            #expect(devportal.status == .ok)
            #expect(try devportal.object["apiGatewayEndpoint"] as? String == "http://localhost:8280,https://localhost:8243")
            #expect((try devportal.object["grantTypes"] as? [String])?.contains("client_credentials") == true)
            #expect(try await client.get("\(Client.admin)/settings", as: "chris").status == .forbidden)
            #expect(try await client.get("\(Client.admin)/settings", as: "admin").status == .ok)
        }
    }

    @Test func theBuiltInKeyManagerAndTheDefaultEnvironment() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let listed = try await client.get("\(Client.devportal)/key-managers").list
            #expect(listed.map { $0["name"] as? String } == ["Resident Key Manager"])
            let id = try #require(listed.first?["id"] as? String)
            #expect((listed.first?["tokenEndpoint"] as? String)?.hasSuffix("/oauth2/token") == true)
            let one = try await client.get("\(Client.admin)/key-managers/\(id)", as: "admin")
            #expect(try one.object["revokeEndpoint"] as? String != nil)
            #expect(try await client.get("\(Client.admin)/key-managers/other", as: "admin").status == .notFound)
            let environments = try await client.get("\(Client.admin)/environments", as: "admin").list
            let environmentID = try #require(environments.first?["id"] as? String)
            let vhosts = try #require(environments.first?["vhosts"] as? [[String: Any]])
            #expect(vhosts.first?["httpPort"] as? Int == 8280)
            for key in [environmentID, "Default"] {
                #expect(try await client.get("\(Client.admin)/environments/\(key)", as: "admin").status == .ok)
            }
            #expect(try await client.get("\(Client.admin)/environments/Staging", as: "admin").status == .notFound)
        }
    }

    @Test func rolesAreCheckedByNameOrBase64URL() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let encoded = Data("Internal/creator".utf8).base64EncodedString()
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "=", with: "")
            let checks: [(String, String, HTTPResponse.Status)] = [
                ("\(Client.publisher)/roles/\(encoded)", "chris", .ok),
                ("\(Client.admin)/roles/admin", "admin", .ok),
                ("\(Client.admin)/roles/wizard", "admin", .notFound),
                ("\(Client.publisher)/me/roles/\(encoded)", "chris", .ok),
                ("\(Client.publisher)/me/roles/admin", "chris", .notFound),
            ]
            for (uri, user, expected) in checks {
                let answer = try await client.call(.head, uri, as: user)
                #expect(answer.status == expected, "\(uri)")
            }
        }
    }

    @Test func systemScopesAreTheRolesBindings() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let scopes = try await client.get("\(Client.admin)/system-scopes", as: "admin").list
            let create = try #require(scopes.first { $0["name"] as? String == "apim:api_create" })
            #expect((create["roles"] as? [String])?.contains("Internal/creator") == true)
            #expect(try await client.get("\(Client.admin)/system-scopes", as: "chris").status == .forbidden)
            let held = "\(Client.admin)/system-scopes/apim:api_create?username=chris"
            #expect(try await client.get(held, as: "admin").status == .ok)
            // Bind apim:api_create to the administrators only: the creator's new logins lose it.
            let bound = try await client.put(
                "\(Client.admin)/system-scopes",
                as: "admin",
                json: #"{"list": [{"name": "apim:api_create", "roles": ["admin"]}]}"#
            )
            #expect(bound.status == .ok, "\(bound.text)")
            #expect(try await client.get(held, as: "admin").status == .notFound)
            #expect(try await client.post("\(Client.publisher)/apis", as: "chris", json: Client.apiJSON()).status == .forbidden)
            let unknownRole = #"{"list": [{"name": "apim:api_create", "roles": ["wizard"]}]}"#
            #expect(try await client.put("\(Client.admin)/system-scopes", as: "admin", json: unknownRole).status == .badRequest)
            let lockout = #"{"list": [{"name": "apim:admin", "roles": []}]}"#
            #expect(try await client.put("\(Client.admin)/system-scopes", as: "admin", json: lockout).status == .badRequest)
            #expect(try await client.get("\(Client.admin)/system-scopes/role-aliases", as: "admin").list.isEmpty)
        }
    }

    @Test func keyMappingsServeTheKeyResources() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let app = try await client.post(
                "\(Client.devportal)/applications",
                as: "alice",
                json: #"{"name": "Shop", "throttlingPolicy": "Unlimited"}"#
            )
            let appID = try #require(try app.object["applicationId"] as? String)
            let keys = try await client.post(
                "\(Client.devportal)/applications/\(appID)/generate-keys",
                as: "alice",
                json: #"{"keyType": "SANDBOX", "grantTypesToBeSupported": ["client_credentials"]}"#
            )
            let mapping = try #require(try keys.object["keyMappingId"] as? String)
            let base = "\(Client.devportal)/applications/\(appID)/oauth-keys"
            #expect(try await client.get(base, as: "alice").list.count == 1)
            let one = try await client.get("\(base)/\(mapping)", as: "alice")
            #expect(try one.object["keyType"] as? String == "SANDBOX")
            let token = try await client.post("\(base)/\(mapping)/generate-token", as: "alice", json: "{}")
            #expect(token.status == .ok, "\(token.text)")
            let secret = try await client.post("\(base)/\(mapping)/regenerate-secret", as: "alice")
            #expect(try secret.object["consumerSecret"] as? String != nil)
            #expect(try await client.get("\(base)/\(mapping)", as: "bob").status == .notFound)
            #expect(try await client.get("\(base)/\(UUID().uuidString)", as: "alice").status == .notFound)
        }
    }

    @Test func anAPIsSubscriptionPolicies() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            for (base, user) in [(Client.publisher, "chris"), (Client.devportal, "alice")] {
                let answer = try await client.get("\(base)/apis/\(id)/subscription-policies", as: user)
                #expect(answer.status == .ok)
                let tiers = try #require(try JSONSerialization.jsonObject(with: answer.data) as? [[String: Any]])
                #expect(tiers.map { $0["name"] as? String } == ["Gold", "Unlimited"])
            }
        }
    }
}
