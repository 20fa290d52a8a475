import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// Apache Synapse's EIP library functions (`content_based_router`, `dynamic_router`, `callout_block`) through the
/// live gateway: templates written as the library writes them, called from an API with `call-template`.
@Suite(.timeLimit(.minutes(1))) struct EIPLibraryLiveTests {
    static func template(_ name: String, parameters: String, className: String) -> String {
        """
        <template xmlns="http://ws.apache.org/ns/synapse" name="\(name)">
        \(parameters)
        <sequence><class name="org.apache.synapse.libraries.eip.\(className)"/></sequence>
        </template>
        """
    }

    static func routeSequence(_ name: String) -> String {
        #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="\#(name)"><property name="route" value="\#(name)"/></sequence>"#
    }

    static let soap = """
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:trace xmlns:h="urn:h">\
        \(String(repeating: "x", count: 200))</h:trace></s:Header><s:Body>\
        <q:getQuote xmlns:q="urn:q"><q:symbol>IBM</q:symbol></q:getQuote></s:Body></s:Envelope>
        """

    @Test func routersAndTheCalloutBlockRunFromTheirTemplates() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let answerRoute = #"<header name="X-Route" expression="get-property('route')" scope="transport"/><respond/>"#
        let cbr = """
            <call-template target="cbr"><with-param name="routing_exp" value="{{//symbol}}"/>\
            <with-param name="match_content" value="IBM:gold,MSFT:silver;bronze"/></call-template>\(answerRoute)
            """
        let router = """
            <call-template target="router">\
            <with-param name="conditions" value="header=X-Tier:gold;seq=gold,header=X-Tier:g.*{AND}url=/eip/.*;seq=silver"/>\
            </call-template>\(answerRoute)
            """
        let block = """
            <call-template target="block"><with-param name="service_URL" value="\(backend.baseURL)/echo"/>\
            <with-param name="action" value="urn:getQuote"/></call-template>\
            <header name="X-After" value="callout" scope="transport"/><respond/>
            """
        let blockDefault = #"default="{{s11:Body/child::*[fn:position()=1] | s12:Body/child::*[fn:position()=1]}}""#
        let namespaces = #"xmlns:s11="http://schemas.xmlsoap.org/soap/envelope/" xmlns:s12="http://www.w3.org/2003/05/soap-envelope""#
        let gateway = try await GatewayHarness.start(files: [
            "templates/cbr.xml": Self.template(
                "cbr",
                parameters: #"<parameter name="routing_exp"/><parameter name="match_content"/>"#,
                className: "ContentBasedRouterMediator"
            ),
            "templates/router.xml": Self.template("router", parameters: #"<parameter name="conditions"/>"#, className: "DynamicRouterMediator"),
            "templates/block.xml": Self.template(
                "block",
                parameters: #"<parameter name="service_URL"/><parameter name="action" optional="true"/>"#
                    + #"<parameter name="source_xpath" \#(namespaces) \#(blockDefault) optional="true"/>"#
                    + #"<parameter name="target_xpath" \#(namespaces) \#(blockDefault) optional="true"/>"#,
                className: "CalloutBlockMediator"
            ),
            "sequences/gold.xml": Self.routeSequence("gold"),
            "sequences/silver.xml": Self.routeSequence("silver"),
            "sequences/bronze.xml": Self.routeSequence("bronze"),
            "api/eip.xml": Artifact.api(
                name: "eip",
                context: "/eip",
                resources: FlowMediatorsLiveTests.resource("/cbr", cbr) + FlowMediatorsLiveTests.resource("/router", router)
                    + FlowMediatorsLiveTests.resource("/block", block)
            ),
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")

        let ibm = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/eip/cbr", headers: [("Content-Type", "application/json")], body: #"{"symbol":"IBM"}"#
        )
        #expect(ibm.header("X-Route") == "gold", "\(ibm.status) \(ibm.body)")
        let other = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/eip/cbr", headers: [("Content-Type", "application/xml")], body: "<q><symbol>SUN</symbol></q>"
        )
        #expect(other.header("X-Route") == "bronze", "\(other.status) \(other.body)")

        // Both routes hold: both sequences run, in order, the last one's property stays.
        let routed = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/eip/router", headers: [("Content-Type", "application/xml"), ("X-Tier", "gold")], body: "<q/>"
        )
        #expect(routed.header("X-Route") == "silver", "\(routed.status) \(routed.body)")

        let called = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/eip/block", headers: [("Content-Type", "text/xml"), ("SOAPAction", "\"urn:mediate\"")], body: Self.soap
        )
        #expect(called.status == 200, "\(called.body)")
        #expect(called.header("X-After") == "callout")
        #expect(called.body.contains("<h:trace"), "\(called.body)")
        #expect(called.body.contains("<q:symbol>IBM</q:symbol>"), "\(called.body)")
        let seen = try #require(backend.recordedRequests.last)
        #expect(seen.header("SOAPAction") == "\"urn:getQuote\"")
        #expect(seen.bodyByteCount < Self.soap.utf8.count - 200)
    }
}
