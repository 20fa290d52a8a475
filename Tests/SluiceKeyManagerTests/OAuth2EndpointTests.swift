import Foundation
import Hummingbird
import HummingbirdTesting
import SluiceKeyManager
import SluiceManagement
import SluiceModel
import Testing

@Suite(.timeLimit(.minutes(1))) struct OAuth2EndpointTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    static func headers(_ fixture: KeyManagerFixture, keys: GeneratedKeys? = nil) -> HTTPFields {
        let keys = keys ?? fixture.production
        var headers = form
        headers[.authorization] = basic(keys.consumerKey, keys.consumerSecret)
        return headers
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        return try #require(object as? [String: Any])
    }

    static func post(
        _ client: some TestClientProtocol,
        _ uri: String,
        _ body: String,
        headers: HTTPFields
    ) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func passwordGrantOverHTTP() async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        try await app.test(.router) { client in
            let response = try await Self.post(
                client, "/oauth2/token", "grant_type=password&username=alice&password=alice-pass&scope=orders%3Aread+default",
                headers: Self.headers(fixture)
            )
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let body = try Self.json(response)
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["expires_in"] as? Int == 1740)
            #expect(body["scope"] as? String == "orders:read default")
            let access = try #require(body["access_token"] as? String)
            #expect(body["refresh_token"] is String)
            #expect(fixture.validate(access).authorized)
        }
    }

    @Test func clientCredentialsInTheBodyAndRefreshGrant() async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        try await app.test(.router) { client in
            let keys = fixture.production
            let issued = try await Self.post(
                client, "/oauth2/token",
                "grant_type=password&username=alice&password=alice-pass&client_id=\(keys.consumerKey)&client_secret=\(keys.consumerSecret)",
                headers: Self.form
            )
            #expect(issued.status == .ok)
            let refresh = try #require(try Self.json(issued)["refresh_token"] as? String)
            let refreshed = try await Self.post(
                client, "/oauth2/token", "grant_type=refresh_token&refresh_token=\(refresh)", headers: Self.headers(fixture)
            )
            #expect(refreshed.status == .ok)
            #expect(try Self.json(refreshed)["refresh_token"] as? String != refresh)
            let reused = try await Self.post(
                client, "/oauth2/token", "grant_type=refresh_token&refresh_token=\(refresh)", headers: Self.headers(fixture)
            )
            #expect(reused.status == .badRequest)
            #expect(try Self.json(reused)["error"] as? String == "invalid_grant")
            let app = try await Self.post(client, "/oauth2/token", "grant_type=client_credentials", headers: Self.headers(fixture))
            #expect(app.status == .ok)
            #expect(try Self.json(app)["refresh_token"] == nil)
            #expect(try Self.json(app)["expires_in"] as? Int == 1140)
        }
    }

    @Test(arguments: [
        ("grant_type=password&username=alice", "invalid_request", 400),
        ("username=alice&password=alice-pass", "invalid_request", 400),
        ("grant_type=refresh_token", "invalid_request", 400),
        ("grant_type=password&username=alice&password=nope", "invalid_grant", 400),
        ("grant_type=authorization_code&code=x", "unsupported_grant_type", 400),
        ("grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer", "unsupported_grant_type", 400),
        ("grant_type=client_credentials&scope=a%22b", "invalid_scope", 400),
        ("grant_type=client_credentials&grant_type=password", "invalid_request", 400),
        ("grant_type=client_credentials&validity_period=soon", "invalid_request", 400),
        ("grant_type=client_credentials&validity_period=10", "invalid_request", 400),
        ("grant_type=client_credentials&x=%zz", "invalid_request", 400),
    ])
    func tokenErrors(body: String, error: String, status: Int) async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        try await app.test(.router) { client in
            let response = try await Self.post(client, "/oauth2/token", body, headers: Self.headers(fixture))
            #expect(response.status.code == status)
            #expect(try Self.json(response)["error"] as? String == error)
            #expect(response.headers[.cacheControl] == "no-store")
        }
    }

    @Test(arguments: [
        Self.basic("unknown", "secret"),
        "Basic !!!not-base64",
        "Basic " + Data("no-colon".utf8).base64EncodedString(),
        "Basic",
    ])
    func badClientAuthenticationIs401WithAChallenge(authorization: String) async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        try await app.test(.router) { client in
            var headers = Self.form
            headers[.authorization] = authorization
            let response = try await Self.post(client, "/oauth2/token", "grant_type=client_credentials", headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Basic realm=\"Sluice\"")
            #expect(try Self.json(response)["error"] as? String == "invalid_client")
        }
    }

    @Test func missingClientAuthenticationAndTwoMethods() async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        try await app.test(.router) { client in
            let none = try await Self.post(client, "/oauth2/token", "grant_type=client_credentials", headers: Self.form)
            #expect(none.status == .unauthorized)
            let both = try await Self.post(
                client, "/oauth2/token", "grant_type=client_credentials&client_id=a&client_secret=b",
                headers: Self.headers(fixture)
            )
            #expect(both.status == .badRequest)
            #expect(try Self.json(both)["error"] as? String == "invalid_request")
        }
    }

    @Test func wrongContentTypeAndOversizedBodies() async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        try await app.test(.router) { client in
            var json = Self.headers(fixture)
            json[.contentType] = "application/json"
            let wrongType = try await Self.post(client, "/oauth2/token", #"{"grant_type":"client_credentials"}"#, headers: json)
            #expect(wrongType.status == .badRequest)
            #expect(try Self.json(wrongType)["error"] as? String == "invalid_request")
            let huge = "grant_type=client_credentials&padding=" + String(repeating: "a", count: 40_000)
            let oversized = try await Self.post(client, "/oauth2/token", huge, headers: Self.headers(fixture))
            #expect(oversized.status == .contentTooLarge)
            #expect(try Self.json(oversized)["error"] as? String == "invalid_request")
            var charset = Self.headers(fixture)
            charset[.contentType] = "application/x-www-form-urlencoded; charset=UTF-8"
            let withCharset = try await Self.post(client, "/oauth2/token", "grant_type=client_credentials", headers: charset)
            #expect(withCharset.status == .ok)
        }
    }

    @Test func revokeAndIntrospect() async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        let token = try await fixture.passwordToken()
        try await app.test(.router) { client in
            let active = try await Self.post(
                client, "/oauth2/introspect", "token=\(token.accessToken)", headers: Self.headers(fixture)
            )
            #expect(active.status == .ok)
            let description = try Self.json(active)
            #expect(description["active"] as? Bool == true)
            #expect(description["username"] as? String == "alice")
            #expect(description["client_id"] as? String == fixture.production.consumerKey)
            #expect(description["token_type"] as? String == "Bearer")
            #expect(description["exp"] is Int)
            #expect(description["iat"] is Int)

            var admin = Self.form
            admin[.authorization] = Self.basic("admin", "admin-secret")
            let byAdmin = try await Self.post(client, "/oauth2/introspect", "token=\(token.accessToken)", headers: admin)
            #expect(try Self.json(byAdmin)["active"] as? Bool == true)
            admin[.authorization] = Self.basic("alice", "alice-pass")
            let byUser = try await Self.post(client, "/oauth2/introspect", "token=\(token.accessToken)", headers: admin)
            #expect(byUser.status == .unauthorized)

            let missing = try await Self.post(client, "/oauth2/revoke", "token_type_hint=access_token", headers: Self.headers(fixture))
            #expect(try Self.json(missing)["error"] as? String == "invalid_request")
            let revoked = try await Self.post(
                client, "/oauth2/revoke", "token=\(token.accessToken)&token_type_hint=access_token",
                headers: Self.headers(fixture)
            )
            #expect(revoked.status == .ok)
            #expect(fixture.validate(token.accessToken).errorCode == .accessTokenInactive)
            let unknown = try await Self.post(client, "/oauth2/revoke", "token=unknown", headers: Self.headers(fixture))
            #expect(unknown.status == .ok)
            let inactive = try await Self.post(
                client, "/oauth2/introspect", "token=\(token.accessToken)", headers: Self.headers(fixture)
            )
            #expect(try Self.json(inactive).keys.sorted() == ["active"])
        }
    }

    @Test func internalKeyValidationRequiresAnAdmin() async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        let token = try await fixture.passwordToken()
        let request = KeyValidationRequest(
            accessToken: token.accessToken, apiContext: "/shop/1.0", apiVersion: "1.0", resource: "/items",
            httpMethod: "GET"
        )
        let body = ByteBuffer(bytes: try JSONEncoder().encode(request))
        try await app.test(.router) { client in
            var headers: HTTPFields = [.contentType: "application/json"]
            let anonymous = try await client.execute(uri: "/internal/key-validation", method: .post, headers: headers, body: body)
            #expect(anonymous.status == .unauthorized)
            headers[.authorization] = Self.basic("alice", "alice-pass")
            let notAdmin = try await client.execute(uri: "/internal/key-validation", method: .post, headers: headers, body: body)
            #expect(notAdmin.status == .unauthorized)
            headers[.authorization] = Self.basic("admin", "admin-secret")
            for _ in 0..<2 {
                let response = try await client.execute(uri: "/internal/key-validation", method: .post, headers: headers, body: body)
                #expect(response.status == .ok)
                let result = try JSONDecoder().decode(KeyValidationResult.self, from: Data(buffer: response.body))
                #expect(result.authorized)
                #expect(result.subscriptionTier == "Gold")
            }
            let garbage = try await client.execute(
                uri: "/internal/key-validation", method: .post, headers: headers, body: ByteBuffer(string: "{")
            )
            #expect(garbage.status == .badRequest)

            try await fixture.keyManager.revoke(
                token: token.accessToken, tokenTypeHint: nil, credentials: fixture.productionCredentials
            )
            let revocations = try await client.execute(uri: "/internal/revocations?since=0", method: .get, headers: headers)
            let answer = try Self.json(revocations)
            #expect(answer["generation"] as? Int == 1)
            let expected = SecretGenerator.hash(token.accessToken).map { String(format: "%02x", $0) }.joined()
            #expect(answer["tokenHashes"] as? [String] == [expected])
        }
    }

    @Test func simultaneousTokenRequestsForTheSameClientAndUserAllSucceed() async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager)
        try await app.test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<30 {
                    group.addTask {
                        let response = try await Self.post(
                            client, "/oauth2/token", "grant_type=password&username=alice&password=alice-pass",
                            headers: Self.headers(fixture)
                        )
                        return (response.status, try Self.json(response)["access_token"] as? String)
                    }
                }
                return try await group.reduce(into: [(HTTPResponse.Status, String?)]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.0 == .ok })
            #expect(Set(statuses.compactMap(\.1)).count == 30)
        }
    }

    @Test func liveServerOnLoopbackAnswersTokenRequests() async throws {
        let fixture = try await KeyManagerFixture()
        let app = buildManagementApplication(
            keyManager: fixture.keyManager,
            configuration: ManagementConfiguration(host: "127.0.0.1", port: 0)
        )
        try await app.test(.live) { client in
            let response = try await Self.post(
                client, "/oauth2/token", "grant_type=client_credentials&scope=orders%3Aread", headers: Self.headers(fixture)
            )
            #expect(response.status == .ok)
            #expect(try Self.json(response)["scope"] as? String == "orders:read")
            let huge = "grant_type=client_credentials&padding=" + String(repeating: "a", count: 100_000)
            let oversized = try await Self.post(client, "/oauth2/token", huge, headers: Self.headers(fixture))
            #expect(oversized.status == .contentTooLarge)
            let again = try await Self.post(client, "/oauth2/token", "grant_type=client_credentials", headers: Self.headers(fixture))
            #expect(again.status == .ok)
        }
    }
}
