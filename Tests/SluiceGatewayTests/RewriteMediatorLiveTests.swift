import AsyncHTTPClient
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<rewrite>` through the live gateway: the request's URL (its `To`) rewritten into the backend's, where a
/// `<send/>` without an endpoint sends it, for JSON and XML messages.
@Suite(.timeLimit(.minutes(1))) struct RewriteMediatorLiveTests {
    @Test func theRewrittenToIsWhereSendWithoutAnEndpointGoes() async throws {
        let backend = try await TestHTTPBackend.start(name: "rewritten")
        defer { backend.shutdownInBackground() }
        let resources = """
            <resource methods="GET POST" url-mapping="/*">
              <inSequence>
                <rewrite>
                  <rewriterule>
                    <action fragment="protocol" value="http"/>
                    <action fragment="host" value="127.0.0.1"/>
                    <action fragment="port" value="\(backend.port)"/>
                    <action type="replace" fragment="path" regex="^/shop" value="/backend"/>
                  </rewriterule>
                  <rewriterule>
                    <condition><equal type="param" source="tier" value="gold"/></condition>
                    <action type="append" fragment="path" value="/gold"/>
                  </rewriterule>
                </rewrite>
                <!-- The rewritten URL is whole: no REST postfix is added to it (as Synapse's samples do). -->
                <property name="REST_URL_POSTFIX" action="remove" scope="axis2"/>
                <send/>
              </inSequence>
              <outSequence><send/></outSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: ["api/shop.xml": Artifact.api(name: "shop", context: "/shop", resources: resources)])
        defer { gateway.stopInBackground() }
        let file = try #require(gateway.service.deploymentStatus.files.first)
        #expect(file.state == .deployed, "\(file.diagnostics)")

        let plain = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/shop/items?x=1")
        #expect(plain.status == 200)
        #expect(plain.header("X-Echo-URI") == "/backend/items?x=1")

        for (type, body) in [("application/json", #"{"item":1}"#), ("application/xml", "<item>1</item>")] {
            let posted = try await HTTPClient.shared.send(
                .POST,
                gateway.baseURL + "/shop/orders?tier=gold",
                headers: [("Content-Type", type)],
                body: body
            )
            #expect(posted.status == 200)
            #expect(posted.header("X-Echo-URI") == "/backend/orders/gold?tier=gold")
            #expect(posted.body == body)
        }
    }
}
