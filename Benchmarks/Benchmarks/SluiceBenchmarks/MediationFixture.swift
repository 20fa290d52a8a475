import Logging
import NIOHTTP1
import SluiceMediation
import SluiceModel
import SluiceSynapse

/// The mediation API of `scripts/bench` (property with `json-eval`, header from the property, JSON payloadFactory,
/// then send) compiled once, and fresh request contexts to run its in sequence over.
struct MediationFixture: Sendable {
    static let xml = """
        <api xmlns="http://ws.apache.org/ns/synapse" name="bench--Mediation" context="/mediate/1.0">
            <resource methods="POST" url-mapping="/*">
                <inSequence>
                    <property name="orderId" expression="json-eval($.order.id)"/>
                    <header name="X-Order" expression="get-property('orderId')" scope="transport"/>
                    <payloadFactory media-type="json">
                        <format>{"id": "$1", "items": $2}</format>
                        <args>
                            <arg expression="get-property('orderId')"/>
                            <arg evaluator="json" expression="$.order.items"/>
                        </args>
                    </payloadFactory>
                    <send><endpoint><address uri="http://127.0.0.1:9000/bench"/></endpoint></send>
                </inSequence>
                <outSequence><send/></outSequence>
            </resource>
        </api>
        """
    static let body = #"{"order": {"id": "A-1001", "items": [{"sku": "pz-1", "qty": 2}]}}"#

    let sequence: CompiledSequence
    let program: MediationProgram
    let logger: Logger

    init() throws {
        let artifacts = try SynapseParser().parse(xml: Self.xml, fileName: "bench--Mediation_v1.0.xml")
        program = .empty
        let compiled = try MediationCompiler().compile(api: artifacts.apis[0], in: program)
        guard let inSequence = compiled.resources[0].inSequence else {
            fatalError("the mediation fixture has no in sequence")
        }
        sequence = inSequence
        var logger = Logger(label: "sluice.benchmarks")
        logger.logLevel = .critical
        self.logger = logger
        var context = makeContext()
        guard case .send = try run(&context), context.headers.first(name: "X-Order") == "A-1001" else {
            fatalError("the mediation fixture did not mediate as expected")
        }
    }

    /// A request as the gateway hands it to the in sequence: method, path, JSON content type, buffered body.
    func makeContext() -> MessageContext {
        MessageContext(
            method: "POST",
            requestPath: "/mediate/1.0/1k",
            headers: HTTPHeaders([("Content-Type", "application/json"), ("Host", "localhost:8280")]),
            body: .text(Self.body),
            logger: logger
        )
    }

    /// Runs the in sequence to its `<send>`.
    func run(_ context: inout MessageContext) throws -> MediationStep {
        var execution = SequenceExecution(sequence: sequence, program: program)
        return try execution.run(&context)
    }
}
