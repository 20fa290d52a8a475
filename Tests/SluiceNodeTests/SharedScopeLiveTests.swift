import Foundation
import SluiceModel
import SluiceNode
import SluiceTesting
import Testing

/// A shared scope through a real gateway: a resource that requires it refuses a subscribed token without it and
/// accepts one that carries it; after the shared scope is bound to another role, the owner cannot obtain it again.
@Suite(.timeLimit(.minutes(2)))
struct SharedScopeLiveTests {
    typealias Live = RevisionDeploymentLiveTests

    @Test func aResourceRequiringASharedScopeTakesOnlyTokensCarryingIt() async throws {
        let backend = try await TestHTTPBackend.start(name: "orders")
        defer { backend.shutdownInBackground() }
        try await Live.withNode { gatewayPort, management in
            let publisher = management + "/api/am/publisher/v4"
            let devportal = management + "/api/am/devportal/v3"
            let shared = try await Live.send(
                .POST, publisher + "/scopes", body: Data(#"{"name": "orders_admin", "bindings": ["admin"]}"#.utf8)
            )
            #expect(shared.status == 201, "\(String(decoding: shared.body, as: UTF8.self))")
            let scopeID = try #require(try Live.object(shared.body)["id"] as? String)
            let created = try await Live.send(
                .POST, publisher + "/apis",
                body: Data(
                    """
                    {"name": "LiveOrders", "context": "/live-orders", "version": "1.0.0", "policies": ["Unlimited"],
                     "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "\(backend.baseURL)/o"}},
                     "operations": [{"target": "/orders", "verb": "GET", "scopes": ["orders_admin"]}],
                     "scopes": [{"scope": {"name": "orders_admin"}, "shared": true}]}
                    """.utf8
                )
            )
            #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
            let apiID = try #require(try Live.object(created.body)["id"] as? String)
            #expect(try await Live.send(.POST, publisher + "/apis/change-lifecycle?apiId=\(apiID)&action=Publish").status == 200)

            // The subscribed application's first token has only `default`.
            let plain = try await APIProductLiveTests.subscribedToken(to: apiID, tier: "Unlimited", management)
            let call = "http://127.0.0.1:\(gatewayPort)/live-orders/1.0.0/orders"
            #expect(try await APIProductLiveTests.call(call, headers: ["Authorization": "Bearer \(plain)"]) == 403)

            let apps = try await Live.send(.GET, devportal + "/applications")
            let appID = try #require((try Live.object(apps.body)["list"] as? [[String: Any]])?.first?["applicationId"] as? String)
            let scoped = try await Self.token(appID, scopes: ["orders_admin"], devportal)
            #expect(scoped.scopes == ["orders_admin"])
            #expect(try await APIProductLiveTests.call(call, headers: ["Authorization": "Bearer \(scoped.token)"]) == 200)
            #expect(backend.recordedRequests.last?.uri == "/o/orders")

            // Bound to another role, the admin no longer obtains it.
            let rebound = try await Live.send(
                .PUT, publisher + "/scopes/\(scopeID)",
                body: Data(#"{"name": "orders_admin", "bindings": ["Internal/publisher"]}"#.utf8)
            )
            #expect(rebound.status == 200)
            let refused = try await Self.token(appID, scopes: ["orders_admin"], devportal)
            #expect(refused.scopes == ["default"])
            #expect(try await APIProductLiveTests.call(call, headers: ["Authorization": "Bearer \(refused.token)"]) == 403)
            // In use: not deleted.
            #expect(try await Live.send(.DELETE, publisher + "/scopes/\(scopeID)").status == 409)
        }
    }

    /// A token of the application's production keys asking for `scopes` (the owner needs no secret).
    static func token(_ appID: String, scopes: [String], _ devportal: String) async throws -> (token: String, scopes: [String]) {
        let body = try JSONSerialization.data(withJSONObject: ["scopes": scopes])
        let answer = try await Live.send(.POST, devportal + "/applications/\(appID)/keys/PRODUCTION/generate-token", body: body)
        #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        let object = try Live.object(answer.body)
        return (try #require(object["accessToken"] as? String), object["tokenScopes"] as? [String] ?? [])
    }
}
