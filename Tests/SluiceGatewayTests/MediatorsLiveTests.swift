import AsyncHTTPClient
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

        await gateway.stop()
        try await backend.shutdown()
    }
}
