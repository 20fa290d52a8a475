import AsyncHTTPClient
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// Every mediator through the live gateway at least once, plus SOAP pass-through and bodies larger than the
/// gateway's buffer limit.
@Suite(.timeLimit(.minutes(1))) struct MediationEndToEndTests {
    private static func resource(_ path: String, methods: String = "GET POST", _ inSequence: String, out: String = "<send/>") -> String {
        """
        <resource methods="\(methods)" url-mapping="\(path)">
          <inSequence>\(inSequence)</inSequence>
          <outSequence>\(out)</outSequence>
        </resource>
        """
    }

    @Test func everyMediatorEndToEnd() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let echo = Artifact.address(backend.baseURL + "/echo")
        let resources = [
            Self.resource(
                "/headers",
                """
                <property name="X-From-Property" value="p1" scope="transport"/>
                <header name="X-From-Header" value="h1" scope="transport"/>
                <header name="X-Remove-Me" action="remove" scope="transport"/>
                <log level="custom"><property name="trace" expression="$trp:X-Trace"/></log>
                <send>\(echo)</send>
                """,
                out: """
                    <class name="org.wso2.carbon.apimgt.usage.publisher.APIMgtResponseHandler"/>
                    <header name="X-Response-Code" expression="$ctx:api.ut.responseCode" scope="transport"/>
                    <header name="X-Out" value="o1" scope="transport"/><send/>
                    """
            ),
            Self.resource(
                "/filter",
                """
                <filter source="$trp:X-Tier" regex="gold">
                  <then><property name="HTTP_SC" value="201" scope="axis2"/><payloadFactory media-type="json"><format>{"tier":"gold"}</format><args/></payloadFactory><respond/></then>
                  <else><property name="HTTP_SC" value="402" scope="axis2"/><payloadFactory media-type="json"><format>{"tier":"$1"}</format><args><arg expression="$trp:X-Tier"/></args></payloadFactory><respond/></else>
                </filter>
                """
            ),
            Self.resource(
                "/payload",
                """
                <payloadFactory media-type="json"><format>{"name":"$1","id":$2}</format>
                  <args><arg expression="json-eval($.customer.name)"/><arg expression="$ctx:uri.var.none" evaluator="json"/></args>
                </payloadFactory>
                <send>\(echo)</send>
                """
            ),
            Self.resource("/named", #"<sequence key="addStamp"/><send>\#(echo)</send>"#),
            Self.resource(
                "/enrich",
                """
                <enrich><source type="inline" clone="true">{"enriched":true}</source><target type="body"/></enrich>
                <send>\(echo)</send>
                """
            ),
            Self.resource("/drop", "<drop/>"),
            Self.resource(
                "/loopback",
                #"<payloadFactory media-type="json"><format>{"looped":true}</format><args/></payloadFactory><loopback/>"#,
                out: #"<header name="X-Out-Ran" value="yes" scope="transport"/><send/>"#
            ),
            Self.resource(
                "/call",
                """
                <call>\(Artifact.address(backend.baseURL + "/json"))</call>
                <property name="called" expression="json-eval($.backend)"/>
                <payloadFactory media-type="json"><format>{"calledBackend":"$1"}</format><args><arg expression="$ctx:called"/></args></payloadFactory>
                <respond/>
                """
            ),
        ].joined()
        let stamp = """
            <?xml version="1.0" encoding="UTF-8"?>
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="addStamp">
              <header name="X-Stamp" value="stamped" scope="transport"/>
            </sequence>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/m.xml": Artifact.api(name: "m", context: "/m", resources: resources),
            "sequences/addStamp.xml": stamp,
        ])
        defer { gateway.stopInBackground() }
        let base = gateway.baseURL + "/m"

        let headers = try await HTTPClient.shared.send(.GET, base + "/headers", headers: [("X-Remove-Me", "x"), ("X-Trace", "t")])
        #expect(headers.status == 200)
        #expect(headers.header("X-Out") == "o1")
        #expect(headers.header("X-Response-Code") == "200")
        let seen = try #require(backend.recordedRequests.last)
        #expect(seen.header("X-From-Property") == "p1")
        #expect(seen.header("X-From-Header") == "h1")
        #expect(seen.header("X-Remove-Me") == nil)

        let gold = try await HTTPClient.shared.send(.GET, base + "/filter", headers: [("X-Tier", "gold")])
        #expect(gold.status == 201)
        #expect(gold.body == #"{"tier":"gold"}"#)
        let silver = try await HTTPClient.shared.send(.GET, base + "/filter", headers: [("X-Tier", "silver")])
        #expect(silver.status == 402)
        #expect(silver.body == #"{"tier":"silver"}"#)

        let payload = try await HTTPClient.shared.send(
            .POST, base + "/payload", headers: [("Content-Type", "application/json")],
            body: #"{"customer":{"name":"Ann"}}"#
        )
        #expect(payload.status == 200)
        #expect(payload.body.hasPrefix(#"{"name":"Ann""#))

        _ = try await HTTPClient.shared.send(.GET, base + "/named")
        #expect(backend.recordedRequests.last?.header("X-Stamp") == "stamped")

        let enriched = try await HTTPClient.shared.send(
            .POST, base + "/enrich", headers: [("Content-Type", "application/json")], body: #"{"a":1}"#
        )
        #expect(enriched.body.contains("enriched"))

        let dropped = try await HTTPClient.shared.send(.GET, base + "/drop")
        #expect(dropped.status == 202)
        #expect(dropped.body.isEmpty)

        let looped = try await HTTPClient.shared.send(.GET, base + "/loopback")
        #expect(looped.header("X-Out-Ran") == "yes")
        #expect(looped.body == #"{"looped":true}"#)

        let called = try await HTTPClient.shared.send(.GET, base + "/call")
        #expect(called.body == #"{"calledBackend":"backend"}"#)

    }

    @Test func soapPassesThroughUntouched() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: [
            "api/soap.xml": Artifact.api(
                name: "soap", context: "/soap",
                resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL + "/echo", format: "soap11"))
            )
        ])
        defer { gateway.stopInBackground() }
        let envelope = #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getQuote symbol="IBM"/></soapenv:Body></soapenv:Envelope>"#
        let response = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/soap/quote",
            headers: [("Content-Type", "text/xml; charset=UTF-8"), ("SOAPAction", "\"urn:getQuote\"")],
            body: envelope
        )
        #expect(response.status == 200)
        #expect(response.body == envelope)
        #expect(response.header("SOAPAction") == "\"urn:getQuote\"")
        #expect(backend.recordedRequests.last?.header("SOAPAction") == "\"urn:getQuote\"")
    }

    @Test func endpointFormatsConvertXMLMessages() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let echo = backend.baseURL + "/echo"
        let gateway = try await GatewayHarness.start(files: [
            "api/fmt.xml": Artifact.api(
                name: "fmt", context: "/fmt",
                resources: Artifact.passthrough(mapping: #"url-mapping="/to11""#, endpoint: Artifact.address(echo, format: "soap11"))
                    + Artifact.passthrough(mapping: #"url-mapping="/to12""#, endpoint: Artifact.address(echo, format: "soap12"))
                    + Artifact.passthrough(mapping: #"url-mapping="/topox""#, endpoint: Artifact.address(echo, format: "pox"))
            )
        ])
        defer { gateway.stopInBackground() }
        let pox = #"<?xml version="1.0"?><getQuote><symbol>IBM</symbol></getQuote>"#
        let wrapped = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/fmt/to11", headers: [("Content-Type", "application/xml")], body: pox
        )
        #expect(wrapped.body == #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getQuote><symbol>IBM</symbol></getQuote></soapenv:Body></soapenv:Envelope>"#)
        #expect(wrapped.header("Content-Type")?.hasPrefix("text/xml") == true)
        #expect(backend.recordedRequests.last?.header("SOAPAction") == "\"\"")

        let soap11 = #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><ping/></s:Body></s:Envelope>"#
        let to12 = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/fmt/to12",
            headers: [("Content-Type", "text/xml"), ("SOAPAction", "\"urn:ping\"")], body: soap11
        )
        #expect(to12.body.contains("http://www.w3.org/2003/05/soap-envelope"))
        #expect(to12.body.contains("<ping/>"))
        #expect(backend.recordedRequests.last?.header("Content-Type") == #"application/soap+xml; charset=UTF-8; action="urn:ping""#)

        let unwrapped = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/fmt/topox",
            headers: [("Content-Type", "text/xml"), ("SOAPAction", "urn:ping")], body: soap11
        )
        #expect(unwrapped.body == "<ping/>")
        #expect(backend.recordedRequests.last?.header("SOAPAction") == nil)

        // JSON goes into the envelope as the XML Synapse builds for it, as Synapse's SOAP formatter writes it.
        let json = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/fmt/to11", headers: [("Content-Type", "application/json")], body: #"{"a":1}"#
        )
        #expect(json.body.contains("<soapenv:Body><jsonObject><a>1</a></jsonObject></soapenv:Body>"))
    }

    @Test func bodiesLargerThanTheBufferLimitStream() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: [
            "api/big.xml": Artifact.api(
                name: "big", context: "/big", resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL))
            )
        ]) { $0.maxBufferedBodyBytes = 64 * 1024 }
        defer { gateway.stopInBackground() }
        let upload = String(repeating: "u", count: 4 << 20)
        let echoed = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/big/echo", body: upload)
        #expect(echoed.status == 200)
        #expect(echoed.body.count == upload.count)
        #expect(backend.recordedRequests.last?.bodyByteCount == upload.count)

        var request = HTTPClientRequest(url: gateway.baseURL + "/big/large/\(48 << 20)")
        request.method = .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        var received = 0
        for try await part in response.body { received += part.readableBytes }
        #expect(received == 48 << 20)
    }
}
