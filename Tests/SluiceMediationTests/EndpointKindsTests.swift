import Foundation
import NIOHTTP1
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `<wsdl>`, `<default>` and `<enableAddressing/>` endpoints: reading, writing, deploy-time resolution and the
/// WS-Addressing headers they put on SOAP messages.
@Suite struct EndpointKindsTests {
    static let soap11WSDL = """
        <wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" \
        xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:http="http://schemas.xmlsoap.org/wsdl/http/" name="Orders">
          <wsdl:service name="OrderService">
            <wsdl:port name="OrderSoap11" binding="OrderSoap11Binding"><soap:address location="http://127.0.0.1:9/orders/soap11"/></wsdl:port>
            <wsdl:port name="OrderSoap12" binding="OrderSoap12Binding"><soap12:address location="http://127.0.0.1:9/orders/soap12"/></wsdl:port>
            <wsdl:port name="OrderHTTP" binding="OrderHTTPBinding"><http:address location="http://127.0.0.1:9/orders/http"/></wsdl:port>
          </wsdl:service>
        </wsdl:definitions>
        """

    static let wsdl20 = """
        <description xmlns="http://www.w3.org/ns/wsdl" xmlns:wsoap="http://www.w3.org/ns/wsdl/soap" xmlns:tns="urn:orders" targetNamespace="urn:orders">
          <binding name="OrderSOAP" type="http://www.w3.org/ns/wsdl/soap" wsoap:version="1.1"/>
          <service name="OrderService" interface="tns:Orders">
            <endpoint name="Main" binding="tns:OrderSOAP" address="http://127.0.0.1:9/orders/v2"/>
          </service>
        </description>
        """

    static func endpointsRoundTrip(_ body: String) throws -> [EndpointDefinition] {
        let xml = #"<definitions xmlns="http://ws.apache.org/ns/synapse">\#(body)</definitions>"#
        let parser = SynapseParser()
        let first = try parser.parse(xml: xml, fileName: "first.xml")
        let written = SynapseSerializer.xml(for: first)
        let second = try parser.parse(xml: written, fileName: "second.xml")
        #expect(second.endpoints.map(\.kind) == first.endpoints.map(\.kind), "\(written)")
        return first.endpoints
    }

