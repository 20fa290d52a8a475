import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

@Suite struct MediationCompilerTests {
    static let location = SourceLocation(file: "orders.xml", line: 7, column: 3)

    static func compileError(_ mediators: [MediatorNode], program: MediationProgram = .empty) -> MediationCompileError?
    {
        do {
            _ = try MediationCompiler().compile(
                sequence: SequenceDefinition(name: "s", mediators: mediators, location: Self.location),
                in: program
            )
            return nil
        } catch {
            return error
        }
    }

    @Test func anUnknownClassMediatorFailsWithLocation() throws {
        let error = try #require(Self.compileError([.classMediator(ClassMediator(className: "com.example.Custom"))]))
        #expect(error.kind == .unknownClassMediator("com.example.Custom"))
        #expect(error.location?.isSamePlace(as: Self.location) == true)
    }

    @Test func cyclicNamedEndpointsAreRejected() {
        let a = EndpointDefinition(
            name: "a",
            kind: .failover(FailoverEndpoint(members: [EndpointDefinition(kind: .reference(key: "b"))]))
        )
        let b = EndpointDefinition(
            name: "b",
            kind: .failover(FailoverEndpoint(members: [EndpointDefinition(kind: .reference(key: "a"))]))
        )
        #expect(throws: MediationCompileError.self) {
            try MediationCompiler().compileProgram(sequences: [], endpoints: [a, b])
        }
    }

    @Test func apiResourcesGetTheirSequencesAndTheDefaultFault() throws {
        let program = try MediationCompiler().compileProgram(
            sequences: [SequenceDefinition(name: "audit", mediators: [.log(LogMediator())])],
            endpoints: []
        )
        let api = SynapseAPI(
            name: "admin--Orders",
            context: "/orders",
            resources: [
                APIResource(
                    methods: ["POST"],
                    inSequence: .inline([
                        .property(PropertyMediator(name: "x", value: .expression(Build.expression("json-eval($.id)")))),
                        .send(SendMediator(endpoint: Build.address("http://b"))),
                    ]),
                    outSequence: .key("audit")
                )
            ],
            handlers: [GatewayHandlerSpec(className: "RequestIDHandler")]
        )
        let compiled = try MediationCompiler().compile(api: api, in: program)
        let resource = try #require(compiled.resources.first)
        #expect(resource.inSequenceReadsBody)
        #expect(!resource.outSequenceReadsBody)
        #expect(resource.outSequence?.name == "audit")
        #expect(resource.faultSequence.name == "fault")
        #expect(compiled.handlers.entries.map(\.className) == ["RequestIDHandler"])
    }

    @Test func compilesAPublisherStyleArtifactParsedFromXML() throws {
        let xml = """
            <api xmlns="http://ws.apache.org/ns/synapse" name="admin--PizzaShackAPI" context="/pizzashack/1.0.0" version="1.0.0" version-type="context">
              <resource methods="GET" url-mapping="/menu" faultSequence="fault">
                <inSequence>
                  <property name="api.ut.backendRequestTime" expression="get-property('SYSTEM_TIME')"/>
                  <filter source="$ctx:AM_KEY_TYPE" regex="PRODUCTION">
                    <then><send><endpoint name="admin--PizzaShackAPI_APIproductionEndpoint_0"><http uri-template="https://backend/pizzashack/api/"/></endpoint></send></then>
                    <else><payloadFactory media-type="json"><format>{"error":"$1"}</format><args><arg expression="$ctx:AM_KEY_TYPE"/></args></payloadFactory><respond/></else>
                  </filter>
                </inSequence>
                <outSequence>
                  <class name="org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtResponseHandler"/>
                  <send/>
                </outSequence>
              </resource>
            </api>
            """
        let artifacts = try SynapseParser().parse(xml: xml, fileName: "admin--PizzaShackAPI_v1.0.0.xml")
        let api = try #require(artifacts.apis.first)
        let program = try MediationCompiler().compileProgram(
            sequences: [SequenceDefinition(name: "fault", mediators: [.drop])],
            endpoints: []
        )
        let compiled = try MediationCompiler().compile(api: api, in: program)
        let resource = try #require(compiled.resources.first)
        #expect(!resource.inSequenceReadsBody)

        var context = Build.context(path: "/pizzashack/1.0.0/menu")
        context[property: "AM_KEY_TYPE"] = "PRODUCTION"
        context[property: "REST_URL_POSTFIX", scope: .axis2] = "/menu"
        var execution = SequenceExecution(sequence: try #require(resource.inSequence), program: program)
        guard case .send(let endpoint?, nil) = try execution.run(&context), case .leaf(let leaf) = endpoint.kind else {
            Issue.record("expected a send to the production endpoint")
            return
        }
        #expect(leaf.url(for: context) == "https://backend/pizzashack/api/menu")
        #expect(leaf.displayName == "admin--PizzaShackAPI_APIproductionEndpoint_0")

        var sandbox = Build.context(path: "/pizzashack/1.0.0/menu")
        sandbox[property: "AM_KEY_TYPE"] = "SANDBOX"
        var sandboxExecution = SequenceExecution(sequence: try #require(resource.inSequence), program: program)
        #expect(try sandboxExecution.run(&sandbox).name == "respond")
        #expect(sandbox.body.string == #"{"error":"SANDBOX"}"#)
        #expect(resource.faultSequence.name == "fault")
    }
}
