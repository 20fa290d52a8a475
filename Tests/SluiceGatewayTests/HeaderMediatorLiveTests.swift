import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceSynapse
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<header>` in the default (SOAP) scope through the live gateway, and its configuration errors as deployment and
/// `sluice validate` report them.
@Suite(.timeLimit(.minutes(1))) struct HeaderMediatorLiveTests {
    @Test func soapHeaderBlocksAddressingToAndActionReachTheBackend() async throws {
        let backend = try await TestHTTPBackend.start()
        let echo = Artifact.address(backend.baseURL + "/echo")
        let soapEndpoint = Artifact.address(backend.baseURL + "/echo", format: "soap11")
        let resources = """
            <resource methods="POST" url-mapping="/soap">
              <inSequence>
                <header xmlns:t="urn:trace" name="t:Trace" expression="$trp:X-Trace"/>
                <header xmlns:w="urn:wsse" name="w:Security" action="remove"/>
                <header name="Action" value="urn:getQuote"/>
                <send>\(echo)</send>
              </inSequence>
              <outSequence><send/></outSequence>
            </resource>
            <resource methods="GET" url-mapping="/to">
              <inSequence><header name="To" value="\(backend.baseURL)/echo/addressed"/><send/></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            <resource methods="POST" url-mapping="/rest-to-soap">
              <inSequence><header name="Action" value="urn:getQuote"/><send>\(soapEndpoint)</send></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/h.xml": Artifact.api(name: "h", context: "/h", resources: resources)
        ])
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")

        let envelope = """
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>\
            <w:Security xmlns:w="urn:wsse">secret</w:Security></s:Header><s:Body><getQuote/></s:Body></s:Envelope>
            """
        let soap = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/h/soap",
            headers: [("Content-Type", "text/xml; charset=UTF-8"), ("SOAPAction", "\"urn:old\""), ("X-Trace", "t-9")],
            body: envelope
        )
        #expect(soap.status == 200)
        #expect(backend.recordedRequests.last?.header("SOAPAction") == "\"urn:getQuote\"")
        #expect(
            soap.body
                == #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>"#
                + #"<t:Trace xmlns:t="urn:trace">t-9</t:Trace></s:Header><s:Body><getQuote/></s:Body></s:Envelope>"#
        )

        let addressed = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/h/to")
        #expect(addressed.status == 200)
        #expect(backend.recordedRequests.last?.uri.hasPrefix("/echo/addressed") == true)

        let converted = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/h/rest-to-soap", headers: [("Content-Type", "application/json")], body: #"{"symbol":"IBM"}"#
        )
        #expect(converted.status == 200)
        #expect(backend.recordedRequests.last?.header("SOAPAction") == "\"urn:getQuote\"")
        #expect(converted.body.contains("<jsonObject><symbol>IBM</symbol></jsonObject>"))

        await gateway.stop()
        try await backend.shutdown()
    }

    /// What deployment reports for a bad header is what `sluice validate` (the artifact parser) reports: the same
    /// messages at the same file, line and column.
    @Test func badHeaderConfigurationsAreReportedAsValidateReportsThem() async throws {
        let gateway = try await GatewayHarness.start()
        let generation = gateway.service.deploymentStatus.generation
        let sequence = """
            <?xml version="1.0" encoding="UTF-8"?>
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="badHeaders">
                <header name="X-Trace" value="on"/>
                <header name="u:Trace" value="on"/>
                <header value="on"/>
                <header name="Action"/>
            </sequence>
            """
        try gateway.write("sequences/badHeaders.xml", sequence)
        let status = try await gateway.waitForDeployment(after: generation)
        let path = gateway.synapsePath + "/sequences/badHeaders.xml"
        let file = try #require(status.file(path))
        #expect(file.state == .failed)
        let deployed = file.diagnostics.map(\.description)
        var validated: [String] = []
        do {
            _ = try SynapseParser().parseFile(atPath: path)
        } catch {
            validated = error.diagnostics.map(\.description)
        }
        #expect(deployed == validated)
        #expect(deployed.count == 4, "\(deployed)")
        #expect(deployed.first?.hasPrefix(path + ":3:") == true, "\(deployed)")
        #expect(deployed.last?.hasPrefix(path + ":6:") == true, "\(deployed)")
        await gateway.stop()
    }
}
