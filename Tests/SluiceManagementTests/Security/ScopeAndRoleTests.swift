import Foundation
import HTTPTypes
import Hummingbird
import SluiceKeyManager
import SluiceModel
import Testing

/// Issue #12, items 6 and 3 through the REST APIs and `/oauth2/token`: scopes an API declares go only to the
/// roles bound to them, and taking a role from a user revokes the tokens the role paid for.
@Suite struct ScopeAndRoleTests {
    /// SecEcho: `/secret` needs `sec_admin_only`, which only admins may obtain.
    static let secEcho = Client.apiJSON(
        name: "SecEcho",
        context: "/sececho",
        extra: """
            , "scopes": [{"scope": {"name": "sec_admin_only", "bindings": ["admin"]}}]
            """
    ).replacingOccurrences(
        of: #"{"target": "/order", "verb": "POST", "scopes": []}"#,
        with: #"{"target": "/secret", "verb": "GET", "scopes": ["sec_admin_only"]}"#
    )

    /// An application of `owner` subscribed to `apiID`, with production keys: (consumer key, secret).
    static func subscribedKeys(_ client: Client, owner: String, apiID: String) async throws -> (String, String) {
        let application = try await client.post(
            "\(Client.devportal)/applications",
            as: owner,
            json: #"{"name": "App-\#(UUID().uuidString.prefix(8))", "throttlingPolicy": "Unlimited"}"#
        )
        let applicationID = try #require(try application.object["applicationId"] as? String)
        let subscription = try await client.post(
            "\(Client.devportal)/subscriptions",
            as: owner,
            json: #"{"applicationId": "\#(applicationID)", "apiId": "\#(apiID)", "throttlingPolicy": "Gold"}"#
        )
        #expect(subscription.status == .created, "\(subscription.text)")
        let keys = try await client.post(
            "\(Client.devportal)/applications/\(applicationID)/generate-keys",
            as: owner,
            json: #"{"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials", "password", "refresh_token"]}"#
        )
        let object = try keys.object
        return (try #require(object["consumerKey"] as? String), try #require(object["consumerSecret"] as? String))
    }

    /// `POST /oauth2/token` with the client's Basic credentials.
    static func token(_ client: Client, _ keys: (String, String), _ form: String) async throws -> Answer {
        let basic = Data("\(keys.0):\(keys.1)".utf8).base64EncodedString()
        return try await client.send(
            .post,
            "/oauth2/token",
            headers: [.authorization: "Basic \(basic)", .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form)
        )
    }

    static func validate(_ fixture: ManagementFixture, _ token: String, resource: String, scopes: [String])
        -> KeyValidationResult
    {
        fixture.keyManager.validationService.validate(
            KeyValidationRequest(
                accessToken: token,
                apiContext: "/sececho",
                apiVersion: "1.0.0",
                resource: resource,
                httpMethod: "GET",
                requiredScopes: scopes
            )
        )
    }

    @Test func clientCredentialsOfAPlainSubscriberDoNotGetAnAdminOnlyScope() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.testGuarded { client in
            let client = client("192.0.2.20")
            let apiID = try await client.publishedAPI(Self.secEcho)
            let aliceKeys = try await Self.subscribedKeys(client, owner: "alice", apiID: apiID)
            let answer = try await Self.token(client, aliceKeys, "grant_type=client_credentials&scope=sec_admin_only")
            #expect(answer.status == .ok)
            #expect(try answer.object["scope"] as? String == "default")
            let token = try #require(try answer.object["access_token"] as? String)
            // The gateway's check for /secret refuses it (900910); unscoped resources take it.
            #expect(Self.validate(fixture, token, resource: "/secret", scopes: ["sec_admin_only"]).errorCode == .invalidScope)
            #expect(Self.validate(fixture, token, resource: "/menu", scopes: []).authorized)

            // The admin's application gets the scope, and /secret takes the token.
            let adminKeys = try await Self.subscribedKeys(client, owner: "admin", apiID: apiID)
            let admin = try await Self.token(client, adminKeys, "grant_type=client_credentials&scope=sec_admin_only")
            #expect(try admin.object["scope"] as? String == "sec_admin_only")
            let adminToken = try #require(try admin.object["access_token"] as? String)
            #expect(Self.validate(fixture, adminToken, resource: "/secret", scopes: ["sec_admin_only"]).authorized)
        }
    }

