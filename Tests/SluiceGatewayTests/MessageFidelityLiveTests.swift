import AsyncHTTPClient
import Foundation
import SluiceModel
import SluiceTesting
import Testing

/// Messages through the live gateway as Synapse shapes them: headers set by mediation on replies built from the
/// request, and endpoint formats.
@Suite(.timeLimit(.minutes(1))) struct MessageFidelityLiveTests {
    /// Synapse sends a reply built from the request with the message's transport headers; we keep what mediation
    /// set and leave out the client's own request headers and request-only ones (credentials).
    @Test func headersSetByMediationSurviveRespondAndResponseTrue() async throws {
        let headers = """
            <header name="Location" scope="transport" value="/orders/7"/>
            <header name="Set-Cookie" scope="transport" value="session=1"/>
            <header name="Access-Control-Allow-Origin" scope="transport" value="*"/>
            <header name="Authorization" scope="transport" value="Basic c2VjcmV0"/>
            <property name="X-From-Property" scope="transport" value="p1"/>
            """
        let api = Artifact.api(
            name: "made", context: "/made",
            resources: """
                <resource methods="POST" url-mapping="/respond">
                  <inSequence>\(headers)
                    <payloadFactory media-type="json"><format>{"id":7}</format><args/></payloadFactory>
                    <property name="HTTP_SC" value="201" scope="axis2"/>
                    <respond/>
                  </inSequence>
                </resource>
                <resource methods="POST" url-mapping="/send">
                  <inSequence>\(headers)<property name="RESPONSE" value="true"/><send/></inSequence>
                </resource>
                """
        )
        let gateway = try await GatewayHarness.start(files: ["api/made.xml": api])
        defer { gateway.stopInBackground() }
        for path in ["/respond", "/send"] {
            let response = try await HTTPClient.shared.send(
                .POST, gateway.baseURL + "/made" + path,
                headers: [("X-Client-Trace", "abc"), ("Accept", "application/json"), ("Content-Type", "application/json")],
                body: "{}"
            )
            #expect(response.header("Location") == "/orders/7", "\(path)")
            #expect(response.header("Set-Cookie") == "session=1", "\(path)")
            #expect(response.header("Access-Control-Allow-Origin") == "*", "\(path)")
            #expect(response.header("X-From-Property") == "p1", "\(path)")
            #expect(response.header("Content-Type") == "application/json", "\(path)")
            #expect(response.header("X-Client-Trace") == nil, "\(path)")
            #expect(response.header("Accept") == nil, "\(path)")
            #expect(response.header("Authorization") == nil, "\(path)")
        }
        let created = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/made/respond", body: "{}")
        #expect(created.status == 201)
        #expect(created.body == #"{"id":7}"#)
    }

    /// A body a mediator must read that is not the JSON or XML its Content-Type says fails as Synapse's message
    /// builder fails: 601000 through the fault sequence, HTTP 500 (not a 202 with nothing done).
    @Test func aMalformedBodyAMediatorReadsGoesToTheFaultSequence() async throws {
        let api = Artifact.api(
            name: "reads", context: "/reads",
            resources: """
                <resource methods="POST" url-mapping="/*">
                  <inSequence><property name="a" expression="json-eval($.a)"/><respond/></inSequence>
                </resource>
                """
        )
        let gateway = try await GatewayHarness.start(files: ["api/reads.xml": api])
        defer { gateway.stopInBackground() }
        let broken = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/reads/x", headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
            body: #"{"a": "#
        )
        #expect(broken.status == 500)
        #expect(broken.body.contains("601000"))
        let fine = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/reads/x", headers: [("Content-Type", "application/json")], body: #"{"a":1}"#
        )
        #expect(fine.status == 200)
    }

    /// axis2 `messageType` decides what goes on the wire each way, as Synapse's formatters do: JSON becomes
    /// Synapse's XML for the backend, the backend's XML becomes JSON again for the client, and a reply built in
    /// the in-sequence is written as asked. With WSO2 4.x's default (`synapse.json.to.xml.process.instruction.enable`
    /// false) the XML has no `<?xml-multiple?>`, so a one-element array comes back as its element, as in WSO2; with
    /// the property on, the mark goes to the backend and the array survives.
    @Test(arguments: [false, true])
    func messageTypeConvertsTheMessageEachWay(marks: Bool) async throws {
        let backend = try await TestHTTPBackend.start()
        let toXML = #"<property name="messageType" value="text/xml" scope="axis2"/>"#
        let toJSON = #"<property name="messageType" value="application/json" scope="axis2"/>"#
        let resources =
            Artifact.passthrough(
                methods: "POST", mapping: #"url-mapping="/round""#, endpoint: Artifact.address(backend.baseURL),
                inMediators: toXML, outSequence: toJSON + "<send/>"
            )
            + """
            <resource methods="GET" url-mapping="/made">
              <inSequence>
                <payloadFactory media-type="xml"><format><r><n>1</n><s>a b</s></r></format><args/></payloadFactory>
                \(toJSON)<respond/>
              </inSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(
            files: ["api/types.xml": Artifact.api(name: "types", context: "/t", resources: resources)],
            configure: { $0.synapseProperties = SynapseProperties(jsonToXMLProcessingInstructions: marks) }
        )
        let json = #"{"order":{"lines":[{"sku":"A-1","qty":2}],"rush":false}}"#
        let round = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/t/round", headers: [("Content-Type", "application/json")], body: json
        )
        #expect(round.status == 200)
        #expect(round.header("Content-Type") == "application/json")
        #expect(round.body == (marks ? json : #"{"order":{"lines":{"sku":"A-1","qty":2},"rush":false}}"#))
        let recorded = try #require(backend.recordedRequests.first)
        #expect(recorded.header("Content-Type") == "text/xml")
        let mark = marks ? "<?xml-multiple lines?>" : ""
        let xml = "<jsonObject><order>\(mark)<lines><sku>A-1</sku><qty>2</qty></lines><rush>false</rush></order></jsonObject>"
        #expect(recorded.bodyByteCount == xml.utf8.count)

        let made = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/t/made")
        #expect(made.header("Content-Type") == "application/json")
        #expect(made.body == #"{"r":{"n":1,"s":"a b"}}"#)
        await gateway.stop()
        try await backend.shutdown()
    }

    /// WSO2 writes a JSON payload that mediation only read (XPath in `log`, `filter`, `property`) from the JSON
    /// stream it came in on, whatever `synapse.json.to.xml.process.instruction.enable` says: one-element and
    /// empty arrays reach the backend as the client wrote them.
    @Test func jsonOnlyReadThroughXPathGoesOutAsItCame() async throws {
        let backend = try await TestHTTPBackend.start()
        let reads = """
            <log level="full"/>
            <property name="first" expression="//tags"/>
            <filter xpath="count(//tags) = 1"><then><header name="X-One" scope="transport" value="yes"/></then></filter>
            """
        let api = Artifact.api(
            name: "reads", context: "/reads",
            resources: Artifact.passthrough(
                methods: "POST", mapping: #"url-mapping="/x""#, endpoint: Artifact.address(backend.baseURL),
                inMediators: reads
            )
        )
        let gateway = try await GatewayHarness.start(files: ["api/reads.xml": api])
        let json = #"{"tags":["solo"],"none":[],"n":[1.50]}"#
        let response = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/reads/x", headers: [("Content-Type", "application/json")], body: json
        )
        #expect(response.status == 200)
        #expect(response.body == json)
        let recorded = try #require(backend.recordedRequests.first)
        #expect(recorded.header("X-One") == "yes")
        #expect(recorded.bodyByteCount == json.utf8.count)
        await gateway.stop()
        try await backend.shutdown()
    }

    /// The log mediator's lines through the live gateway, as Synapse writes them: `simple` in the in flow,
    /// `custom` with a JSONPath property and a separator, `simple` at WARN in the out flow.
    @Test func logMediatorLinesThroughTheGateway() async throws {
        let backend = try await TestHTTPBackend.start()
        let recorder = LogRecorder()
        let api = Artifact.api(
            name: "logged", context: "/logged",
            resources: Artifact.passthrough(
                methods: "POST", mapping: #"url-mapping="/orders""#, endpoint: Artifact.address(backend.baseURL),
                inMediators: """
                    <log/>
                    <log level="custom" separator=" | "><property name="id" expression="json-eval($.id)"/><property name="tag" value="in"/></log>
                    """,
                outSequence: #"<log category="WARN"/><send/>"#
            )
        )
        let gateway = try await GatewayHarness.start(files: ["api/logged.xml": api], logger: recorder.logger(level: .info))
        let response = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/logged/orders?rush=1", headers: [("Content-Type", "application/json")],
            body: #"{"id":7}"#
        )
        #expect(response.status == 200)
        await gateway.stop()
        try await backend.shutdown()
        let lines = recorder.entries.filter { $0.metadata["sluice.mediator"] == "log" }
        #expect(lines.count == 3)
        guard lines.count == 3 else { return }
        #expect(lines[0].level == .info)
        #expect(lines[0].message.wholeMatch(of: #/To: /logged/orders\?rush=1, MessageID: urn:uuid:[0-9a-f-]{36}, Direction: request/#) != nil)
        #expect(lines[1].message == "id = 7 | tag = in")
        #expect(lines[2].level == .warning)
        #expect(lines[2].message.wholeMatch(of: #/To: , MessageID: urn:uuid:[0-9a-f-]{36}, Direction: response/#) != nil)
    }

    /// `format="soap11"` sends a POST with a SOAP 1.1 envelope, `text/xml` and `SOAPAction`, whatever came in;
    /// `format="get"` a GET with the payload's elements in the query.
    @Test func endpointFormatsShapeTheBackendRequest() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let resources =
            Artifact.passthrough(methods: "GET", mapping: #"url-mapping="/soap""#, endpoint: Artifact.address(backend.baseURL, format: "soap11"))
            + Artifact.passthrough(methods: "POST", mapping: #"url-mapping="/get""#, endpoint: Artifact.address(backend.baseURL, format: "get"))
        let gateway = try await GatewayHarness.start(files: ["api/formats.xml": Artifact.api(name: "formats", context: "/f", resources: resources)])
        defer { gateway.stopInBackground() }
        let soap = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/f/soap")
        #expect(soap.status == 200)
        #expect(soap.header("X-Echo-Method") == "POST")
        #expect(soap.body == #"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>"#)
        let recorded = try #require(backend.recordedRequests.first)
        #expect(recorded.headers["content-type"] ?? recorded.headers["Content-Type"] == "text/xml; charset=UTF-8")
        #expect(recorded.headers["soapaction"] ?? recorded.headers["SOAPAction"] == "\"\"")

        let get = try await HTTPClient.shared.send(
            .POST, gateway.baseURL + "/f/get", headers: [("Content-Type", "application/xml")],
            body: "<getQuote><symbol>IBM</symbol><count>2</count></getQuote>"
        )
        #expect(get.header("X-Echo-Method") == "GET")
        #expect(get.header("X-Echo-URI") == "/get?symbol=IBM&count=2")
    }
}
