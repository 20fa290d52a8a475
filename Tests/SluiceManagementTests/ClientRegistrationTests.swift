import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SluiceManagement
import Testing

/// `POST /client-registration/v0.17/register`, the dynamic client registration `sluice login` uses, and the
/// password grant with `apim:*` scopes that follows it.
@Suite(.timeLimit(.minutes(1))) struct ClientRegistrationTests {
    static let register = "/client-registration/v0.17/register"

    private func call(
        _ client: some TestClientProtocol,
        _ uri: String,
        basic: (String, String)?,
        contentType: String = "application/json",
        body: String
    ) async throws -> (status: HTTPResponse.Status, object: [String: Any]) {
        var headers: HTTPFields = [.contentType: contentType]
        if let (user, password) = basic {
            headers[.authorization] = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
        let response = try await client.execute(
            uri: uri,
            method: .post,
            headers: headers,
            body: ByteBuffer(string: body)
        )
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:]
        return (response.status, object)
    }

    @Test func registeredClientGetsUserTokensLimitedToTheRoles() async throws {
        let fixture = try await ManagementFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager, apiManager: fixture.services)
        try await app.test(.router) { client in
            let alice = ("alice", ManagementFixture.password("alice"))
            let body = #"{"clientName": "sluice-cli", "owner": "alice", "grantType": "password refresh_token", "saasApp": true}"#
            let registered = try await call(client, Self.register, basic: alice, body: body)
            #expect(registered.status == .ok)
            let clientID = try #require(registered.object["clientId"] as? String)
            let secret = try #require(registered.object["clientSecret"] as? String)
            #expect(registered.object["appOwner"] as? String == "alice")
            #expect(registered.object["grantTypes"] as? [String] == ["password", "refresh_token"])

            let form = "grant_type=password&username=alice&password=\(alice.1)&scope=apim:subscribe%20apim:api_create"
            let token = try await call(
                client, "/oauth2/token", basic: (clientID, secret), contentType: "application/x-www-form-urlencoded",
                body: form)
            #expect(token.status == .ok)
            // A subscriber asked for apim:api_create too; the key manager grants only what the role allows.
            #expect(token.object["scope"] as? String == "apim:subscribe")
            #expect(token.object["refresh_token"] is String)

            // Registering again keeps the client id and replaces the secret: the old one stops working.
            let again = try await call(client, Self.register, basic: alice, body: body)
            #expect(again.object["clientId"] as? String == clientID)
            let newSecret = try #require(again.object["clientSecret"] as? String)
            #expect(newSecret != secret)
            let stale = try await call(
                client, "/oauth2/token", basic: (clientID, secret), contentType: "application/x-www-form-urlencoded",
                body: form)
            #expect(stale.status == .unauthorized)
        }
    }

    @Test func concurrentRegistrationsShareOneClient() async throws {
        let fixture = try await ManagementFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager, apiManager: fixture.services)
        try await app.test(.router) { client in
            let bob = ("bob", ManagementFixture.password("bob"))
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let answer = try await call(client, Self.register, basic: bob, body: #"{"clientName": "cli"}"#)
                        return (answer.status, answer.object["clientId"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.0 == .ok }, "\(statuses.map(\.0))")
            #expect(Set(statuses.compactMap(\.1)).count == 1)
            let applications = try await fixture.keyManager.applications(owner: "bob")
            #expect(applications.filter { $0.name == "cli" }.count == 1)
        }
    }

    @Test func registrationNeedsTheOwnersCredentials() async throws {
        let fixture = try await ManagementFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager, apiManager: fixture.services)
        try await app.test(.router) { client in
            let body = #"{"clientName": "cli"}"#
            #expect(try await call(client, Self.register, basic: nil, body: body).status == .unauthorized)
            #expect(try await call(client, Self.register, basic: ("alice", "wrong-password"), body: body).status == .unauthorized)
            let alice = ("alice", ManagementFixture.password("alice"))
            let forOthers = try await call(client, Self.register, basic: alice, body: #"{"clientName": "cli", "owner": "bob"}"#)
            #expect(forOthers.status == .forbidden)
            let admin = ("admin", ManagementFixture.password("admin"))
            let byAdmin = try await call(client, Self.register, basic: admin, body: #"{"clientName": "cli", "owner": "bob"}"#)
            #expect(byAdmin.status == .ok)
            #expect(byAdmin.object["appOwner"] as? String == "bob")
            let badGrant = try await call(client, Self.register, basic: alice, body: #"{"clientName": "cli", "grantType": "implicit"}"#)
            #expect(badGrant.status == .badRequest)
            #expect(try await call(client, Self.register, basic: alice, body: #"{"owner": "alice"}"#).status == .badRequest)
            #expect(try await call(client, Self.register, basic: alice, body: #"{"clientName": ""}"#).status == .badRequest)
        }
    }

    /// Registered clients serve the password and refresh grants but stay out of the developer portal: not listed,
    /// not readable or subscribable by id, and a portal application's name cannot be taken over.
    @Test func registeredClientsAreInternalAndOnePerMachine() async throws {
        let fixture = try await ManagementFixture()
        let app = buildManagementApplication(keyManager: fixture.keyManager, apiManager: fixture.services)
        let shop = try await fixture.keyManager.createApplication(name: "Shop", owner: "alice")
        try await app.test(.router) { client in
            let alice = ("alice", ManagementFixture.password("alice"))
            let form = "grant_type=password&username=alice&password=\(alice.1)&scope=apim:subscribe"
            // Two machines, two clients: the second registration leaves the first client's secret working.
            var clients: [(id: String, secret: String)] = []
            for host in ["laptop", "build-box"] {
                let answer = try await call(
                    client, Self.register, basic: alice, body: #"{"clientName": "sluice-cli-\#(host)"}"#)
                #expect(answer.status == .ok)
                clients.append(
                    (try #require(answer.object["clientId"] as? String), try #require(answer.object["clientSecret"] as? String)))
            }
            #expect(clients[0].id != clients[1].id)
            for (id, secret) in clients {
                let token = try await call(
                    client, "/oauth2/token", basic: (id, secret), contentType: "application/x-www-form-urlencoded",
                    body: form)
                #expect(token.status == .ok)
                let refreshToken = try #require(token.object["refresh_token"] as? String)
                let refreshed = try await call(
                    client, "/oauth2/token", basic: (id, secret), contentType: "application/x-www-form-urlencoded",
                    body: "grant_type=refresh_token&refresh_token=\(refreshToken)")
                #expect(refreshed.status == .ok)
            }

            let portal = Client(client: client)
            let listed = try await portal.get("\(Client.devportal)/applications", as: "alice")
            #expect(listed.status == .ok)
            #expect(try listed.list.map { $0["name"] as? String } == ["Shop"])
            let cliClient = try #require(
                try await fixture.keyManager.applications(owner: "alice").first { $0.name == "sluice-cli-laptop" })
            #expect(cliClient.isInternal)
            #expect(try await portal.get("\(Client.devportal)/applications/\(cliClient.id)", as: "alice").status == .notFound)
            #expect(try await portal.get("\(Client.devportal)/applications/\(shop.id)", as: "alice").status == .ok)
            let apiID = try await portal.publishedAPI()
            let subscribe = try await portal.post(
                "\(Client.devportal)/subscriptions", as: "alice",
                json: #"{"applicationId": "\#(cliClient.id)", "apiId": "\#(apiID)", "throttlingPolicy": "Gold"}"#)
            #expect(subscribe.status == .notFound)
            #expect(try await fixture.keyManager.subscriptions(applicationID: cliClient.id).isEmpty)

            // The name of a portal application is not a client name: its keys are not handed out.
            let takeover = try await call(client, Self.register, basic: alice, body: #"{"clientName": "Shop"}"#)
            #expect(takeover.status == .conflict)
            #expect(try await fixture.keyManager.keys(applicationID: shop.id).isEmpty)
        }
    }
}
