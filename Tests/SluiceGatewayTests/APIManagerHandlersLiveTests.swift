import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import SluiceAnalytics
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Testing

/// WSO2's handler chain through the live gateway, with tokens from the real key manager.
@Suite(.timeLimit(.minutes(1))) struct APIManagerHandlersLiveTests {
    static let challenge =
        #"OAuth2 realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid""#

    /// Checks one refusal in JSON and in XML.
    static func expectFault(
        _ fixture: APIManagerFixture, path: String = "/menu", method: HTTPMethod = .GET, token: String?, code: Int,
        status: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws {
        let json = try await fixture.call(method, path, token: token, accept: "application/json")
        #expect(json.status == status, sourceLocation: sourceLocation)
        #expect(json.body.hasPrefix(#"{"fault":{"code":\#(code),"message":"#), sourceLocation: sourceLocation)
        #expect(json.header("Content-Type") == "application/json; charset=UTF-8", sourceLocation: sourceLocation)
        let xml = try await fixture.call(method, path, token: token, accept: "application/xml")
        #expect(xml.status == status, sourceLocation: sourceLocation)
        #expect(
            xml.body.hasPrefix(#"<ams:fault xmlns:ams="http://wso2.org/apimanager/security"><ams:code>\#(code)</ams:code>"#),
            sourceLocation: sourceLocation
        )
        let challenge = status == 401 ? Self.challenge : nil
        #expect(json.header("WWW-Authenticate") == challenge, sourceLocation: sourceLocation)
        #expect(xml.header("WWW-Authenticate") == challenge, sourceLocation: sourceLocation)
    }

    @Test func everyAuthenticationFaultWithItsStatusInBothFormats() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let good = try await fixture.application("Good", scopes: ["order:write"])
        let unsubscribed = try await fixture.application("Lonely", subscription: nil)
        // Valid one second past the key manager's 300 s timestamp skew.
        let expired = try await fixture.application("Old", validity: 301)
        let revoked = try await fixture.application("Gone")
        try await fixture.keyManager.revoke(
            token: revoked.token, tokenTypeHint: nil,
            credentials: ClientCredentials(consumerKey: revoked.keys.consumerKey, consumerSecret: revoked.keys.consumerSecret)
        )
        let blocked = try await fixture.application("Blocked")
        _ = try await fixture.keyManager.updateSubscription(id: blocked.subscription!.id, tier: "Unlimited", status: .blocked)
        let unscoped = try await fixture.application("NoScope")

        fixture.wallClock.advance(by: 2)
        try await Self.expectFault(fixture, token: nil, code: 900902, status: 401)
        try await Self.expectFault(fixture, token: "not-a-token", code: 900901, status: 401)
        try await Self.expectFault(fixture, token: expired.token, code: 900903, status: 401)
        try await Self.expectFault(fixture, token: revoked.token, code: 900904, status: 401)
        try await Self.expectFault(fixture, path: "/nothing", token: good.token, code: 900906, status: 403)
        try await Self.expectFault(fixture, token: unsubscribed.token, code: 900908, status: 403)
        try await Self.expectFault(fixture, token: blocked.token, code: 900909, status: 401)
        try await Self.expectFault(fixture, path: "/order", method: .POST, token: unscoped.token, code: 900910, status: 403)
        #expect(try await fixture.call(.POST, "/order", token: good.token).status == 200)

        fixture.statuses.setState(.blocked, context: "/pizzashack", version: "1.0.0")
        try await Self.expectFault(fixture, token: good.token, code: 900907, status: 401)
        fixture.statuses.setState(.published, context: "/pizzashack", version: "1.0.0")
        #expect(try await fixture.call(token: good.token).status == 200)
    }

    @Test func subscribedApplicationReachesTheBackendWithoutItsToken() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let subscribed = try await fixture.application("Subscribed")
        let other = try await fixture.application("Other", subscription: nil)
        let response = try await fixture.call(token: subscribed.token)
        #expect(response.status == 200)
        let seen = fixture.backend.recordedRequests
        #expect(seen.count == 1)
        #expect(seen.first?.header("Authorization") == nil)
        #expect(try await fixture.call(token: other.token).status == 403)
        #expect(fixture.backend.recordedRequests.count == 1)
    }

    @Test func revokedTokenIsRefusedWithinOneSecond() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let app = try await fixture.application("Revoking")
        #expect(try await fixture.call(token: app.token).status == 200)
        try await fixture.keyManager.revoke(
            token: app.token, tokenTypeHint: "access_token",
            credentials: ClientCredentials(consumerKey: app.keys.consumerKey, consumerSecret: app.keys.consumerSecret)
        )
        // The all-in-one gateway asks the key manager's memory index on every call, so "within a second" holds
        // because the very next call is refused; no clock needed (a loaded machine would make one flaky).
        #expect(try await fixture.call(token: app.token).status == 401)
    }

    @Test func authNoneResourcesNeedNoTokenAndCountPerClientIP() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        fixture.catalog.upsert(ThrottleTier(name: "Unauthenticated", maxCount: 2, unitTime: 60_000), level: .subscription)
        let first = try await fixture.call(.GET, "/public/info", headers: [("X-Forwarded-For", "192.0.2.1")])
        #expect(first.status == 200)
        #expect(try await fixture.call(.GET, "/public/info", headers: [("X-Forwarded-For", "192.0.2.1")]).status == 200)
        let third = try await fixture.call(.GET, "/public/info", accept: "application/json", headers: [("X-Forwarded-For", "192.0.2.1")])
        #expect(third.status == 429)
        #expect(third.body.contains(#""code":900804"#))
        #expect(try await fixture.call(.GET, "/public/info", headers: [("X-Forwarded-For", "192.0.2.2")]).status == 200)
    }

    @Test func throttledCallsGet429WithRetryAfterUntilTheWindowEnds() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let bronze = try await fixture.application("Bronze", subscription: "Bronze")
        #expect(try await fixture.call(token: bronze.token).status == 200)
        let refused = try await fixture.call(token: bronze.token, accept: "application/json")
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "60")
        #expect(
            refused.body
                == #"{"fault":{"code":900804,"message":"Message throttled out","description":"You have exceeded your quota","#
                + #""nextAccessTime":"2020-Jan-08 16:59:00+0000 UTC"}}"#
        )
        fixture.clock.advance(by: 60_000)
        #expect(try await fixture.call(token: bronze.token).status == 200)
        // Resource tier Plus: 5 per minute over every caller of POST /order.
        let writer = try await fixture.application("Writer", scopes: ["order:write"])
        let codes = try await (0..<6).asyncMap { _ in try await fixture.call(.POST, "/order", token: writer.token).status }
        #expect(codes == [200, 200, 200, 200, 200, 429])
    }

    @Test func preflightIsAnsweredAndResponsesCarryCORSHeaders() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let preflight = try await fixture.call(
            .OPTIONS, "/menu", headers: [("Origin", "https://shop.example"), ("Access-Control-Request-Method", "GET")]
        )
        #expect(preflight.status == 200)
        #expect(preflight.header("Access-Control-Allow-Origin") == "https://shop.example")
        #expect(preflight.header("Access-Control-Allow-Methods") == "GET,POST")
        #expect(preflight.header("Access-Control-Allow-Credentials") == "true")
        #expect(fixture.backend.recordedRequests.isEmpty)
        // A refused call still carries the CORS headers: the CORS handler comes before authentication.
        let refused = try await fixture.call(headers: [("Origin", "https://shop.example")])
        #expect(refused.status == 401)
        #expect(refused.header("Access-Control-Allow-Origin") == "https://shop.example")
    }

    @Test func usageEventsAreWrittenAndQueried() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let gold = try await fixture.application("GoldApp", subscription: "Bronze")
        let start = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(try await fixture.call(token: gold.token).status == 200)
        #expect(try await fixture.call(token: gold.token).status == 429)
        #expect(try await fixture.call(token: "wrong").status == 401)
        #expect(try await fixture.call(.GET, "/public/x").status == 200)
        let writer = UsageBatchWriter(
            rollups: fixture.rollups, queue: fixture.queue, repository: fixture.storage, logger: Logger(label: "test")
        )
        #expect(await writer.flush() == 4)
        #expect(writer.writtenCount == 4)  // every call sampled as a raw event too
        // Rollups are per minute: the range starts at the minute of the first call.
        let filter = UsageStatistics.Filter(from: UsageRollup.minute(of: start), to: start + 120_000)
        let byApplication = try await fixture.storage.usageStatistics(groupedBy: .application, filter: filter)
        let app = byApplication.first { $0.key == gold.application.id }
        #expect(app?.requestCount == 2)
        #expect(app?.throttledCount == 1)
        #expect(app?.errorCount == 1)
        let byVersion = try await fixture.storage.usageStatistics(groupedBy: .version, filter: filter)
        #expect(byVersion.map(\.key) == ["admin--PizzaShackAPI:1.0.0"])
        #expect(byVersion.first?.requestCount == 4)
        #expect(byVersion.first?.errorCount == 2)
        let byResource = try await fixture.storage.usageStatistics(groupedBy: .resource, filter: filter)
        #expect(byResource.map(\.key) == ["admin--PizzaShackAPI:1.0.0 GET /menu", "admin--PizzaShackAPI:1.0.0 GET /public/*"])
        // The analytics' dimensions: the subscription tier, the fault code and the backend of each call.
        let byTier = try await fixture.storage.usageStatistics(groupedBy: .tier, filter: filter)
        #expect(byTier.first { $0.key == "Bronze" }.map { [$0.requestCount, $0.throttledCount] } == [2, 1])
        let byFault = try await fixture.storage.usageStatistics(groupedBy: .faultCode, filter: filter)
        #expect(Dictionary(uniqueKeysWithValues: byFault.map { ($0.key, $0.requestCount) }) == ["0": 2, "900804": 1, "900901": 1])
        let byBackend = try await fixture.storage.usageStatistics(groupedBy: .backend, filter: filter)
        #expect(byBackend.map(\.requestCount) == [2, 2])
        #expect(byBackend.last?.key.hasPrefix("http://127.0.0.1:") == true)
        #expect(fixture.metrics.render().contains(#"sluice_api_requests_total{api="admin--PizzaShackAPI",version="1.0.0",code="429"} 1"#))
    }

    @Test func aFullUsageQueueNeverBlocksARequest() async throws {
        let fixture = try await APIManagerFixture.start(queueCapacity: 2)
        defer { fixture.stopInBackground() }
        let app = try await fixture.application("Busy")
        for _ in 0..<10 { #expect(try await fixture.call(token: app.token).status == 200) }
        #expect(fixture.queue.count == 2)
        #expect(fixture.queue.droppedCount == 8)
        #expect(fixture.metrics.render().contains("sluice_usage_events_dropped_total 8"))
    }
}

