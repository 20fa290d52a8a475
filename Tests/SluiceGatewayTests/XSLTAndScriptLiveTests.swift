import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceScript
import SluiceTesting
import Synchronization
import Testing

@testable import SluiceGateway

/// `xslt` and `script` through the live gateway: stylesheets and scripts from local entries, faults from bad ones,
/// and a gateway that keeps serving.
@Suite(.timeLimit(.minutes(1))) struct XSLTAndScriptLiveTests {
    private static let synapse = #"xmlns="http://ws.apache.org/ns/synapse""#

    private static func resource(_ path: String, _ inSequence: String, out: String = "<send/>") -> String {
        """
        <resource methods="POST" url-mapping="\(path)">
          <inSequence>\(inSequence)</inSequence>
          <outSequence>\(out)</outSequence>
          <faultSequence>
            <property name="HTTP_SC" value="500" scope="axis2"/>
            <payloadFactory media-type="json"><format>{"fault":"$1"}</format>
              <args><arg expression="$ctx:ERROR_MESSAGE"/></args></payloadFactory>
            <respond/>
          </faultSequence>
        </resource>
        """
    }

    private static func localEntry(_ key: String, _ content: String) -> String {
        #"<localEntry \#(synapse) key="\#(key)">\#(content)</localEntry>"#
    }

    @Test func xsltTransformsRequestsAndStopsBadStylesheets() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let xsl = #"xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns="""#
        let toBackend = """
            <xsl:stylesheet version="1.0" \(xsl)>
              <xsl:param name="tenant"/>
              <xsl:template match="/order"><backendOrder tenant="{$tenant}"><xsl:copy-of select="*"/></backendOrder></xsl:template>
            </xsl:stylesheet>
            """
        let fromJSON = """
            <xsl:stylesheet version="1.0" \(xsl)>
              <xsl:template match="/jsonObject"><jsonObject><orderId><xsl:value-of select="id"/></orderId></jsonObject></xsl:template>
            </xsl:stylesheet>
            """
        let readsFile = """
            <xsl:stylesheet version="1.0" \(xsl)>
              <xsl:template match="/"><r><xsl:copy-of select="document('/etc/hostname')"/></r></xsl:template>
            </xsl:stylesheet>
            """
        let echo = Artifact.address(backend.baseURL + "/echo")
        let resources = [
            Self.resource(
                "/orders",
                #"<xslt key="toBackend"><property name="tenant" expression="$trp:X-Tenant"/></xslt><send>\#(echo)</send>"#
            ),
            Self.resource("/from-js", #"<xslt key="fromJSON"/><send>\#(echo)</send>"#),
            Self.resource("/evil", #"<xslt key="readsFile"/><send>\#(echo)</send>"#),
            // The stylesheet named per message by a header.
            Self.resource("/dynamic", #"<xslt key="{$trp:X-Stylesheet}"/><send>\#(echo)</send>"#),
        ].joined()
        let gateway = try await GatewayHarness.start(files: [
            "api/x.xml": Artifact.api(name: "x", context: "/x", resources: resources),
            "local-entries/toBackend.xml": Self.localEntry("toBackend", toBackend),
            "local-entries/fromJSON.xml": Self.localEntry("fromJSON", fromJSON),
            "local-entries/readsFile.xml": Self.localEntry("readsFile", readsFile),
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")

        let xml = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/x/orders",
            headers: [("Content-Type", "application/xml"), ("X-Tenant", "acme")],
            body: "<order><id>9</id></order>"
        )
        #expect(xml.status == 200)
        #expect(xml.body == #"<backendOrder tenant="acme"><id>9</id></backendOrder>"#)

        // A JSON order is transformed as Synapse's XML for it, and the message goes on as JSON.
        let json = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/x/from-js", headers: [("Content-Type", "application/json")], body: #"{"id":9}"#
        )
        #expect(json.status == 200)
        #expect(json.body == #"{"orderId":9}"#)
        #expect(json.header("Content-Type") == "application/json")

        for (stylesheet, body, contentType, answer) in [
            ("toBackend", "<order><id>4</id></order>", "application/xml", #"<backendOrder tenant=""><id>4</id></backendOrder>"#),
            ("fromJSON", #"{"id":5}"#, "application/json", #"{"orderId":5}"#),
        ] {
            let dynamic = try await HTTPClient.shared.send(
                .POST, gateway.baseURL + "/x/dynamic",
                headers: [("Content-Type", contentType), ("X-Stylesheet", stylesheet)], body: body
            )
            #expect(dynamic.status == 200)
            #expect(dynamic.body == answer)
        }
        let unknown = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/x/dynamic",
            headers: [("Content-Type", "application/xml"), ("X-Stylesheet", "nowhere")], body: "<order/>"
        )
        #expect(unknown.status == 500)
        #expect(unknown.body.contains("gave 'nowhere', which names no local entry"), "\(unknown.body)")

        let requests = backend.recordedRequests.count
        let evil = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/x/evil", headers: [("Content-Type", "application/xml")], body: "<order/>"
        )
        #expect(evil.status == 500)
        #expect(evil.body.contains("Local file read for /etc/hostname refused"), "\(evil.body)")
        #expect(backend.recordedRequests.count == requests)
        // And the gateway goes on serving.
        let again = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/x/orders", headers: [("Content-Type", "application/xml")], body: "<order/>"
        )
        #expect(again.status == 200)
    }

    @Test func aStylesheetThatDoesNotCompileFailsTheDeploymentWithItsLine() async throws {
        let broken = """
            <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
              <xsl:template match="/">
                <xsl:value-of/>
              </xsl:template>
            </xsl:stylesheet>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/b.xml": Artifact.api(name: "b", context: "/b", resources: Self.resource("/t", #"<xslt key="broken"/><respond/>"#)),
            "local-entries/broken.xml": Self.localEntry("broken", broken),
        ])
        defer { gateway.stopInBackground() }
        let file = try #require(gateway.service.deploymentStatus.files.first { $0.path.hasSuffix("b.xml") })
        #expect(file.state != .deployed)
        let diagnostics = file.diagnostics.map { "\($0)" }.joined(separator: "\n")
        #expect(diagnostics.contains("b.xml"), "\(diagnostics)")
        #expect(diagnostics.contains("xslt stylesheet 'broken'"), "\(diagnostics)")
        #expect(diagnostics.contains("line 3"), "\(diagnostics)")
    }

    @Test func scriptsRunOffTheEventLoopAndRunawaysAreStoppedWhileTheGatewayServes() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        // The scripts' clock stands still until the test moves it: the runaway script spins until then.
        let now = Atomic<UInt64>(1)
        let reads = Atomic<Int>(0)
        let clock = ScriptClock {
            reads.add(1, ordering: .relaxed)
            return now.load(ordering: .relaxed)
        }
        let echo = Artifact.address(backend.baseURL + "/echo")
        let total = """
            var order = mc.getPayloadJSON();
            order.total = order.price * order.qty;
            mc.setPayloadJSON(order);
            mc.setProperty('X-Total', String(order.total), 'transport');
            """
        let resources = [
            Self.resource("/total", #"<script language="js"><![CDATA[\#(total)]]></script><send>\#(echo)</send>"#),
            Self.resource("/spin", #"<script language="js">while (true) {}</script><respond/>"#),
            Self.resource("/grow", #"<script language="js">var s = 'x'; while (true) { s = s + s; }</script><respond/>"#),
            Self.resource("/plain", #"<send>\#(echo)</send>"#),
        ].joined()
        let gateway = try await GatewayHarness.start(
            files: ["api/s.xml": Artifact.api(name: "s", context: "/s", resources: resources)],
            configure: { $0.scriptLimits = ScriptLimits(timeLimit: .seconds(1), memoryLimit: 16 << 20, clock: clock) }
        )
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")
        let json = [("Content-Type", "application/json")]

        let computed = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/s/total", headers: json, body: #"{"price":3,"qty":5}"#
        )
        #expect(computed.status == 200)
        #expect(computed.body == #"{"price":3,"qty":5,"total":15}"#)
        #expect(backend.recordedRequests.last?.header("X-Total") == "15")

        let readsBefore = reads.load(ordering: .relaxed)
        async let spinning = HTTPClient.shared.send(.POST, gateway.baseURL + "/s/spin", headers: json, body: "{}")
        // Wait until the engine has checked the clock twice more: the runaway script is spinning.
        while reads.load(ordering: .relaxed) < readsBefore + 3 { try await Task.sleep(for: .milliseconds(5)) }
        // Meanwhile the gateway serves: plain requests, another script, and a script that runs out of memory.
        let plain = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/s/plain", headers: json, body: "{}")
        #expect(plain.status == 200)
        let another = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/s/total", headers: json, body: #"{"price":1,"qty":2}"#
        )
        #expect(another.body == #"{"price":1,"qty":2,"total":2}"#)
        let grown = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/s/grow", headers: json, body: "{}")
        #expect(grown.status == 500)
        #expect(grown.body.contains("needed more than"), "\(grown.body)")
        // Time passes: the runaway script is stopped and its request gets the fault.
        now.store(10_000_000_000, ordering: .relaxed)
        let stopped = try await spinning
        #expect(stopped.status == 500)
        #expect(stopped.body.contains("ran longer than"), "\(stopped.body)")
    }

    @Test func aScriptWithASyntaxErrorFailsTheDeploymentWithItsLine() async throws {
        let gateway = try await GatewayHarness.start(files: [
            "api/j.xml": Artifact.api(
                name: "j", context: "/j", resources: Self.resource("/t", #"<script language="js" key="conv"/><respond/>"#)
            ),
            "local-entries/conv.xml": Self.localEntry("conv", "function mediate(mc) {\n  return mc.;\n}"),
        ])
        defer { gateway.stopInBackground() }
        let file = try #require(gateway.service.deploymentStatus.files.first { $0.path.hasSuffix("j.xml") })
        #expect(file.state != .deployed)
        let diagnostics = file.diagnostics.map { "\($0)" }.joined(separator: "\n")
        #expect(diagnostics.contains("script 'conv'") && diagnostics.contains("SyntaxError"), "\(diagnostics)")
        #expect(diagnostics.contains("line 2"), "\(diagnostics)")
    }
}
