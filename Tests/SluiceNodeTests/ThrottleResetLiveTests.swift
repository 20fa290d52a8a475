import Foundation
import SluiceNode
import SluiceTesting
import Testing

/// WSO2's `reset-throttle-policy` through a running node: an application its application tier (Small: one call a minute) throttled (429)
/// calls again at once after its owner resets the counters of the token's user.
@Suite(.timeLimit(.minutes(2)))
struct ThrottleResetLiveTests {
    typealias Live = RevisionDeploymentLiveTests
    typealias Products = APIProductLiveTests

    @Test func aThrottledApplicationIsAllowedAgainAfterTheReset() async throws {
        let backend = try await TestHTTPBackend.start(name: "reset")
        defer { backend.shutdownInBackground() }
        try await Live.withNode { gatewayPort, management in
            let publisher = management + "/api/am/publisher/v4"
            let devportal = management + "/api/am/devportal/v3"
            let apiID = try await Products.publishedAPI("LiveReset", "/live-reset", "/menu", backend.baseURL + "/reset", publisher)
            let app = try await Live.send(
                .POST, devportal + "/applications", body: Data(#"{"name": "Hurried", "throttlingPolicy": "Small"}"#.utf8)
            )
            let appID = try #require(try Live.object(app.body)["applicationId"] as? String)
            let subscription = try await Live.send(
                .POST, devportal + "/subscriptions",
                body: Data(#"{"applicationId": "\#(appID)", "apiId": "\#(apiID)", "throttlingPolicy": "Unlimited"}"#.utf8)
            )
            #expect(subscription.status == 201)
            let keys = try await Live.send(
                .POST, devportal + "/applications/\(appID)/generate-keys",
                body: Data(#"{"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"]}"#.utf8)
            )
            let token = try #require((try Live.object(keys.body)["token"] as? [String: Any])?["accessToken"] as? String)
            let bearer = ["Authorization": "Bearer \(token)", "Accept": "application/json"]
            let url = "http://127.0.0.1:\(gatewayPort)/live-reset/1.0.0/menu"
            #expect(try await Products.call(url, headers: bearer) == 200)  // Small: one call a minute
            #expect(try await Products.call(url, headers: bearer) == 429)

            let reset = devportal + "/applications/\(appID)/reset-throttle-policy"
            // Another user's counters: the application stays throttled.
            #expect(try await Live.send(.POST, reset, body: Data(#"{"userName": "nobody-else"}"#.utf8)).status == 200)
            #expect(try await Products.call(url, headers: bearer) == 429)
            let missing = try await Live.send(.POST, reset, body: Data(#"{"userName": " "}"#.utf8))
            #expect(missing.status == 400)
            let answer = try await Live.send(.POST, reset, body: Data(#"{"userName": "admin"}"#.utf8))
            #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
            #expect(try await Products.call(url, headers: bearer) == 200)
            let unknown = try await Live.send(.POST, devportal + "/applications/\(UUID())/reset-throttle-policy", body: Data(#"{"userName": "admin"}"#.utf8))
            #expect(unknown.status == 404)
        }
    }
}
