import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceAnalytics
import SluiceModel
import SluiceTesting
import Testing

/// `/metrics` of a running all-in-one node, counted through swift-metrics into the Prometheus backend: the API
/// traffic series (names unchanged), backend latency, throttle decisions, authentication outcomes, token endpoint
/// outcomes, the backend connection pools and the gauges sampled when the page renders (deployments); every
/// family with its `# HELP` and `# TYPE` as ``MetricFamilies`` lists it.
@Suite(.timeLimit(.minutes(2)))
struct NodeMetricsTests {
    /// An API without handlers whose backend refuses connections (nothing listens on `port`).
    static func downAPI(port: Int) -> String {
        """
        <api xmlns="http://ws.apache.org/ns/synapse" name="Down" context="/down">
          <resource methods="GET" uri-template="/*">
            <inSequence><send><endpoint><address uri="http://127.0.0.1:\(port)/"/></endpoint></send></inSequence>
          </resource>
        </api>
        """
    }

    @Test func callsTokensThrottleDecisionsPoolsAndDeploymentsAreCounted() async throws {
        var page = ""
        var backendPort = 0
        // Bound but never listening: refuses every connection, and no other test can take it meanwhile.
        let closedPort = try DeadPort()
        _ = try await NodeTracingTests.withTracedNode(
            TracingSettings(), moreAPIs: ["Down": Self.downAPI(port: closedPort.port)]
        ) { gatewayPort, managementPort, backend, token in
            backendPort = backend.port
            let management = "http://127.0.0.1:\(managementPort)"
            let menu = "http://127.0.0.1:\(gatewayPort)/traced/1.0.0/menu"
            #expect(try await NodeTracingTests.get(menu, headers: [("Authorization", "Bearer \(token)")]) == 200)
            #expect(try await NodeTracingTests.get(menu, headers: [("Authorization", "Bearer wrong")]) == 401)
            #expect(try await NodeTracingTests.get(menu) == 401)
            #expect(try await NodeTracingTests.get("http://127.0.0.1:\(gatewayPort)/down/x") >= 500)
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
        let backend = #"backend="127.0.0.1:\#(backendPort)""#
        let down = #"backend="127.0.0.1:\#(closedPort.port)""#
        for line in [
            #"sluice_api_requests_total{\#(api),code="200"} 1"#,
            #"sluice_api_requests_total{\#(api),code="401"} 2"#,
            #"sluice_api_request_duration_seconds_count{\#(api)} 3"#,
            // Declared at zero: backend time comes from the properties WSO2's response mediators set.
            #"sluice_api_backend_duration_seconds_count{\#(api)} 0"#,
            // The refused calls stopped at authentication, before the throttle.
            #"sluice_throttle_decisions_total{\#(api),decision="accepted"} 1"#,
            #"sluice_throttle_decisions_total{\#(api),decision="throttled"} 0"#,
            // Authentication: every outcome is listed from the start.
            #"sluice_key_validations_total{outcome="valid"} 1"#,
            #"sluice_key_validations_total{outcome="invalid_credentials"} 1"#,
            #"sluice_key_validations_total{outcome="missing_credentials"} 1"#,
            #"sluice_key_validations_total{outcome="scope_refused"} 0"#,
            #"sluice_key_validations_total{outcome="unsubscribed"} 0"#,
            // The test's own token, then the unknown client.
            #"sluice_tokens_issued_total{grant="client_credentials"} 1"#,
            #"sluice_token_requests_refused_total{grant="client_credentials",error="invalid_client"} 1"#,
            // One keep-alive connection to the backend, back in the pool once the answer was read.
            #"sluice_upstream_connects_total{\#(backend)} 1"#,
            #"sluice_upstream_connect_failures_total{\#(backend)} 0"#,
            #"sluice_upstream_connections_open{\#(backend)} 1.0"#,
            #"sluice_upstream_connections_idle{\#(backend)} 1.0"#,
            #"sluice_upstream_connections_in_use{\#(backend)} 0.0"#,
            #"sluice_upstream_connection_waiters{\#(backend)} 0.0"#,
            // The refused connection.
            #"sluice_upstream_connects_total{\#(down)} 0"#,
            #"sluice_upstream_connect_failures_total{\#(down)} 1"#,
            #"sluice_upstream_connections_open{\#(down)} 0.0"#,
            "sluice_deployment_failed_files 0.0",
        ] {
            #expect(page.contains(line + "\n"), "\(line)")
        }
        let deployed = page.split(separator: "\n").first { $0.hasPrefix("sluice_deployed_apis ") }
        #expect(deployed.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 >= 2 } == true)
        #expect(page.contains("sluice_deployments "))

        // Every family rendered has its HELP and TYPE lines, as MetricFamilies lists it; only families of parts this
        // node does not run (a remote key manager's cache, raw usage events, the access log) are missing, and the
        // throttled calls, whose series appear with the first one, labelled by its reason.
        let rendered = Self.families(page)
        let listed = Dictionary(uniqueKeysWithValues: MetricFamilies.all.map { ($0.name, $0) })
        for (name, family) in rendered {
            #expect(family.help != nil && family.help == listed[name]?.help, "HELP of \(name)")
            #expect(family.type != nil && family.type == listed[name]?.kind.rawValue, "TYPE of \(name)")
            #expect(family.samples > 0, "samples of \(name)")
        }
        #expect(
            Set(listed.keys).subtracting(rendered.keys)
                == [
                    "sluice_key_validation_cache_lookups_total", "sluice_usage_queue_depth", "sluice_usage_queue_capacity",
                    "sluice_access_log_queue_depth", "sluice_access_log_lines_dropped", "sluice_api_throttled_total",
                ]
        )
    }

    /// What a page says of each family: its HELP text, its TYPE, and how many samples it has.
    struct RenderedFamily {
        var help: String?
        var type: String?
        var samples = 0
    }

    /// The families of a text exposition, by name (a histogram's `_bucket`, `_sum` and `_count` samples count as
    /// its own).
    static func families(_ page: String) -> [String: RenderedFamily] {
        var families: [String: RenderedFamily] = [:]
        for line in page.split(separator: "\n") {
            let words = line.split(separator: " ", maxSplits: 3)
            if words.count >= 4, words[0] == "#", words[1] == "HELP" {
                families[String(words[2]), default: RenderedFamily()].help = String(words[3])
            } else if words.count == 4, words[0] == "#", words[1] == "TYPE" {
                families[String(words[2]), default: RenderedFamily()].type = String(words[3])
            } else if !line.hasPrefix("#") {
                var name = String(line.prefix { $0 != "{" && $0 != " " })
                for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
                    let base = String(name.dropLast(suffix.count))
                    if families[base]?.type == "histogram" { name = base }
                }
                families[name, default: RenderedFamily()].samples += 1
            }
        }
        return families
    }
}
