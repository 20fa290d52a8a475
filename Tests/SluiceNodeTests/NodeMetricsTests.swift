import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceModel
import Testing

/// `/metrics` of a running all-in-one node, counted through swift-metrics into the Prometheus backend: the API
/// traffic series (names unchanged), backend latency, throttle decisions, token endpoint outcomes and the gauges
/// sampled when the page renders (deployments).
@Suite(.timeLimit(.minutes(2)))
struct NodeMetricsTests {
    @Test func callsTokensThrottleDecisionsAndDeploymentsAreCounted() async throws {
        var page = ""
        _ = try await NodeTracingTests.withTracedNode(TracingSettings()) { gatewayPort, managementPort, _, token in
            let management = "http://127.0.0.1:\(managementPort)"
            let menu = "http://127.0.0.1:\(gatewayPort)/traced/1.0.0/menu"
            #expect(try await NodeTracingTests.get(menu, headers: [("Authorization", "Bearer \(token)")]) == 200)
            #expect(try await NodeTracingTests.get(menu, headers: [("Authorization", "Bearer wrong")]) == 401)
            var refused = HTTPClientRequest(url: management + "/oauth2/token")
            refused.method = .POST
            refused.headers.add(name: "Authorization", value: "Basic " + Data("nobody:wrong".utf8).base64EncodedString())
            refused.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            refused.body = .bytes(ByteBuffer(string: "grant_type=client_credentials"))
            let answer = try await HTTPClient.shared.execute(refused, timeout: .seconds(10))
            _ = try await answer.body.collect(upTo: 1 << 16)
            #expect(answer.status.code == 401)

            var scrape = HTTPClientRequest(url: management + "/metrics")
            scrape.method = .GET
            let response = try await HTTPClient.shared.execute(scrape, timeout: .seconds(10))
            page = String(buffer: try await response.body.collect(upTo: 1 << 22))
            #expect(response.status.code == 200)
        }
        let api = #"api="admin--Traced",version="1.0.0""#
        for line in [
            #"sluice_api_requests_total{\#(api),code="200"} 1"#,
            #"sluice_api_requests_total{\#(api),code="401"} 1"#,
            #"sluice_api_request_duration_seconds_count{\#(api)} 2"#,
            // Declared at zero: backend time comes from the properties WSO2's response mediators set.
            #"sluice_api_backend_duration_seconds_count{\#(api)} 0"#,
            // The refused call stopped at authentication, before the throttle.
            #"sluice_throttle_decisions_total{\#(api),decision="accepted"} 1"#,
            #"sluice_throttle_decisions_total{\#(api),decision="throttled"} 0"#,
            // The test's own token, then the unknown client.
            #"sluice_tokens_issued_total{grant="client_credentials"} 1"#,
            #"sluice_token_requests_refused_total{grant="client_credentials",error="invalid_client"} 1"#,
            "sluice_deployment_failed_files 0.0",
        ] {
            #expect(page.contains(line + "\n"), "\(line)")
        }
        let deployed = page.split(separator: "\n").first { $0.hasPrefix("sluice_deployed_apis ") }
        #expect(deployed.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 >= 1 } == true)
        #expect(page.contains("sluice_deployments "))
    }
}
