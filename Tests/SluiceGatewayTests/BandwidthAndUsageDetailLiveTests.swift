import AsyncHTTPClient
import Foundation
import Logging
import SluiceAnalytics
import SluiceModel
import Testing

/// Bandwidth tiers enforced on response bytes, and the usage detail (request path and sizes) stored, through
/// the live gateway.
@Suite(.timeLimit(.minutes(1))) struct BandwidthAndUsageDetailLiveTests {
    static func bandwidthTier(_ name: String, kilobytes: Int64) -> ThrottleTier {
        ThrottleTier(
            name: name, maxCount: nil, unitTime: 60_000,
            attributes: [
                ThrottleTier.bandwidthAmountAttribute: String(kilobytes), ThrottleTier.bandwidthUnitAttribute: "KB",
            ]
        )
    }

    @Test func aBandwidthTierRefusesCallsOnceItsResponseBytesAreUsed() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        // Anonymous callers count per client IP against Unauthenticated: 1 KB per minute here.
        fixture.catalog.upsert(Self.bandwidthTier("Unauthenticated", kilobytes: 1), level: .subscription)
        let client = [("X-Forwarded-For", "192.0.2.9")]
        #expect(try await fixture.call(.GET, "/public/large/700", headers: client).body.count == 700)
        #expect(try await fixture.call(.GET, "/public/large/700", headers: client).status == 200)
        let refused = try await fixture.call(.GET, "/public/large/700", accept: "application/json", headers: client)
        #expect(refused.status == 429)
        #expect(refused.body.contains(#""code":900804"#))
        #expect(refused.header("Retry-After") == "60")
        #expect(fixture.backend.recordedRequests.count == 2)
        // Another client has its own total; the window's end lifts the refusal.
        #expect(try await fixture.call(.GET, "/public/large/700", headers: [("X-Forwarded-For", "192.0.2.10")]).status == 200)
        fixture.clock.advance(by: 60_000)
        #expect(try await fixture.call(.GET, "/public/large/700", headers: client).status == 200)
    }

    @Test func usageEventsStoreTheRequestPathAndSizes() async throws {
        let fixture = try await APIManagerFixture.start()
        defer { fixture.stopInBackground() }
        let writer = try await fixture.application("Writer", scopes: ["order:write"])
        let start = Int64(Date().timeIntervalSince1970 * 1000)
        let body = String(repeating: "p", count: 321)
        let response = try await HTTPClient.shared.send(
            .POST, fixture.gateway.baseURL + "/pizzashack/1.0.0/order?size=large",
            headers: [("Authorization", "Bearer " + writer.token), ("Content-Type", "text/plain")], body: body
        )
        #expect(response.status == 200)
        #expect(try await fixture.call(.GET, "/public/large/500").status == 200)
        let batch = UsageBatchWriter(queue: fixture.queue, repository: fixture.storage, logger: Logger(label: "test"))
        #expect(await batch.flush() == 2)
        let events = try await fixture.storage.usageEvents(from: start - 1_000, to: start + 60_000)
        #expect(events.count == 2)
        let order = try #require(events.first { $0.method == "POST" })
        #expect(order.resourceTemplate == "/order")
        // As WSO2 reports it: REST_SUB_REQUEST_PATH, with the query.
        #expect(order.resourcePath == "/order?size=large")
        #expect(order.requestSize == 321)
        #expect(order.applicationID == writer.application.id)
        let download = try #require(events.first { $0.method == "GET" })
        #expect(download.resourceTemplate == "/public/*")
        #expect(download.resourcePath == "/public/large/500")
        #expect(download.responseSize == 500)
    }
}
