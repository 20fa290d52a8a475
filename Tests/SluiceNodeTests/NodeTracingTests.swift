import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceKeyManager
import SluiceModel
import SluiceNode
import SluiceStorage
import SluiceTesting
import Testing

/// `<OpenTelemetry>` through a running all-in-one node: spans of gateway and management requests reach an OTLP/HTTP
/// receiver the test runs, with the structure and attributes a trace viewer shows, and the backend's `traceparent`
/// names the gateway's backend span.
@Suite(.timeLimit(.minutes(2)))
struct NodeTracingTests {
    /// An API with WSO2's handler chain, an in and an out sequence, sending to `backend`.
    static func tracedAPI(backendPort: Int) -> String {
        """
        <api xmlns="http://ws.apache.org/ns/synapse" name="admin--Traced" context="/traced/1.0.0" version="1.0.0"
             version-type="context">
          <resource methods="GET" uri-template="/menu" faultSequence="fault">
            <inSequence>
              <property name="traced" value="yes"/>
              <send><endpoint><address uri="http://127.0.0.1:\(backendPort)/base"/></endpoint></send>
            </inSequence>
            <outSequence><send/></outSequence>
          </resource>
          <handlers>
            <handler class="org.wso2.carbon.apimgt.gateway.handlers.common.APIMgtLatencyStatsHandler"/>
            <handler class="org.wso2.carbon.apimgt.gateway.handlers.security.APIAuthenticationHandler"/>
            <handler class="org.wso2.carbon.apimgt.gateway.handlers.throttling.ThrottleHandler"/>
            <handler class="org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtUsageHandler"/>
          </handlers>
        </api>
        """
    }

    /// Runs a node tracing with `tracing` (the endpoint filled in) until `body` returns, then stops it, which
    /// exports the spans still waiting. `moreAPIs` are deployed too (by file name, without `.xml`).
    static func withTracedNode(
        _ tracing: TracingSettings,
        moreAPIs: [String: String] = [:],
        _ body: (_ gatewayPort: Int, _ managementPort: Int, _ backend: TestHTTPBackend, _ token: String) async throws -> Void
    ) async throws -> (receiver: [OTLPReceiver.ReceivedSpan], exports: Int) {
        let receiver = try await OTLPReceiver.start()
        let backend = try await TestHTTPBackend.start()
        do {
            let repository = try TestRepository()
            try tracedAPI(backendPort: backend.port).write(
                toFile: repository.path + "/deployment/server/synapse-configs/default/api/admin--Traced_v1.0.0.xml",
                atomically: true,
                encoding: .utf8
            )
            for (name, text) in moreAPIs {
                try text.write(
                    toFile: repository.path + "/deployment/server/synapse-configs/default/api/\(name).xml",
                    atomically: true,
                    encoding: .utf8
                )
            }
            var options = repository.options(roles: Set(NodeRole.allCases))
            options.gatewayPort = 0
            options.managementPort = 0
            var settings = tracing
            settings.endpoint = "http://127.0.0.1:\(receiver.port)/v1/traces"
            options.settings.tracing = settings
            let node = try await SluiceNode.assemble(options)
            let gateway = try #require(node.gateway)
            let keyManager = try #require(node.keyManager)
            let application = try await keyManager.createApplication(name: "Shop", owner: "admin")
            let keys = try await keyManager.generateKeys(applicationID: application.id, keyType: .production)
            _ = try await keyManager.subscribe(
                applicationID: application.id, to: APIKey(context: "/traced", version: "1.0.0"), tier: "Gold"
            )
            let token = try await keyManager.token(
                for: TokenRequest(grant: .clientCredentials),
                credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
            )
            let services = node.serviceGroup()
            try await withRunningServices(services) {
                let gatewayPort = try await gateway.boundPort
                let managementPort = try await node.boundManagementPort
                _ = try await poll("http://127.0.0.1:\(managementPort)/api/am/openapi.json") { $0 == 200 }
                try await body(gatewayPort, managementPort, backend, token.accessToken)
            }
        } catch {
            try? await backend.shutdown()
            try? await receiver.shutdown()
            throw error
        }
        try await backend.shutdown()
        try await receiver.shutdown()
        #expect(receiver.exports.allSatisfy { $0.contentType == "application/json" })
        return (try receiver.spans(), receiver.exports.count)
    }

