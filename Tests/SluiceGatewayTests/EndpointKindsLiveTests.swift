import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<wsdl>`, `<default>` and `<enableAddressing/>` endpoints through the live gateway.
@Suite(.timeLimit(.minutes(1))) struct EndpointKindsLiveTests {
    @Test func wsdlAndDefaultEndpointsReachTheBackend() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let wsdl = """
            <wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/">
              <wsdl:service name="Orders"><wsdl:port name="Soap11">
                <soap:address location="\(backend.baseURL)/echo/wsdl"/>
              </wsdl:port></wsdl:service>
            </wsdl:definitions>
            """
        let resources = """
            <resource methods="POST" url-mapping="/wsdl">
              <inSequence><header name="Action" value="urn:placeOrder"/>
                <send><endpoint><wsdl service="Orders" port="Soap11">\(wsdl)<enableAddressing/></wsdl></endpoint></send>
              </inSequence>
              <outSequence><send/></outSequence>
            </resource>
            <resource methods="GET" url-mapping="/default">
              <inSequence><header name="To" value="\(backend.baseURL)/echo/default"/><send><endpoint><default/></endpoint></send></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            <resource methods="GET" url-mapping="/nowhere">
              <inSequence><send><endpoint><default/></endpoint></send></inSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/e.xml": Artifact.api(name: "e", context: "/e", resources: resources)
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")

        let order = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/e/wsdl",
            headers: [("Content-Type", "application/xml")],
            body: "<order><id>4</id></order>"
        )
        #expect(order.status == 200)
        let seen = try #require(backend.recordedRequests.last)
        #expect(seen.uri == "/echo/wsdl")
        #expect(seen.header("SOAPAction") == "\"urn:placeOrder\"")
        // The backend echoes the envelope it got: SOAP 1.1 (from the WSDL binding) with WS-Addressing headers.
        #expect(order.body.contains("http://schemas.xmlsoap.org/soap/envelope/"), "\(order.body)")
        #expect(order.body.contains(">\(backend.baseURL)/echo/wsdl</wsa:To>"), "\(order.body)")
        #expect(order.body.contains(">urn:placeOrder</wsa:Action>"), "\(order.body)")
        #expect(order.body.contains("<order><id>4</id></order>"), "\(order.body)")

        let routed = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/e/default")
        #expect(routed.status == 200)
        #expect(backend.recordedRequests.last?.uri == "/echo/default")

        let requests = backend.recordedRequests.count
        let nowhere = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/e/nowhere")
        #expect(nowhere.status >= 500)
        #expect(backend.recordedRequests.count == requests)
    }
}