    static func problems(_ body: String) -> [String] {
        do {
            _ = try SynapseParser().parse(
                xml: #"<definitions xmlns="http://ws.apache.org/ns/synapse">\#(body)</definitions>"#,
                fileName: "t.xml"
            )
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }

    static func leaf(_ body: String) throws -> EndpointLeaf {
        let definitions = try endpointsRoundTrip(body)
        let program = try MediationCompiler().compileProgram(sequences: [], endpoints: definitions)
        let endpoint = try #require(program.endpoints[definitions[0].name ?? ""])
        guard case .leaf(let leaf) = endpoint.kind else { throw NotALeaf() }
        return leaf
    }

    struct NotALeaf: Error {}

    static func compileProblem(_ body: String) -> String {
        do {
            let definitions = try endpointsRoundTrip(body)
            _ = try MediationCompiler().compileProgram(sequences: [], endpoints: definitions)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func everyKindRoundTrips() throws {
        let endpoints = try Self.endpointsRoundTrip(
            """
            <endpoint name="a"><wsdl uri="file:/tmp/orders.wsdl" service="OrderService" port="OrderSoap11" format="soap12">
              <enableAddressing version="submission" separateListener="false"/><timeout><duration>3000</duration></timeout></wsdl></endpoint>
            <endpoint name="b"><wsdl service="OrderService" port="OrderSoap11">\(Self.soap11WSDL)</wsdl></endpoint>
            <endpoint name="c"><default format="soap11"><enableAddressing/><suspendOnFailure><initialDuration>100</initialDuration></suspendOnFailure></default></endpoint>
            <endpoint name="d"><address uri="http://127.0.0.1:9/x"><enableAddressing version="final"/></address></endpoint>
            <endpoint name="e"><default/></endpoint>
            """
        )
        #expect(endpoints.count == 5)
        guard case .wsdl(let wsdl) = endpoints[1].kind else {
            Issue.record("\(endpoints[1].kind)")
            return
        }
        #expect(wsdl.inlineDefinition?.contains("OrderSoap12") == true)
        guard case .address(let address) = endpoints[3].kind else {
            Issue.record("\(endpoints[3].kind)")
            return
        }
        #expect(address.qos.addressing == EndpointAddressing(version: .final))
    }

    @Test(arguments: [
        (#"<endpoint name="a"><wsdl uri="file:/x.wsdl" port="p"/></endpoint>"#, "missing required attribute 'service' on <wsdl>"),
        (#"<endpoint name="a"><wsdl service="s" port="p"/></endpoint>"#, "needs a 'uri' or an inline WSDL"),
        (#"<endpoint name="a"><wsdl uri="file:/x.wsdl" service="s" port="p">\#(soap11WSDL)</wsdl></endpoint>"#, "not both"),
        (#"<endpoint name="a"><default format="json"/></endpoint>"#, "invalid format 'json'"),
        (#"<endpoint name="a"><address uri="http://h/"><enableAddressing version="2004"/></address></endpoint>"#, "invalid version '2004'"),
        (#"<endpoint name="a"><address uri="http://h/"><enableSec policy="p"/></address></endpoint>"#, "<enableSec> is not supported"),
        (#"<endpoint name="a"><default><colour/></default></endpoint>"#, "colour"),
    ])
    func badEndpointsAreReported(xml: String, problem: String) {
        let problems = Self.problems(xml)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test func aWSDLPortGivesTheAddressAndTheSOAPVersionOfItsBinding() throws {
        let soap11 = try Self.leaf(#"<endpoint name="a"><wsdl service="OrderService" port="OrderSoap11">\#(Self.soap11WSDL)</wsdl></endpoint>"#)
        #expect(soap11.target == .address(uri: "http://127.0.0.1:9/orders/soap11"))
        #expect(soap11.format == .soap11)
        let soap12 = try Self.leaf(#"<endpoint name="a"><wsdl service="OrderService" port="OrderSoap12">\#(Self.soap11WSDL)</wsdl></endpoint>"#)
        #expect(soap12.format == .soap12)
        let http = try Self.leaf(#"<endpoint name="a"><wsdl service="OrderService" port="OrderHTTP" format="pox">\#(Self.soap11WSDL)</wsdl></endpoint>"#)
        #expect(http.target == .address(uri: "http://127.0.0.1:9/orders/http"))
        #expect(http.format == .pox)
        let v2 = try Self.leaf(#"<endpoint name="a"><wsdl service="OrderService" port="Main">\#(Self.wsdl20)</wsdl></endpoint>"#)
        #expect(v2.target == .address(uri: "http://127.0.0.1:9/orders/v2"))
        #expect(v2.format == .soap11)
    }

    @Test func aWSDLFileIsReadAtDeployTime() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-wsdl-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/orders.wsdl"
        try Self.soap11WSDL.write(toFile: path, atomically: true, encoding: .utf8)
        for uri in [path, "file:" + path, "file://" + path] {
            let leaf = try Self.leaf(#"<endpoint name="a"><wsdl uri="\#(uri)" service="OrderService" port="OrderSoap12"/></endpoint>"#)
            #expect(leaf.target == .address(uri: "http://127.0.0.1:9/orders/soap12"))
        }
        #expect(Self.compileProblem(#"<endpoint name="a"><wsdl uri="\#(folder)/none.wsdl" service="s" port="p"/></endpoint>"#).contains("cannot read the WSDL"))
    }

    /// Answers from a table, as the deployer's store does once its fetches ended; any other URL is still pending.
    struct FetchedDocuments: NetworkSources {
        let answers: [String: NetworkDocument]

        func document(at url: String, for file: String) -> NetworkDocument { answers[url] ?? .pending }
    }

    @Test func aWSDLAtAnHTTPURLIsTheDocumentTheDeployerFetched() throws {
        var compiler = MediationCompiler()
        compiler.networkSources = FetchedDocuments(answers: [
            "https://docs.example/orders?wsdl": .fetched(Array(Self.soap11WSDL.utf8)),
            "https://docs.example/gone?wsdl": .failed("the server answered 404 Not Found"),
            "https://docs.example/json?wsdl": .fetched(Array(#"{"wsdl":false}"#.utf8)),
            "https://docs.example/later?wsdl": .offline,
        ])
        func compile(_ uri: String) throws -> MediationProgram {
            let definitions = try Self.endpointsRoundTrip(
                #"<endpoint name="a"><wsdl uri="\#(uri)" service="OrderService" port="OrderSoap12"/></endpoint>"#
            )
            return try compiler.compileProgram(sequences: [], endpoints: definitions)
        }
        let fetched = try compile("https://docs.example/orders?wsdl")
        guard case .leaf(let leaf) = fetched.endpoints["a"]?.kind else { throw NotALeaf() }
        #expect(leaf.target == .address(uri: "http://127.0.0.1:9/orders/soap12"))
        #expect(leaf.format == .soap12)

        func problem(_ uri: String) -> String {
            do {
                _ = try compile(uri)
                return ""
            } catch {
                return "\(error)"
            }
        }
        #expect(problem("https://docs.example/gone?wsdl").hasSuffix(
            "cannot fetch the WSDL 'https://docs.example/gone?wsdl': the server answered 404 Not Found"
        ))
        #expect(problem("https://docs.example/json?wsdl").contains("the WSDL 'https://docs.example/json?wsdl': "))
        #expect(problem("https://docs.example/new?wsdl").hasSuffix(
            "the WSDL 'https://docs.example/new?wsdl' is being fetched; the file deploys when it arrives"
        ))
        // Offline, the endpoint compiles to one that faults, and the program carries the warning.
        let offline = try compile("https://docs.example/later?wsdl")
        #expect(offline.unresolvedReferences.map(\.description).contains {
            $0.hasSuffix("not fetched: WSDL 'https://docs.example/later?wsdl' is fetched when a gateway deploys the file; checked without it")
        }, "\(offline.unresolvedReferences)")
        guard case .unresolved = offline.endpoints["a"]?.kind else {
            Issue.record("expected an endpoint that faults, got \(String(describing: offline.endpoints["a"]?.kind))")
            return
        }
    }

    @Test(arguments: [
        (#"<wsdl uri="http://example.com/orders?wsdl" service="OrderService" port="OrderSoap11"/>"#, "is fetched only when a gateway deploys the file"),
        (#"<wsdl uri="gov:/wsdl/orders.wsdl" service="OrderService" port="OrderSoap11"/>"#, "is a registry key"),
        (#"<wsdl service="Nope" port="OrderSoap11">\#(soap11WSDL)</wsdl>"#, "has no service 'Nope' (services: OrderService)"),
        (#"<wsdl service="OrderService" port="Nope">\#(soap11WSDL)</wsdl>"#, "has no port 'Nope' (ports: OrderSoap11, OrderSoap12, OrderHTTP)"),
    ])
    func unusableWSDLsFailToDeployWithTheReason(wsdl: String, problem: String) {
        let message = Self.compileProblem(#"<endpoint name="a">\#(wsdl)</endpoint>"#)
        #expect(message.contains(problem), "\(message)")
    }

    @Test func aDefaultEndpointSendsToTheMessagesTo() throws {
        let leaf = try Self.leaf(#"<endpoint name="a"><default/></endpoint>"#)
        var context = Build.context()
        #expect(leaf.url(for: context) == "")
        try Build.run(try MediatorXML.roundTrip(#"<header name="To" value="http://127.0.0.1:9/target?x=1"/>"#), on: &context)
        #expect(leaf.url(for: context) == "http://127.0.0.1:9/target?x=1")
    }

    static let envelope = """
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>\
        <wsa:To xmlns:wsa="http://www.w3.org/2005/08/addressing">http://old/</wsa:To></soapenv:Header>\
        <soapenv:Body><getOrder xmlns="urn:o"><id>1</id></getOrder></soapenv:Body></soapenv:Envelope>
        """

    @Test func addressingHeadersAreAddedToSOAPMessages() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "text/xml"), ("SOAPAction", "\"urn:getOrder\"")], body: Self.envelope)
        try Build.run(try MediatorXML.roundTrip(#"<header name="MessageID" value="urn:uuid:fixed"/>"#), on: &context)
        try context.applyEndpointAddressing(EndpointAddressing(), url: "http://127.0.0.1:9/orders")
        let body = try #require(context.body.string)
        let wsa = "http://www.w3.org/2005/08/addressing"
        #expect(body.contains(#">http://127.0.0.1:9/orders</wsa:To>"#), "\(body)")
        #expect(!body.contains("http://old/"), "\(body)")
        #expect(body.contains(#">urn:uuid:fixed</wsa:MessageID>"#), "\(body)")
        #expect(body.contains(#">urn:getOrder</wsa:Action>"#), "\(body)")
        #expect(body.contains("<wsa:Address>\(wsa)/anonymous</wsa:Address>"), "\(body)")
        #expect(body.contains(#"<getOrder xmlns="urn:o"><id>1</id></getOrder>"#), "\(body)")

        var submission = Build.context(method: "POST", headers: [("Content-Type", "application/soap+xml")], body: Self.envelope.replacing("http://schemas.xmlsoap.org/soap/envelope/", with: "http://www.w3.org/2003/05/soap-envelope"))
        try submission.applyEndpointAddressing(EndpointAddressing(version: .submission), url: "http://h/")
        let text = try #require(submission.body.string)
        #expect(text.contains("http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"), "\(text)")
        #expect(text.contains("urn:uuid:"), "\(text)")
        // The old final-version To stays: only blocks of the endpoint's own version are replaced.
        #expect(text.contains("http://old/"), "\(text)")
    }

    @Test func messagesThatAreNotSOAPAreLeftAlone() throws {
        var json = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"id":1}"#)
        try json.applyEndpointAddressing(EndpointAddressing(), url: "http://h/")
        #expect(json.body.string == #"{"id":1}"#)
        var broken = Build.context(method: "POST", headers: [("Content-Type", "text/xml"), ("SOAPAction", "\"\"")], body: "<soapenv:Envelope")
        #expect(throws: MediationFault.self) { try broken.applyEndpointAddressing(EndpointAddressing(), url: "http://h/") }
    }
}