    @Test func scopesAreDeclaredWithExistingRolesAndCannotTakeARESTAPIScope() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let undeclared = Self.secEcho.replacingOccurrences(of: #""scopes": [{"scope""#, with: #""other": [{"scope""#)
            for (json, message) in [
                (Self.secEcho.replacingOccurrences(of: "sec_admin_only", with: "apim:admin"), "scope of the management REST APIs"),
                (Self.secEcho.replacingOccurrences(of: #"["admin"]"#, with: #"["no-such-role"]"#), "'no-such-role' is not a role"),
            ] {
                let answer = try await client.post("\(Client.publisher)/apis", as: "chris", json: json)
                #expect(answer.status == .badRequest, "\(message)")
                #expect(answer.errorDescription.contains(message), "\(answer.errorDescription)")
            }
            let refused = try await client.post("\(Client.publisher)/apis", as: "chris", json: undeclared)
            #expect(refused.status == .badRequest)
            // Another API may not declare the same scope with other roles.
            _ = try await client.createAPI(Self.secEcho)
            let thief = Self.secEcho.replacingOccurrences(of: "SecEcho", with: "Thief").replacingOccurrences(of: "/sececho", with: "/thief")
                .replacingOccurrences(of: #"["admin"]"#, with: #"["Internal/subscriber"]"#)
            let stolen = try await client.post("\(Client.publisher)/apis", as: "chris", json: thief)
            #expect(stolen.status == .badRequest)
            #expect(stolen.errorDescription.contains("the scope sec_admin_only belongs to the API SecEcho"))
        }
    }

    @Test func demotingAUserRevokesTheirTokensAndRemovingThemToo() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.testGuarded { client in
            let client = client("192.0.2.21")
            let apiID = try await client.publishedAPI()
            let keys = try await Self.subscribedKeys(client, owner: "alice", apiID: apiID)
            #expect(try await client.put("\(Client.admin)/users/alice/roles", as: "admin", json: #"{"roles": ["admin"]}"#).status == .ok)
            let granted = try await Self.token(
                client, keys, "grant_type=password&username=alice&password=alice-password-1&scope=apim:admin"
            )
            #expect(try granted.object["scope"] as? String == "apim:admin")
            let token = try #require(try granted.object["access_token"] as? String)
            let refresh = try #require(try granted.object["refresh_token"] as? String)
            #expect(try await client.call(.get, "\(Client.admin)/users", token: token).status == .ok)

            // Demoted: the token stops working at once, and its refresh token with it.
            #expect(
                try await client.put(
                    "\(Client.admin)/users/alice/roles", as: "admin", json: #"{"roles": ["Internal/subscriber"]}"#
                ).status == .ok
            )
            #expect(try await client.call(.get, "\(Client.admin)/users", token: token).status == .unauthorized)
            let refreshed = try await Self.token(client, keys, "grant_type=refresh_token&refresh_token=\(refresh)")
            #expect(refreshed.status == .badRequest)
            #expect(try refreshed.object["error"] as? String == "invalid_grant")

            // Removed: the same for a subscriber's token; the admin cannot remove themselves.
            let subscriber = try await Self.token(client, keys, "grant_type=password&username=alice&password=alice-password-1")
            let subscriberToken = try #require(try subscriber.object["access_token"] as? String)
            #expect(try await client.delete("\(Client.admin)/users/alice", as: "admin").status == .ok)
            #expect(try await client.call(.get, "\(Client.devportal)/applications", token: subscriberToken).status == .unauthorized)
            #expect(try await client.delete("\(Client.admin)/users/alice", as: "admin").status == .notFound)
            #expect(try await client.delete("\(Client.admin)/users/admin", as: "admin").status == .badRequest)
            #expect(try await client.delete("\(Client.admin)/users/bob", as: "chris").status == .forbidden)
        }
    }
}
