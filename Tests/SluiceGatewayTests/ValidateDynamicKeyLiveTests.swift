import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<validate>` with `<schema key="{expression}"/>` through the live gateway: the request picks the schema local
/// entry; a key naming none is answered by the fault sequence.
@Suite(.timeLimit(.minutes(1))) struct ValidateDynamicKeyLiveTests {
    @Test func theRequestPicksTheSchema() async throws {
        let ns = #"xmlns="http://ws.apache.org/ns/synapse""#
        let resources = """
            <resource methods="POST" url-mapping="/check">
              <inSequence>
                <property name="schemaProp" expression="$trp:X-Schema"/>
                <validate>
                  <schema key="{get-property('schemaProp')}"/>
                  <on-fail>
                    <payloadFactory media-type="xml"><format><response xmlns="">ValidateFailed</response></format><args/></payloadFactory>
                    <respond/>
                  </on-fail>
                </validate>
                <payloadFactory media-type="xml"><format><response xmlns="">ValidateSuccess</response></format><args/></payloadFactory>
                <respond/>
              </inSequence>
              <faultSequence>
                <payloadFactory media-type="xml"><format><fault xmlns="">$1</fault></format>
                  <args><arg expression="$ctx:ERROR_MESSAGE"/></args></payloadFactory>
                <respond/>
              </faultSequence>
            </resource>
            """
        func schema(_ element: String) -> String {
            """
            <localEntry \(ns) key="\(element)Schema">
              <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
                <xs:element name="\(element)"><xs:complexType><xs:sequence>
                  <xs:element name="qty" type="xs:positiveInteger"/>
                </xs:sequence></xs:complexType></xs:element>
              </xs:schema>
            </localEntry>
            """
        }
        let gateway = try await GatewayHarness.start(files: [
            "api/v.xml": Artifact.api(name: "v", context: "/v", resources: resources),
            "local-entries/orderSchema.xml": schema("order"),
            "local-entries/refundSchema.xml": schema("refund"),
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")
        func post(_ schema: String, _ body: String) async throws -> String {
            let headers = [("Content-Type", "application/xml"), ("X-Schema", schema)]
            return try await HTTPClient.shared.send(.POST, gateway.baseURL + "/v/check", headers: headers, body: body).body
        }
        #expect(try await post("orderSchema", "<order><qty>2</qty></order>").contains("ValidateSuccess"))
        #expect(try await post("refundSchema", "<refund><qty>1</qty></refund>").contains("ValidateSuccess"))
        #expect(try await post("refundSchema", "<order><qty>2</qty></order>").contains("ValidateFailed"))
        let fault = try await post("noSchema", "<order><qty>2</qty></order>")
        #expect(fault.contains("No Schema is available with the key : noSchema"), "\(fault)")
    }
}