extension Sequence {
    /// Maps in order, one element at a time.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

/// The anonymous throttle's key against a forged `X-Forwarded-For` (issue #12 item 11).
@Suite(.timeLimit(.minutes(1))) struct ClientAddressLiveTests {
    @Test func aClientCannotChooseItsThrottleKeyWithXForwardedFor() async throws {
        // Loopback is not a trusted proxy here: the peer address is the client's.
        let fixture = try await APIManagerFixture.start(trustedProxies: [])
        defer { fixture.stopInBackground() }
        fixture.catalog.upsert(ThrottleTier(name: "Unauthenticated", maxCount: 2, unitTime: 60_000), level: .subscription)
        #expect(try await fixture.call(.GET, "/public/info", headers: [("X-Forwarded-For", "192.0.2.1")]).status == 200)
        #expect(try await fixture.call(.GET, "/public/info", headers: [("X-Forwarded-For", "192.0.2.2")]).status == 200)
        let third = try await fixture.call(.GET, "/public/info", accept: "application/json", headers: [("X-Forwarded-For", "192.0.2.3")])
        #expect(third.status == 429)
        #expect(third.body.contains(#""code":900804"#))
        let events = fixture.queue.drain(maxCount: 100)
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.clientIP == "127.0.0.1" })
    }

    @Test func aTrustedProxysForwardedAddressIsTheClient() async throws {
        let fixture = try await APIManagerFixture.start(trustedProxies: ["127.0.0.0/8", "10.0.0.0/8"])
        defer { fixture.stopInBackground() }
        fixture.catalog.upsert(ThrottleTier(name: "Unauthenticated", maxCount: 1, unitTime: 60_000), level: .subscription)
        // The right-most untrusted hop is the client: a spoofed left-most entry changes nothing.
        let chain = [("X-Forwarded-For", "203.0.113.9, 192.0.2.50, 10.1.1.1")]
        #expect(try await fixture.call(.GET, "/public/info", headers: chain).status == 200)
        let spoofed = [("X-Forwarded-For", "203.0.113.77, 192.0.2.50, 10.1.1.1")]
        #expect(try await fixture.call(.GET, "/public/info", headers: spoofed).status == 429)
        #expect(try await fixture.call(.GET, "/public/info", headers: [("X-Forwarded-For", "192.0.2.51")]).status == 200)
    }
}
