import Foundation
import SluiceControlPlane
import SluiceManagement
import SluiceModel
import SluicePortal
import Testing

/// The application's usage page over recorded gateway events.
@Suite struct StoreUsageTests {
    @Test func usageCountsRequestsErrorsThrottledAndLatencyWithAnEscapedChart() async throws {
        let fixture = try await PortalFixture()
        let application = try await fixture.keyManager.createApplication(name: "Metered", owner: "alice")
        let other = try await fixture.keyManager.createApplication(name: "Elsewhere", owner: "alice")
        let now = Int64(fixture.clock.now.timeIntervalSince1970 * 1000)
        func event(_ api: String, code: Int, latency: Double, throttled: Bool = false, app: String, ago: Int64 = 60_000)
            -> UsageEvent
        {
            UsageEvent(
                requestTime: now - ago,
                apiName: api,
                apiContext: "/ctx",
                apiVersion: "1.0.0",
                apiProvider: "chris",
                resourceTemplate: "/menu",
                resourcePath: "/menu",
                method: "GET",
                applicationID: app,
                responseCode: code,
                responseTimeMillis: latency,
                throttledOutReason: throttled ? "SUBSCRIPTION_LIMIT_EXCEEDED" : nil
            )
        }
        try await fixture.storage.recordUsage([
            event("chris--PizzaShack", code: 200, latency: 10, app: application.id),
            event("chris--PizzaShack", code: 200, latency: 20, app: application.id),
            event("chris--PizzaShack", code: 500, latency: 30, app: application.id),
            event("chris--<Evil>", code: 429, latency: 5, throttled: true, app: application.id),
            event("chris--PizzaShack", code: 200, latency: 10, app: other.id),
            event("chris--PizzaShack", code: 200, latency: 10, app: application.id, ago: 3 * 86_400_000),
        ])
        try await fixture.test { browser, _ in
            try await browser.signIn("alice")
            let page = try await browser.get("/store/applications/\(application.id)/usage")
            #expect(page.status == .ok)
            #expect(page.html.contains(#"data-testid="usage-requests">4<"#))
            #expect(page.html.contains(#"data-testid="usage-throttled">1<"#))
            #expect(page.html.contains(#"class="chart""#))
            #expect(page.html.contains("PizzaShack 1.0.0"))
            #expect(page.html.contains("&lt;Evil&gt; 1.0.0"))
            #expect(!page.html.contains("<Evil>"))
            let month = try await browser.get("/store/applications/\(application.id)/usage?hours=720")
            #expect(month.html.contains(#"data-testid="usage-requests">5<"#))
            let errors = try #require(StorePortalTests.value(of: "usage-errors", in: page.html))
            #expect(Int(errors) ?? 0 >= 1)
        }
    }

    /// Requests over time: hourly over the last day, daily over 30 days, counting only the events recorded under
    /// the signed-in user's application.
    @Test func usageOverTimeCountsOnlyThisApplicationsEventsPerInterval() async throws {
        let fixture = try await PortalFixture()
        let application = try await fixture.keyManager.createApplication(name: "Metered", owner: "alice")
        let sibling = try await fixture.keyManager.createApplication(name: "Sibling", owner: "alice")
        let bobs = try await fixture.keyManager.createApplication(name: "Bobs", owner: "bob")
        let now = Int64(fixture.clock.now.timeIntervalSince1970 * 1000)
        func event(app: String, ago: Int64, code: Int = 200) -> UsageEvent {
            UsageEvent(
                requestTime: now - ago,
                apiName: "chris--PizzaShack",
                apiContext: "/pizzashack",
                apiVersion: "1.0.0",
                apiProvider: "chris",
                resourceTemplate: "/menu",
                resourcePath: "/menu",
                method: "GET",
                applicationID: app,
                responseCode: code,
                responseTimeMillis: 12
            )
        }
        let minute: Int64 = 60_000
        let hour = 60 * minute
        let day = 24 * hour
        var events = [
            event(app: application.id, ago: 30 * minute), event(app: application.id, ago: 31 * minute),
            event(app: application.id, ago: 5 * hour + 30 * minute, code: 500),
            event(app: application.id, ago: 3 * day),
        ]
        events += (0..<5).map { _ in event(app: sibling.id, ago: 30 * minute) }
        events += (0..<7).map { _ in event(app: bobs.id, ago: 5 * hour + 30 * minute) }
        try await fixture.storage.recordUsage(events)

        let service = SubscriberService(services: fixture.services)
        let analytics = UsageAnalyticsService(services: fixture.services)
        let alice = try #require(try await service.principal(username: "alice"))
        let to = now + 1
        let daily = try await analytics.applicationReport(
            applicationID: application.id, apiID: nil, from: to - day, to: to, buckets: 24, by: alice)
        #expect(daily.timeline.count == 24)
        #expect(daily.timeline.map(\.statistics.requestCount) == Array(repeating: 0, count: 18) + [1, 0, 0, 0, 0, 2])
        #expect(daily.timeline[18].statistics.errorCount == 1)
        #expect(daily.timeline.map(\.start) == (0..<24).map { to - day + Int64($0) * hour })
        let monthly = try await analytics.applicationReport(
            applicationID: application.id, apiID: nil, from: to - 30 * day, to: to, buckets: 30, by: alice)
        #expect(monthly.timeline.map(\.statistics.requestCount) == Array(repeating: 0, count: 26) + [1, 0, 0, 3])
        // Bob's application is not Alice's: not found, nothing counted for her.
        await #expect(throws: ManagementError.self) {
            _ = try await analytics.applicationReport(
            applicationID: bobs.id, apiID: nil, from: to - day, to: to, buckets: 24, by: alice)
        }

        try await fixture.test { browser, _ in
            try await browser.signIn("alice")
            let page = try await browser.get("/store/applications/\(application.id)/usage")
            #expect(page.status == .ok)
            #expect(page.html.contains(#"data-testid="usage-timeline""#))
            #expect(page.html.contains("Requests over time (UTC)"))
            #expect(page.html.contains("One point per hour."))
            #expect(page.html.contains("<polyline"))
            let month = try await browser.get("/store/applications/\(application.id)/usage?hours=720")
            #expect(month.html.contains("One point per day."))
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "MM-dd"
            // The first of the 30 daily labels is 30 days back.
            let first = formatter.string(from: Date(timeIntervalSince1970: Double(to - 30 * day) / 1000))
            #expect(month.html.contains(">\(first)</text>"))
            #expect(try await browser.get("/store/applications/\(bobs.id)/usage").status == .notFound)
        }
    }
}
