import Foundation
import HTTPTypes
import SluiceControlPlane
import SluiceKeyManager
import SluiceModel
import Testing

/// Editing, removing and mapping application keys, several subscriptions at once, a throttling policy by name and
/// the caller's password change: WSO2's devportal resources beyond generate-keys.
@Suite(.timeLimit(.minutes(1))) struct DevPortalKeyMappingTests {
    static let applications = "\(Client.devportal)/applications"

    /// An application of `alice` with PRODUCTION keys: (application id, consumer key, secret).
    static func applicationWithKeys(_ client: Client, name: String = "Shop") async throws -> (String, String, String) {
        let created = try await client.post(applications, as: "alice", json: #"{"name": "\#(name)", "throttlingPolicy": "Unlimited"}"#)
        let id = try #require(try created.object["applicationId"] as? String)
        let keys = try await client.post(
            "\(applications)/\(id)/generate-keys", as: "alice",
            json: #"{"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"]}"#
        )
        return (id, try #require(try keys.object["consumerKey"] as? String), try #require(try keys.object["consumerSecret"] as? String))
    }

    @Test func grantTypesAndCallbackAreReplacedByKeyTypeOrMappingID() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let (id, consumerKey, _) = try await Self.applicationWithKeys(client)
            let body = #"{"supportedGrantTypes": ["client_credentials", "password"], "callbackUrl": "https://shop.example.com/cb", "keyType": "PRODUCTION", "consumerKey": "ignored"}"#
            let updated = try await client.put("\(Self.applications)/\(id)/keys/PRODUCTION", as: "alice", json: body)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try updated.object["callbackUrl"] as? String == "https://shop.example.com/cb")
            #expect(try updated.object["consumerKey"] as? String == consumerKey)
            #expect(updated.headers[.init("Sluice-Ignored-Fields")!] == "keyType")
            let stored = try #require(try await fixture.keyManager.keys(applicationID: id).first)
            #expect(stored.grantTypes == ["client_credentials", "password"])

            // Grants identity.xml does not offer and bad URLs are refused; others' apps are 404.
            let mapping = try #require(try updated.object["keyMappingId"] as? String)
            let refusals: [(String, String, HTTPResponse.Status)] = [
                ("oauth-keys/\(mapping)", #"{"supportedGrantTypes": ["authorization_code"], "callbackUrl": "https://a.example"}"#, .badRequest),
                ("oauth-keys/\(mapping)", #"{"supportedGrantTypes": ["implicit"]}"#, .badRequest),
                ("keys/PRODUCTION", #"{"callbackUrl": "ftp://x"}"#, .badRequest),
                ("keys/SANDBOX", #"{"supportedGrantTypes": ["password"]}"#, .notFound),
                ("oauth-keys/00000000-0000-5000-8000-000000000000", #"{"supportedGrantTypes": ["password"]}"#, .notFound),
                ("keys/PRODUCTION", #"{"supportedGrantTypes": ["password"], "colour": 1}"#, .badRequest),
            ]
            for (path, json, status) in refusals {
                let answer = try await client.put("\(Self.applications)/\(id)/\(path)", as: "alice", json: json)
                #expect(answer.status == status, "\(path) \(json): \(answer.text)")
            }
            let bobs = try await client.put("\(Self.applications)/\(id)/keys/PRODUCTION", as: "bob", json: #"{"supportedGrantTypes": ["password"]}"#)
            #expect(bobs.status == .notFound)
            let byMapping = try await client.put(
                "\(Self.applications)/\(id)/oauth-keys/\(mapping)", as: "alice", json: #"{"supportedGrantTypes": ["password"]}"#
            )
            #expect(byMapping.status == .ok)
            // A replacement: the grant types changed, and the callback, not given, is gone.
            #expect(try await fixture.keyManager.keys(applicationID: id).first?.grantTypes == ["password"])
            #expect(try await fixture.keyManager.keys(applicationID: id).first?.callbackURL == nil)
        }
    }

    @Test func removedKeysTakeTheirTokensAlongAndCanBeGeneratedAgain() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let (id, consumerKey, secret) = try await Self.applicationWithKeys(client)
            let token = try await fixture.keyManager.token(
                for: TokenRequest(grant: .clientCredentials),
                credentials: ClientCredentials(consumerKey: consumerKey, consumerSecret: secret)
            )
            let mapping = KeyMapping.id(applicationID: id, keyType: .production)
            #expect(try await client.delete("\(Self.applications)/\(id)/oauth-keys/\(mapping)", as: "bob").status == .notFound)
            #expect(try await client.delete("\(Self.applications)/\(id)/oauth-keys/\(mapping)", as: "alice").status == .ok)
            #expect(try await fixture.keyManager.keys(applicationID: id).isEmpty)
            let introspected = try await fixture.keyManager.introspect(token: token.accessToken, tokenTypeHint: nil)
            #expect(!introspected.active)
            await #expect(throws: OAuth2Error.self) {
                try await fixture.keyManager.authenticateClient(ClientCredentials(consumerKey: consumerKey, consumerSecret: secret))
            }
            #expect(try await client.delete("\(Self.applications)/\(id)/oauth-keys/\(mapping)", as: "alice").status == .notFound)
            let again = try await client.post("\(Self.applications)/\(id)/generate-keys", as: "alice", json: #"{"keyType": "PRODUCTION"}"#)
            #expect(again.status == .ok)
            // clean-up, by key type or by mapping id, removes them too.
            #expect(try await client.post("\(Self.applications)/\(id)/keys/PRODUCTION/clean-up", as: "alice").status == .ok)
            #expect(try await client.post("\(Self.applications)/\(id)/keys/PRODUCTION/clean-up", as: "alice").status == .notFound)
            _ = try await client.post("\(Self.applications)/\(id)/generate-keys", as: "alice", json: #"{"keyType": "SANDBOX"}"#)
            let sandbox = KeyMapping.id(applicationID: id, keyType: .sandbox)
            #expect(try await client.post("\(Self.applications)/\(id)/oauth-keys/\(sandbox)/clean-up", as: "alice").status == .ok)
            #expect(try await fixture.keyManager.keys(applicationID: id).isEmpty)
        }
    }

    @Test func mappedKeysKeepTheirCredentialsAndStoreOnlyTheSecretsHash() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let created = try await client.post(Self.applications, as: "alice", json: #"{"name": "Moved", "throttlingPolicy": "Unlimited"}"#)
            let id = try #require(try created.object["applicationId"] as? String)
            let body = #"{"consumerKey": "wso2-client-4f8a", "consumerSecret": "wso2-secret-9b1c", "keyManager": "Resident Key Manager", "keyType": "PRODUCTION"}"#
            let mapped = try await client.post("\(Self.applications)/\(id)/map-keys", as: "alice", json: body)
            #expect(mapped.status == .ok, "\(mapped.text)")
            #expect(try mapped.object["consumerKey"] as? String == "wso2-client-4f8a")
            #expect(try mapped.object["consumerSecret"] == nil)
            #expect(try mapped.object["mode"] as? String == "MAPPED")
            let stored = try #require(try await fixture.storage.consumerKey("wso2-client-4f8a"))
            #expect(stored.secretHash != Data("wso2-secret-9b1c".utf8))
            let token = try await fixture.keyManager.token(
                for: TokenRequest(grant: .clientCredentials),
                credentials: ClientCredentials(consumerKey: "wso2-client-4f8a", consumerSecret: "wso2-secret-9b1c")
            )
            #expect(!token.accessToken.isEmpty)

            let other = try await client.post(Self.applications, as: "alice", json: #"{"name": "Other", "throttlingPolicy": "Unlimited"}"#)
            let otherID = try #require(try other.object["applicationId"] as? String)
            let refusals: [(String, String, HTTPResponse.Status)] = [
                (id, body, .conflict),
                (otherID, body, .conflict),
                (otherID, #"{"consumerKey": "k-1", "keyType": "PRODUCTION"}"#, .badRequest),
                (otherID, #"{"consumerKey": "k 1", "consumerSecret": "s", "keyType": "PRODUCTION"}"#, .badRequest),
                (otherID, #"{"consumerKey": "k-1", "consumerSecret": "s", "keyType": "PRODUCTION", "keyManager": "Okta"}"#, .badRequest),
                (otherID, #"{"consumerKey": "k-1", "consumerSecret": "s", "keyType": "TEST"}"#, .badRequest),
            ]
            for (app, json, status) in refusals {
                let answer = try await client.post("\(Self.applications)/\(app)/map-keys", as: "alice", json: json)
                #expect(answer.status == status, "\(json): \(answer.text)")
            }
            let bobs = try await client.post("\(Self.applications)/\(otherID)/map-keys", as: "bob", json: #"{"consumerKey": "k-2", "consumerSecret": "s", "keyType": "SANDBOX"}"#)
            #expect(bobs.status == .notFound)
        }
    }

    @Test func severalSubscriptionsAreMadeAllOrNothing() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let first = try await client.publishedAPI()
            let second = try await client.publishedAPI(Client.apiJSON(name: "Menu", context: "/menu"))
            let (app, _, _) = try await Self.applicationWithKeys(client)
            let multiple = "\(Client.devportal)/subscriptions/multiple"
            // The second item names a tier the API does not offer: nothing is subscribed.
            let refused = try await client.post(multiple, as: "alice", json: """
                [{"applicationId": "\(app)", "apiId": "\(first)", "throttlingPolicy": "Gold"},
                 {"applicationId": "\(app)", "apiId": "\(second)", "throttlingPolicy": "Silver"}]
                """)
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(try await fixture.keyManager.subscriptions(applicationID: app).isEmpty)
            let repeated = try await client.post(multiple, as: "alice", json: """
                [{"applicationId": "\(app)", "apiId": "\(first)", "throttlingPolicy": "Gold"},
                 {"applicationId": "\(app)", "apiId": "\(first)", "throttlingPolicy": "Gold"}]
                """)
            #expect(repeated.status == .conflict)
            #expect(try await client.post(multiple, as: "alice", json: "[]").status == .badRequest)
            #expect(try await client.post(multiple, as: "alice", json: #"{"applicationId": "x"}"#).status == .badRequest)
            #expect(try await client.post(multiple, as: "alice", json: #"[{"applicationId": "\#(app)"}]"#).status == .badRequest)
            let made = try await client.post(multiple, as: "alice", json: """
                [{"applicationId": "\(app)", "apiId": "\(first)", "throttlingPolicy": "Gold"},
                 {"applicationId": "\(app)", "apiId": "\(second)", "throttlingPolicy": "Unlimited"}]
                """)
            #expect(made.status == .ok, "\(made.text)")
            let list = try #require(try JSONSerialization.jsonObject(with: made.data) as? [[String: Any]])
            #expect(list.map { $0["apiId"] as? String } == [first, second])
            #expect(try await fixture.keyManager.subscriptions(applicationID: app).count == 2)
            let bobs = try await client.post(multiple, as: "bob", json: #"[{"applicationId": "\#(app)", "apiId": "\#(first)", "throttlingPolicy": "Gold"}]"#)
            #expect(bobs.status == .notFound)
        }
    }

    @Test func aThrottlingPolicyByLevelAndName() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let gold = try await client.get("\(Client.devportal)/throttling-policies/subscription/Gold")
            #expect(gold.status == .ok)
            #expect(try gold.object["name"] as? String == "Gold")
            #expect(try await client.get("\(Client.devportal)/throttling-policies/application/Unlimited").status == .ok)
            #expect(try await client.get("\(Client.devportal)/throttling-policies/subscription/Platinum").status == .notFound)
            #expect(try await client.get("\(Client.devportal)/throttling-policies/api/Gold").status == .badRequest)
        }
    }

    @Test func theCallerChangesTheirPasswordAndTheOldOneStopsAtOnce() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let change = "\(Client.devportal)/me/change-password"
            let old = ManagementFixture.password("alice")
            // A Basic check is remembered for a minute: alice's old password is in the cache now.
            #expect(try await client.get(Self.applications, as: "alice").status == .ok)
            let wrong = try await client.post(change, as: "alice", json: #"{"currentPassword": "nope-nope", "newPassword": "brand-new-pass"}"#)
            #expect(wrong.status == .badRequest)
            let short = try await client.post(change, as: "alice", json: #"{"currentPassword": "\#(old)", "newPassword": "short"}"#)
            #expect(short.status == .badRequest)
            let changed = try await client.post(change, as: "alice", json: #"{"currentPassword": "\#(old)", "newPassword": "brand-new-pass"}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try await client.get(Self.applications, as: "alice").status == .unauthorized)
            let user = try await fixture.keyManager.authenticateUser(username: "alice", password: "brand-new-pass")
            #expect(user?.username == "alice")
            #expect(try await client.post(change, json: #"{"currentPassword": "a", "newPassword": "b"}"#).status == .unauthorized)
        }
    }
}
