import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// The mediators added for WSO2 and Synapse artifacts, each through the live gateway at least once.
@Suite(.timeLimit(.minutes(1))) struct MediatorsLiveTests {
    private static func resource(_ path: String, methods: String = "GET POST", _ inSequence: String, out: String = "<send/>")
        -> String
    {
        """
        <resource methods="\(methods)" url-mapping="\(path)">
          <inSequence>\(inSequence)</inSequence>
          <outSequence>\(out)</outSequence>
        </resource>
        """
    }

    @Test func inOutSwitchAndMakefault() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let echo = Artifact.address(backend.baseURL + "/echo")
        // One named sequence serves both flows, as WSO2's main sequence does.
        let both = """
            <?xml version="1.0" encoding="UTF-8"?>
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="both">
              <in><header name="X-Flow" value="in" scope="transport"/><send>\(echo)</send></in>
              <out><header name="X-Flow" value="out" scope="transport"/><send/></out>
            </sequence>
            """
        let resources = [
            Self.resource("/directions", #"<sequence key="both"/>"#, out: #"<sequence key="both"/>"#),
            Self.resource(
                "/route",
                """
                <switch source="json-eval($.kind)">
                  <case regex="fault"><makefault version="pox"><reason value="refused kind"/></makefault><respond/></case>
                  <case regex="soap"><makefault version="soap11" response="true">
                    <code xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" value="s:Client"/><reason value="bad kind"/>
                  </makefault><send/></case>
                  <default><send>\(echo)</send></default>
                </switch>
                """
            ),
        ].joined()
        let gateway = try await GatewayHarness.start(files: [
            "api/m.xml": Artifact.api(name: "m", context: "/m", resources: resources),
            "sequences/both.xml": both,
        ])
        defer { gateway.stopInBackground() }
        let base = gateway.baseURL + "/m"

        let directions = try await HTTPClient.shared.send(.GET, base + "/directions")
        #expect(directions.status == 200)
        #expect(backend.recordedRequests.last?.header("X-Flow") == "in")
        #expect(directions.header("X-Flow") == "out")

        let json = [("Content-Type", "application/json")]
        let passed = try await HTTPClient.shared.send(.POST, base + "/route", headers: json, body: #"{"kind":"ok"}"#)
        #expect(passed.status == 200)
        #expect(passed.body == #"{"kind":"ok"}"#)

        let refused = try await HTTPClient.shared.send(.POST, base + "/route", headers: json, body: #"{"kind":"fault"}"#)
        #expect(refused.status == 500)
        #expect(refused.body == #"{"Exception":"refused kind"}"#)

        let soap = try await HTTPClient.shared.send(.POST, base + "/route", headers: json, body: #"{"kind":"soap"}"#)
        #expect(soap.status == 500)
        #expect(soap.header("Content-Type")?.hasPrefix("text/xml") == true)
        #expect(soap.body.contains("<faultcode>soapenv:Client</faultcode><faultstring>bad kind</faultstring>"))

    }

    @Test func localEntriesTemplatesAndTemplateEndpointsFromTheirFolders() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let ns = #"xmlns="http://ws.apache.org/ns/synapse""#
        let resources = Self.resource(
            "/orders",
            """
            <call-template target="stampOrder"><with-param name="source" value="{json-eval($.channel)}"/></call-template>
            <property name="X-Motd" expression="get-property('motd')" scope="transport"/>
            <send><endpoint key="ordersBackend"/></send>
            """
        )
        let gateway = try await GatewayHarness.start(files: [
            "api/o.xml": Artifact.api(name: "o", context: "/o", resources: resources),
            "local-entries/motd.xml": #"<localEntry \#(ns) key="motd">eat well</localEntry>"#,
            "templates/stampOrder.xml": """
                <template \(ns) name="stampOrder">
                    <parameter name="source"/><parameter name="stamp" defaultValue="sluice"/>
                    <sequence>
                        <header name="X-Source" expression="$func:source" scope="transport"/>
                        <header name="X-Stamp" expression="$func:stamp" scope="transport"/>
                    </sequence>
                </template>
                """,
            "templates/backend.xml": """
                <template \(ns) name="backendTemplate">
                    <parameter name="name"/><parameter name="uri"/>
                    <endpoint name="$name"><address uri="$uri"/></endpoint>
                </template>
                """,
            "endpoints/orders.xml": #"<endpoint \#(ns) name="ordersBackend" template="backendTemplate" uri="\#(backend.baseURL)/echo"/>"#,
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")

        let response = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/o/orders", headers: [("Content-Type", "application/json")], body: #"{"channel":"web"}"#
        )
        #expect(response.status == 200)
        let seen = try #require(backend.recordedRequests.last)
        #expect(seen.header("X-Source") == "web")
        #expect(seen.header("X-Stamp") == "sluice")
        #expect(seen.header("X-Motd") == "eat well")

        // Editing the local entry changes the answer after the hot redeploy.
        let generation = gateway.service.deploymentStatus.generation
        try gateway.write("local-entries/motd.xml", #"<localEntry \#(ns) key="motd">rest well</localEntry>"#)
        _ = try await gateway.waitForDeployment(after: generation)
        _ = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/o/orders", headers: [("Content-Type", "application/json")], body: #"{"channel":"app"}"#
        )
        #expect(backend.recordedRequests.last?.header("X-Motd") == "rest well")
        #expect(backend.recordedRequests.last?.header("X-Source") == "app")

    }

    @Test func enrichRemovesAndRenamesJSONMembersBeforeTheBackend() async throws {
        let backend = try await TestHTTPBackend.start()
        let resources = Self.resource(
            "/users",
            methods: "POST",
            """
            <enrich><source xpath="json-eval($.password,$..internal)"/><target type="body" action="remove"/></enrich>
            <enrich><source type="inline">login</source><target type="key" xpath="json-eval($.name)"/></enrich>
            <send>\(Artifact.address(backend.baseURL + "/echo"))</send>
            """
        )
        let gateway = try await GatewayHarness.start(files: ["api/u.xml": Artifact.api(name: "u", context: "/u", resources: resources)])
        let response = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/u/users",
            headers: [("Content-Type", "application/json")],
            body: #"{"name":"ann","password":"secret","roles":[{"id":1,"internal":true}]}"#
        )
        #expect(response.status == 200)
        #expect(response.body == #"{"roles":[{"id":1}],"login":"ann"}"#)
        await gateway.stop()
        try await backend.shutdown()
    }

    @Test func validateAgainstASchemaFromALocalEntry() async throws {
        let backend = try await TestHTTPBackend.start()
        let ns = #"xmlns="http://ws.apache.org/ns/synapse""#
        let resources = Self.resource(
            "/orders",
            methods: "POST",
            """
            <validate>
              <schema key="orderSchema"/>
              <on-fail>
                <property name="HTTP_SC" value="400" scope="axis2"/>
                <property name="X-Invalid" expression="substring-before($ctx:ERROR_MESSAGE, ':')" scope="transport"/>
                <respond/>
              </on-fail>
            </validate>
            <send>\(Artifact.address(backend.baseURL + "/echo"))</send>
            """
        )
        let gateway = try await GatewayHarness.start(files: [
            "api/v.xml": Artifact.api(name: "v", context: "/v", resources: resources),
            "local-entries/orderSchema.xml": """
                <localEntry \(ns) key="orderSchema">
                  <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
                    <xs:element name="order"><xs:complexType><xs:sequence>
                      <xs:element name="qty" type="xs:positiveInteger"/>
                    </xs:sequence></xs:complexType></xs:element>
                  </xs:schema>
                </localEntry>
                """,
        ])
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")
        let xml = [("Content-Type", "application/xml")]
        let valid = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/v/orders", headers: xml, body: "<order><qty>2</qty></order>")
        #expect(valid.status == 200)
        #expect(valid.body == "<order><qty>2</qty></order>")
        let requests = backend.recordedRequests.count
        let invalid = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/v/orders", headers: xml, body: "<order><qty>0</qty></order>")
        #expect(invalid.status == 400)
        #expect(invalid.header("X-Invalid") == "Element 'qty'")
        #expect(backend.recordedRequests.count == requests)
        await gateway.stop()
        try await backend.shutdown()
    }

    @Test func outOfScopeFoldersAreReportedNotDeployed() async throws {
        let gateway = try await GatewayHarness.start()
        defer { gateway.stopInBackground() }
        let generation = gateway.service.deploymentStatus.generation
        try FileManager.default.createDirectory(atPath: gateway.synapsePath + "/proxy-services", withIntermediateDirectories: true)
        try gateway.write("proxy-services/StockQuote.xml", #"<proxy xmlns="http://ws.apache.org/ns/synapse" name="StockQuote"/>"#)
        // Touching a watched folder triggers the rescan that finds the refused file.
        try gateway.write("sequences/noop.xml", #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="noop"/>"#)
        let status = try await gateway.waitForDeployment(after: generation)
        let proxy = try #require(status.files.first { $0.path.hasSuffix("StockQuote.xml") })
        #expect(proxy.state == .failed)
        #expect(proxy.diagnostics.first?.message.hasPrefix("not deployed: proxy services are out of scope") == true)
    }
}
