import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SluiceManagement
import SluiceModel
import Testing

/// Issue #12, item 10: any client could introspect any other client's token and learn its user, and `/metrics`
/// was public.
@Suite struct IntrospectionAndMetricsTests {
    static func introspect(_ client: Client, _ credentials: (String, String), token: String) async throws -> Answer {
        let basic = Data("\(credentials.0):\(credentials.1)".utf8).base64EncodedString()
        return try await client.send(
            .post,
            "/oauth2/introspect",
            headers: [.authorization: "Basic \(basic)", .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "token=\(token)")
        )
    }

    @Test func onlyTheOwningClientOrAnAdministratorLearnsAboutAToken() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.testGuarded { client in
            let client = client("192.0.2.30")
            let apiID = try await client.publishedAPI()
            let aliceKeys = try await ScopeAndRoleTests.subscribedKeys(client, owner: "alice", apiID: apiID)
            let bobKeys = try await ScopeAndRoleTests.subscribedKeys(client, owner: "bob", apiID: apiID)
            let issued = try await ScopeAndRoleTests.token(
                client, aliceKeys, "grant_type=password&username=alice&password=\(ManagementFixture.password("alice"))"
            )
            let token = try #require(try issued.object["access_token"] as? String)

            let own = try await Self.introspect(client, aliceKeys, token: token).object
            #expect(own["active"] as? Bool == true)
            #expect(own["username"] as? String == "alice")
            let other = try await Self.introspect(client, bobKeys, token: token)
            #expect(other.status == .ok)
            #expect(try other.object.keys.sorted() == ["active"])
            #expect(try other.object["active"] as? Bool == false)
            let admin = try await Self.introspect(client, ("admin", ManagementFixture.password("admin")), token: token)
            #expect(try admin.object["username"] as? String == "alice")
            let creator = try await Self.introspect(client, ("chris", ManagementFixture.password("chris")), token: token)
            #expect(creator.status == .unauthorized)
        }
    }

    @Test(arguments: [
        (MetricsAccess.loopback, "127.0.0.1", nil, HTTPResponse.Status.ok),
        (.loopback, "::1", nil, .ok),
        (.loopback, "192.0.2.40", nil, .unauthorized),
        (.loopback, "192.0.2.40", "admin", .ok),
        (.loopback, "192.0.2.40", "chris", .unauthorized),
        (.authenticated, "127.0.0.1", nil, .unauthorized),
        (.authenticated, "127.0.0.1", "admin", .ok),
        (.public, "192.0.2.40", nil, .ok),
    ])
    func metricsAreForLoopbackAndAdministratorsByDefault(
        access: MetricsAccess, address: String, user: String?, status: HTTPResponse.Status
    ) async throws {
        let fixture = try await ManagementFixture()
        let app = buildManagementApplication(
            keyManager: fixture.keyManager,
            apiManager: fixture.services,
            configuration: ManagementConfiguration(port: 0, metricsAccess: access),
            metrics: { "sluice_up 1\n" }
        )
        try await app.test(.router) { client in
            let answer = try await Client(client: client, address: address).get("/metrics", as: user)
            #expect(answer.status == status, "\(access) \(address) \(user ?? "-")")
            if status == .ok { #expect(answer.text == "sluice_up 1\n") }
        }
    }
}
