import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `callout`, `foreach` and the scatter-gather mediators through the live gateway with a real backend.
@Suite(.timeLimit(.minutes(1))) struct FlowMediatorsLiveTests {
    static func resource(_ path: String, _ inSequence: String, out: String = "<send/>") -> String {
        """
        <resource methods="POST" url-mapping="\(path)">
          <inSequence>\(inSequence)</inSequence>
          <outSequence>\(out)</outSequence>
        </resource>
        """
    }

    static let order = """
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>\
        <q:quote xmlns:q="urn:stock"><q:symbol>ACME</q:symbol><q:price>?</q:price></q:quote>\
        </s:Body></s:Envelope>
        """

    @Test func calloutWaitsForTheServiceThenTheSequenceGoesOn() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let dead = try DeadPort()
        let callout = { (url: String) in
            """
            <callout xmlns:q="urn:stock" serviceURL="\(url)" action="urn:getQuote">
              <source xpath="//q:symbol"/><target xpath="//q:price"/>
            </callout>
            <header name="X-After" value="callout" scope="transport"/>
            <respond/>
            """
        }
        let resources = Self.resource("/quote", callout(backend.baseURL + "/echo"))
            + Self.resource("/down", callout("http://127.0.0.1:\(dead.port)/quotes"))
        let gateway = try await GatewayHarness.start(files: [
            "api/q.xml": Artifact.api(name: "q", context: "/q", resources: resources)
        ])
        defer { gateway.stopInBackground() }
        let soap = [("Content-Type", "text/xml"), ("SOAPAction", "\"urn:order\"")]

        let answered = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/q/quote", headers: soap, body: Self.order)
        #expect(answered.status == 200)
        #expect(answered.header("X-After") == "callout")
        #expect(answered.body.contains(#"<q:symbol>ACME</q:symbol><q:symbol xmlns:q="urn:stock">ACME</q:symbol></q:quote>"#))
        let seen = try #require(backend.recordedRequests.last)
        #expect(seen.header("SOAPAction") == "\"urn:getQuote\"")
        #expect(seen.bodyByteCount < Self.order.utf8.count)

        let failed = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/q/down", headers: soap, body: Self.order)
        #expect(failed.status >= 500)
        #expect(failed.header("X-After") == nil)
        #expect(failed.body.contains("Fault"))
    }

    @Test func foreachRewritesEachJSONElementBeforeTheBackend() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let foreach = """
            <foreach expression="json-eval($.lines)">
              <sequence>
                <payloadFactory media-type="json"><format>{"sku":"$1","qty":$2,"checked":true}</format>
                  <args><arg evaluator="json" expression="$.sku"/><arg evaluator="json" expression="$.qty"/></args>
                </payloadFactory>
              </sequence>
            </foreach>
            <send>\(Artifact.address(backend.baseURL + "/echo"))</send>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/f.xml": Artifact.api(name: "f", context: "/f", resources: Self.resource("/lines", foreach))
        ])
        defer { gateway.stopInBackground() }
        let response = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/f/lines",
            headers: [("Content-Type", "application/json")],
            body: #"{"id":4,"lines":[{"sku":"a","qty":1},{"sku":"b","qty":3}]}"#
        )
        #expect(response.status == 200)
        #expect(
            response.body
                == #"{"id":4,"lines":[{"sku":"a","qty":1,"checked":true},{"sku":"b","qty":3,"checked":true}]}"#
        )
    }
}
