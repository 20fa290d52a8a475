import Foundation
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
        try await fixture.storage.insertUsageEvents([
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
            #expect(page.html.contains("<svg class=\"chart\""))
            #expect(page.html.contains("PizzaShack 1.0.0"))
            #expect(page.html.contains("&lt;Evil&gt; 1.0.0"))
            #expect(!page.html.contains("<Evil>"))
            let month = try await browser.get("/store/applications/\(application.id)/usage?hours=720")
            #expect(month.html.contains(#"data-testid="usage-requests">5<"#))
            let errors = try #require(StorePortalTests.value(of: "usage-errors", in: page.html))
            #expect(Int(errors) ?? 0 >= 1)
        }
    }
}
