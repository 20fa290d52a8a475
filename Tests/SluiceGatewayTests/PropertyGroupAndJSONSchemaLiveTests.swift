import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<propertyGroup>` and `<validate>` with a JSON Schema through the live gateway.
@Suite(.timeLimit(.minutes(1))) struct PropertyGroupAndJSONSchemaLiveTests {
    @Test func aGroupSetsHeadersAndAJSONSchemaGuardsTheBackend() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let resources = """
            <resource methods="POST" url-mapping="/orders">
              <inSequence>
                <validate>
                  <schema key="orderSchema"/>
                  <on-fail>
                    <propertyGroup>
                      <property name="HTTP_SC" value="422" scope="axis2"/>
                      <property name="X-Problem" expression="$ctx:ERROR_DETAIL" scope="transport"/>
                    </propertyGroup>
                    <respond/>
                  </on-fail>
                </validate>
                <propertyGroup>
                  <property name="X-Order-Id" expression="json-eval($.id)" scope="transport"/>
                  <property name="X-Checked" value="yes" scope="transport"/>
                </propertyGroup>
                <send>\(Artifact.address(backend.baseURL + "/echo"))</send>
              </inSequence>
              <outSequence><send/></outSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/j.xml": Artifact.api(name: "j", context: "/j", resources: resources),
            "local-entries/orderSchema.xml": """
                <localEntry xmlns="http://ws.apache.org/ns/synapse" key="orderSchema"><![CDATA[
                  {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 1}}}
                ]]></localEntry>
                """,
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")
        let json = [("Content-Type", "application/json")]

        let valid = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/j/orders", headers: json, body: #"{"id":7}"#)
        #expect(valid.status == 200)
        #expect(valid.body == #"{"id":7}"#)
        #expect(backend.recordedRequests.last?.header("X-Order-Id") == "7")
        #expect(backend.recordedRequests.last?.header("X-Checked") == "yes")

        let requests = backend.recordedRequests.count
        let invalid = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/j/orders", headers: json, body: #"{"id":0}"#)
        #expect(invalid.status == 422)
        #expect(invalid.header("X-Problem") == "$.id: 0 is less than the minimum 1")
        #expect(backend.recordedRequests.count == requests)
    }
}
