import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<validate>` through the live gateway with a schema that imports another local entry through `<resource>`, and
/// a second `<schema key>` combined with it; the entries are separate deployed files.
@Suite(.timeLimit(.minutes(1))) struct ValidateSchemaResourcesLiveTests {
    @Test func importedAndCombinedSchemasValidateRequests() async throws {
        let ns = #"xmlns="http://ws.apache.org/ns/synapse""#
        let xs = #"xmlns:xs="http://www.w3.org/2001/XMLSchema""#
        let resources = """
            <resource methods="POST" url-mapping="/check">
              <inSequence>
                <validate>
                  <schema key="ticketSchema"/>
                  <schema key="seatSchema"/>
                  <resource location="http://schemas.example.com/price.xsd" key="priceSchema"/>
                  <on-fail>
                    <payloadFactory media-type="xml"><format><response xmlns="">ValidateFailed</response></format><args/></payloadFactory>
                    <respond/>
                  </on-fail>
                </validate>
                <payloadFactory media-type="xml"><format><response xmlns="">ValidateSuccess</response></format><args/></payloadFactory>
                <respond/>
              </inSequence>
            </resource>
            """
        let ticket = """
            <localEntry \(ns) key="ticketSchema">
              <xs:schema \(xs) xmlns:p="urn:price" xmlns:s="urn:seat" targetNamespace="urn:ticket" elementFormDefault="qualified">
                <xs:import namespace="urn:price" schemaLocation="http://schemas.example.com/price.xsd"/>
                <xs:import namespace="urn:seat"/>
                <xs:element name="ticket"><xs:complexType><xs:sequence>
                  <xs:element name="seat" type="s:Seat"/>
                  <xs:element name="price" type="p:Cents"/>
                </xs:sequence></xs:complexType></xs:element>
              </xs:schema>
            </localEntry>
            """
        let price = """
            <localEntry \(ns) key="priceSchema">
              <xs:schema \(xs) targetNamespace="urn:price">
                <xs:simpleType name="Cents"><xs:restriction base="xs:nonNegativeInteger"/></xs:simpleType>
              </xs:schema>
            </localEntry>
            """
        let seat = """
            <localEntry \(ns) key="seatSchema">
              <xs:schema \(xs) targetNamespace="urn:seat">
                <xs:simpleType name="Seat"><xs:restriction base="xs:string"><xs:pattern value="[A-Z][0-9]+"/></xs:restriction></xs:simpleType>
              </xs:schema>
            </localEntry>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/t.xml": Artifact.api(name: "t", context: "/t", resources: resources),
            "local-entries/ticketSchema.xml": ticket,
            "local-entries/priceSchema.xml": price,
            "local-entries/seatSchema.xml": seat,
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")
        func post(_ body: String) async throws -> String {
            let headers = [("Content-Type", "application/xml")]
            return try await HTTPClient.shared.send(.POST, gateway.baseURL + "/t/check", headers: headers, body: body).body
        }
        let valid = #"<ticket xmlns="urn:ticket"><seat>B12</seat><price>4500</price></ticket>"#
        #expect(try await post(valid).contains("ValidateSuccess"))
        let badPrice = #"<ticket xmlns="urn:ticket"><seat>B12</seat><price>-1</price></ticket>"#
        #expect(try await post(badPrice).contains("ValidateFailed"))
        let badSeat = #"<ticket xmlns="urn:ticket"><seat>12B</seat><price>4500</price></ticket>"#
        #expect(try await post(badSeat).contains("ValidateFailed"))
    }
}
