import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<conditionalRouter>` through the live gateway: routes on a header, a query parameter and the XML payload.
@Suite(.timeLimit(.minutes(1))) struct ConditionalRouterLiveTests {
    @Test func routesPickTheBackendAndUnroutedMessagesStop() async throws {
        let gold = try await TestHTTPBackend.start(name: "gold")
        defer { gold.shutdownInBackground() }
        let standard = try await TestHTTPBackend.start(name: "standard")
        defer { standard.shutdownInBackground() }
        let router = """
            <conditionalRouter>
              <conditionalRoute>
                <condition><or><equal source="X-Tier" value="gold"/><equal type="soap" source="//order/tier" value="gold"/></or></condition>
                <target>\(Artifact.address(gold.baseURL + "/json"))</target>
              </conditionalRoute>
              <conditionalRoute>
                <condition><equal type="param" source="plan" value="standard"/></condition>
                <target><sequence><send>\(Artifact.address(standard.baseURL + "/json"))</send></sequence></target>
              </conditionalRoute>
            </conditionalRouter>
            <respond/>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/r.xml": Artifact.api(name: "r", context: "/r", resources: FlowMediatorsLiveTests.resource("/orders", router))
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")
        let json = [("Content-Type", "application/json")]

        let byHeader = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/r/orders",
            headers: json + [("X-Tier", "GOLD")],
            body: #"{"q":1}"#
        )
        #expect(byHeader.status == 200)
        #expect(byHeader.body.contains(#""backend":"gold""#), "\(byHeader.body)")

        let byPayload = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/r/orders",
            headers: [("Content-Type", "application/xml")],
            body: "<order><tier>gold</tier></order>"
        )
        #expect(byPayload.body.contains(#""backend":"gold""#), "\(byPayload.body)")

        let byParameter = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/r/orders?plan=standard", headers: json, body: "{}")
        #expect(byParameter.body.contains(#""backend":"standard""#), "\(byParameter.body)")

        // No route: the router stops the sequence (continueAfter is false), so <respond/> never runs.
        let unrouted = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/r/orders", headers: json, body: "{}")
        #expect(unrouted.status == 202)
        #expect(gold.recordedRequests.count == 2 && standard.recordedRequests.count == 1)
    }
}