    static func get(_ url: String, headers: [(String, String)] = []) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    @Test func gatewayAndManagementRequestsAreExportedAsTracesThatContinueTheClients() async throws {
        let clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
        let clientSpan = "00f067aa0ba902b7"
        var backendTraceparent: String?
        let (spans, _) = try await Self.withTracedNode(
            TracingSettings(enabled: true, exportProtocol: .json, serviceName: "sluice-test", exportDelayMillis: 50)
        ) { gatewayPort, managementPort, backend, token in
            let menu = "http://127.0.0.1:\(gatewayPort)/traced/1.0.0/menu"
            let traced = try await Self.get(
                menu,
                headers: [
                    ("Authorization", "Bearer \(token)"), ("traceparent", "00-\(clientTrace)-\(clientSpan)-01"),
                    ("tracestate", "vendor=a1"),
                ]
            )
            #expect(traced == 200)
            backendTraceparent = backend.recordedRequests.first?.header("traceparent")
            #expect(backend.recordedRequests.first?.header("tracestate") == "vendor=a1")
            #expect(try await Self.get(menu, headers: [("Authorization", "Bearer wrong")]) == 401)
            #expect(try await Self.get("http://127.0.0.1:\(managementPort)/api/am/openapi.json") == 200)
        }
        #expect(spans.allSatisfy { $0.serviceName == "sluice-test" })

        // The first call: its server span continues the client's trace.
        let root = try #require(spans.first { $0.kind == 2 && $0.traceID == clientTrace })
        #expect(root.parentSpanID == clientSpan)
        #expect(root.name == "GET /traced/1.0.0/menu")
        #expect(root.attributes["http.request.method"] == "GET")
        #expect(root.attributes["http.route"] == "/traced/1.0.0/menu")
        #expect(root.attributes["http.response.status_code"] == "200")
        #expect(root.attributes["sluice.api"] == "admin--Traced")
        #expect(root.attributes["sluice.api.version"] == "1.0.0")
        #expect(root.attributes["sluice.resource"] == "/menu")
        #expect(root.attributes["sluice.application"] == "Shop")
        #expect(root.attributes["client.address"] == "127.0.0.1")
        let children = spans.filter { $0.traceID == clientTrace && $0.parentSpanID == root.spanID }
        let handlerSpans = children.filter { $0.attributes["sluice.handler.class"] != nil }
        #expect(
            handlerSpans.map { "\($0.name) \($0.attributes["sluice.handler.phase"] ?? "")" }.sorted()
                == [
                    "APIAuthenticationHandler request", "APIAuthenticationHandler response",
                    "APIMgtLatencyStatsHandler request", "APIMgtLatencyStatsHandler response", "APIMgtUsageHandler request",
                    "APIMgtUsageHandler response", "ThrottleHandler request", "ThrottleHandler response",
                ]
        )
        #expect(Set(children.compactMap { $0.attributes["sluice.sequence.flow"] }) == ["inSequence", "outSequence"])

        // The backend call: a client span under the server span, whose id the backend received as its parent.
        let call = try #require(children.first { $0.kind == 3 })
        #expect(call.attributes["http.response.status_code"] == "200")
        #expect(call.attributes["server.address"] == "127.0.0.1")
        #expect(call.attributes["url.full"]?.hasSuffix("/base/menu") == true)
        #expect(backendTraceparent == "00-\(clientTrace)-\(call.spanID)-01")

        // The refused call: a trace of its own, with the fault code on the server span and on the handler's.
        let refused = try #require(spans.first { $0.kind == 2 && $0.attributes["http.response.status_code"] == "401" })
        #expect(refused.traceID != clientTrace && refused.parentSpanID == nil)
        #expect(refused.attributes["sluice.fault.code"] == "900901")
        let authentication = spans.first {
            $0.parentSpanID == refused.spanID && $0.name == "APIAuthenticationHandler"
                && $0.attributes["sluice.handler.phase"] == "request"
        }
        #expect(authentication?.attributes["sluice.fault.code"] == "900901")
        #expect(authentication?.statusCode == 2)
        #expect(!spans.contains { $0.parentSpanID == refused.spanID && $0.kind == 3 })

        // The management request.
        let management = try #require(spans.first { $0.attributes["url.path"] == "/api/am/openapi.json" })
        #expect(management.kind == 2 && management.attributes["http.response.status_code"] == "200")
        #expect(management.attributes["http.route"] != nil)
    }

    @Test func samplingRatioZeroExportsNothingAndTheCallsStillWork() async throws {
        let (spans, exports) = try await Self.withTracedNode(
            TracingSettings(enabled: true, exportProtocol: .json, samplingRatio: 0, parentBased: false, exportDelayMillis: 50)
        ) { gatewayPort, managementPort, backend, token in
            let menu = "http://127.0.0.1:\(gatewayPort)/traced/1.0.0/menu"
            #expect(try await Self.get(menu, headers: [("Authorization", "Bearer \(token)")]) == 200)
            #expect(try await Self.get("http://127.0.0.1:\(managementPort)/api/am/openapi.json") == 200)
            // The backend still learns the (unsampled) trace it is part of.
            let traceparent = try #require(backend.recordedRequests.first?.header("traceparent"))
            #expect(traceparent.hasPrefix("00-") && traceparent.hasSuffix("-00"))
        }
        #expect(spans.isEmpty)
        #expect(exports == 0)
    }
}
