import SluiceModel
import Testing

@testable import SluiceAnalytics

/// `/metrics` lists a deployed, metered API before its first call (zero counts) and never resets what calls counted.
@Suite struct UsageMetricsDeclarationTests {
    static let metered = SynapseAPI(
        name: "admin--Orders", context: "/orders", version: "2.0",
        handlers: [GatewayHandlerSpec(className: UsageHandler.classNames[0])]
    )
    static let latencyOnly = SynapseAPI(
        name: "admin--Menu", context: "/menu", version: "1.0",
        handlers: [GatewayHandlerSpec(className: LatencyStatsHandler.classNames[0])]
    )
    static let unmetered = SynapseAPI(name: "Plain", context: "/plain", version: "1.0")

    @Test func deployedMeteredAPIsGetZeroSeriesAndOthersNone() {
        let metrics = UsageMetrics()
        metrics.declare(deployed: [Self.metered, Self.latencyOnly, Self.unmetered])
        let text = metrics.render()
        #expect(text.contains(#"sluice_api_request_duration_seconds_count{api="admin--Orders",version="2.0"} 0"#))
        #expect(text.contains(#"sluice_api_backend_duration_seconds_count{api="admin--Menu",version="1.0"} 0"#))
        #expect(!text.contains(#"api="Plain""#))
    }

    @Test func declaringAgainKeepsWhatCallsCounted() {
        let metrics = UsageMetrics()
        metrics.declare(deployed: [Self.metered])
        metrics.record(
            UsageEvent(
                requestTime: 1, apiName: "admin--Orders", apiContext: "/orders", apiVersion: "2.0",
                resourceTemplate: "/*", resourcePath: "/x", method: "GET", responseCode: 200, responseTimeMillis: 4
            )
        )
        metrics.declare(deployed: [Self.metered])
        let text = metrics.render()
        #expect(text.contains(#"sluice_api_request_duration_seconds_count{api="admin--Orders",version="2.0"} 1"#))
        #expect(text.contains(#"sluice_api_requests_total{api="admin--Orders",version="2.0",code="200"} 1"#))
    }
}
