import NIOHTTP1
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

@testable import SluiceGatewayHandlers

/// WSO2's utility handlers on its own APIs (`SynapsePropertiesHandler`, `APIManagerCacheExtensionHandler`): they
/// deploy with a warning saying what Sluice leaves out; Java classes nobody ships, handlers or class mediators, are
/// refused saying they are Java; connector operations are refused as connectors.
@Suite struct WSO2UtilityHandlerTests {
    static func api(handler: String, inSequence: String = "<respond/>") -> String {
        """
        <api xmlns="http://ws.apache.org/ns/synapse" name="_OpenService_" context="/service">
          <resource methods="POST GET" url-mapping="/*"><inSequence>\(inSequence)</inSequence></resource>
          <handlers><handler class="\(handler)"/></handlers>
        </api>
        """
    }

    static func warnings(_ xml: String) throws -> [String] {
        try SynapseParser().parseWithWarnings(bytes: Array(xml.utf8), fileName: "t.xml").1.map(\.description)
    }

    static func compile(_ xml: String) throws {
        let artifacts = try SynapseParser().parse(xml: xml, fileName: "t.xml")
        let compiler = MediationCompiler(handlers: APIManagerRegistryTests.registry())
        let program = try compiler.compileProgram(artifacts)
        _ = try compiler.compile(api: try #require(artifacts.apis.first), in: program)
    }

    @Test(arguments: [
        ("org.wso2.carbon.apimgt.gateway.handlers.common.SynapsePropertiesHandler", "only its Content-Type default"),
        ("org.wso2.carbon.apimgt.gateway.handlers.ext.APIManagerCacheExtensionHandler", "no effect in Sluice"),
    ])
    func limitedHandlersDeployWithAWarning(handler: String, warning: String) throws {
        let xml = Self.api(handler: handler)
        let warnings = try Self.warnings(xml)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("handler '\(handler)': \(warning)") == true, "\(warnings)")
        try Self.compile(xml)
    }

    @Test func synapsePropertiesHandlerReadsABodyWithoutContentTypeAsAForm() {
        let handler = SynapsePropertiesHandler()
        var post = MessageContext(method: "POST", requestPath: "/token", query: nil, headers: HTTPHeaders(), body: .empty)
        guard case .proceed = handler.handleRequest(&post) else {
            Issue.record("the request should go on")
            return
        }
        #expect(post.headers["Content-Type"] == ["application/x-www-form-urlencoded"])
        #expect(post.lookupProperty(scope: .default, name: "ContentType")?.stringValue == "application/x-www-form-urlencoded")

        var typed = MessageContext(
            method: "PUT", requestPath: "/x", query: nil, headers: HTTPHeaders([("Content-Type", "application/json")]),
            body: .empty
        )
        _ = handler.handleRequest(&typed)
        #expect(typed.headers["Content-Type"] == ["application/json"])

        var get = MessageContext(method: "GET", requestPath: "/x", query: nil, headers: HTTPHeaders(), body: .empty)
        _ = handler.handleRequest(&get)
        #expect(get.headers["Content-Type"].isEmpty)
    }

    @Test func javaClassesNobodyShipsAreRefusedAsJava() throws {
        let handler = #expect(throws: MediationCompileError.self) {
            try Self.compile(Self.api(handler: "org.test.apim.custom.CustomAuthenticationHandler"))
        }
        #expect(handler?.description.contains("a Java class, which Sluice cannot load") == true)
        let mediator = #expect(throws: MediationCompileError.self) {
            try Self.compile(
                Self.api(handler: "org.wso2.carbon.apimgt.gateway.handlers.ext.APIManagerExtensionHandler",
                    inSequence: #"<class name="samples.mediators.DiscountQuoteMediator"/><respond/>"#)
            )
        }
        #expect(mediator?.description.contains("register a Swift mediator under this name") == true)
    }

    @Test func connectorOperationsAreRefusedAsConnectors() {
        let error = #expect(throws: SynapseDiagnostics.self) {
            try SynapseParser().parse(
                xml: Self.api(
                    handler: "org.wso2.carbon.apimgt.gateway.handlers.ext.APIManagerExtensionHandler",
                    inSequence: "<fileconnector.read><source>/tmp/a</source></fileconnector.read><respond/>"
                ),
                fileName: "t.xml"
            )
        }
        let messages = error?.diagnostics.map(\.message) ?? []
        #expect(
            messages.contains {
                $0.hasPrefix("the connector operation <fileconnector.read> is not supported: WSO2 Micro Integrator connectors ('fileconnector')")
            },
            "\(messages)"
        )
    }
}
