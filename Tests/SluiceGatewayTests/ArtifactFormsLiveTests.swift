import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// Forms of real Synapse and WSO2 artifacts read since the corpus measure (docs/compatibility.md), each through
/// the live gateway.
@Suite(.timeLimit(.minutes(1))) struct ArtifactFormsLiveTests {
    /// WSO2's `HTTP_SC` + `payloadFactory media-type="text"` + `respond`: the client gets the text as `text/plain`
    /// with the status the sequence set.
    @Test func textPayloadFactoryAnswersPlainText() async throws {
        let resources = """
            <resource methods="POST" uri-template="/accepted">
              <inSequence>
                <property name="HTTP_SC" value="202" scope="axis2"/>
                <payloadFactory media-type="text">
                  <format>Received:$1,Accepted</format>
                  <args><arg evaluator="json" expression="$.id"/></args>
                </payloadFactory>
                <respond/>
              </inSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/text.xml": Artifact.api(name: "text", context: "/text", resources: resources)
        ])
        defer { gateway.stopInBackground() }
        let response = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/text/accepted",
            headers: [("Content-Type", "application/json")],
            body: #"{"id":"o-17"}"#
        )
        #expect(response.status == 202)
        #expect(response.body == "Received:o-17,Accepted")
        #expect(response.header("Content-Type")?.hasPrefix("text/plain") == true)
    }
}

extension ArtifactFormsLiveTests {
    /// WSO2's dynamic endpoint timeout through a template endpoint, as MI's tests write it: the sequence sets the
    /// `timeout` property, the endpoint waits that long. The slow backend would answer after 10 minutes, far past
    /// the suite's limit, so only the timeout can answer; without the property the gateway's default applies and
    /// a quick answer comes through.
    @Test func templateEndpointTimeoutFromAProperty() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let template = """
            <template xmlns="http://ws.apache.org/ns/synapse" name="HTTPTemplate">
              <parameter name="timeout"/><parameter name="uri"/>
              <endpoint name="$name">
                <address uri="$uri"><timeout><duration>$timeout</duration><responseAction>fault</responseAction></timeout></address>
              </endpoint>
            </template>
            """
        let endpoint = """
            <endpoint xmlns="http://ws.apache.org/ns/synapse" name="Slow" template="HTTPTemplate" uri="\(backend.baseURL)">
              <parameter name="timeout" value="{get-property('timeout')}"/>
            </endpoint>
            """
        let resources = """
            <resource methods="GET" uri-template="/*">
              <inSequence>
                <filter source="$url:t" regex=".+"><then><property name="timeout" expression="$url:t"/></then></filter>
                <send><endpoint key="Slow"/></send>
              </inSequence>
              <outSequence><send/></outSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "templates/HTTPTemplate.xml": template,
            "endpoints/Slow.xml": endpoint,
            "api/dyn.xml": Artifact.api(name: "dyn", context: "/dyn", resources: resources),
        ])
        defer { gateway.stopInBackground() }
        let quick = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/dyn/delay/10")
        #expect(quick.status == 200)
        let slow = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/dyn/delay/600000?t=150")
        #expect(slow.status >= 500)
        #expect(slow.body.contains("101504"))
    }
}

extension ArtifactFormsLiveTests {
    /// `<call/>` without an endpoint goes where the message's WS-Addressing `To` says, as Synapse's implicit
    /// endpoint; without an HTTP(S) `To` it faults instead of sending anywhere.
    @Test func callWithoutAnEndpointFollowsTheToHeader() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let resources = """
            <resource methods="GET" uri-template="/implicit">
              <inSequence>
                <header name="To" value="\(backend.baseURL)/echo/implicit"/>
                <call/>
                <property name="called" value="yes"/>
                <header name="X-Called" expression="get-property('called')" scope="transport"/>
                <respond/>
              </inSequence>
            </resource>
            <resource methods="GET" uri-template="/nowhere">
              <inSequence><call/><respond/></inSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/impl.xml": Artifact.api(name: "impl", context: "/impl", resources: resources)
        ])
        defer { gateway.stopInBackground() }
        let implicit = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/impl/implicit")
        #expect(implicit.status == 200)
        #expect(implicit.header("X-Called") == "yes")
        #expect(backend.recordedRequests.last?.uri.hasPrefix("/echo/implicit") == true)
        let nowhere = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/impl/nowhere")
        #expect(nowhere.status >= 500)
    }
}
