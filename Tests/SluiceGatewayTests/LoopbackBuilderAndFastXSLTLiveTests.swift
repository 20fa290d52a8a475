import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// The mediators no other live test sends a request through: `loopback` on an XML message, `builder` (a body read
/// as the builder named for its content type says) and `fastXSLT` (a stylesheet from a local entry on the payload).
@Suite(.timeLimit(.minutes(1))) struct LoopbackBuilderAndFastXSLTLiveTests {
    private static func resource(_ path: String, _ inSequence: String, out: String = "<send/>") -> String {
        """
        <resource methods="POST" url-mapping="\(path)">
          <inSequence>\(inSequence)</inSequence>
          <outSequence>\(out)</outSequence>
        </resource>
        """
    }

    @Test func loopbackBuilderAndFastXSLTThroughTheGateway() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let stylesheet = """
            <localEntry xmlns="http://ws.apache.org/ns/synapse" key="toInvoice">
              <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns="">
                <xsl:template match="/order"><invoice total="{sum(line/@price)}"><xsl:value-of select="count(line)"/></invoice></xsl:template>
              </xsl:stylesheet>
            </localEntry>
            """
        let resources = [
            Self.resource(
                "/loopback",
                #"<payloadFactory media-type="xml"><format><looped xmlns="">$1</looped></format><args><arg expression="//id"/></args></payloadFactory><loopback/><property name="never" value="x"/>"#,
                out: #"<header name="X-Out-Ran" value="yes" scope="transport"/><send/>"#
            ),
            Self.resource(
                "/builder",
                """
                <builder><messageBuilder contentType="text/plain" class="org.apache.axis2.json.JSONBuilder"/></builder>
                <property name="sku" expression="json-eval($.sku)"/>
                <payloadFactory media-type="json"><format>{"read":"$1"}</format><args><arg expression="$ctx:sku"/></args></payloadFactory>
                <respond/>
                """
            ),
            Self.resource("/invoice", #"<fastXSLT key="toInvoice"/><respond/>"#),
        ].joined()
        let gateway = try await GatewayHarness.start(files: [
            "api/gaps.xml": Artifact.api(name: "gaps", context: "/gaps", resources: resources),
            "local-entries/toInvoice.xml": stylesheet,
        ])
        defer { gateway.stopInBackground() }
        let base = gateway.baseURL + "/gaps"

        let looped = try await HTTPClient.shared.send(
            .POST, base + "/loopback", headers: [("Content-Type", "application/xml")], body: "<order><id>42</id></order>"
        )
        #expect(looped.status == 200)
        // The format's element keeps its `xmlns=""` (so it is not in Synapse's namespace), as payloadFactory writes it.
        #expect(looped.body == #"<looped xmlns="">42</looped>"#)
        #expect(looped.header("X-Out-Ran") == "yes")
        #expect(looped.header("Content-Type")?.hasPrefix("application/xml") == true)

        // text/plain read as JSON because the builder names the JSON builder for it.
        let built = try await HTTPClient.shared.send(
            .POST, base + "/builder", headers: [("Content-Type", "text/plain")], body: #"{"sku":"A-7"}"#
        )
        #expect(built.status == 200)
        #expect(built.body == #"{"read":"A-7"}"#)

        let invoice = try await HTTPClient.shared.send(
            .POST, base + "/invoice", headers: [("Content-Type", "application/xml")],
            body: #"<order><line price="2.5"/><line price="4"/></order>"#
        )
        #expect(invoice.status == 200)
        #expect(invoice.body == #"<invoice total="6.5">2</invoice>"#)
        #expect(backend.recordedRequests.isEmpty)
    }
}
