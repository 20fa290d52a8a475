import SluiceMediation
import SluiceModel
import Testing

/// Runs the deployed sequence named `sequenceName` from both hooks, continuing as `then` says.
struct SequenceRunningHandler: GatewayHandler {
    let sequenceName: String
    let then: GatewayHandlerSequenceContinuation
    var sequence: CompiledSequence?

    func bound(to deployment: GatewayHandlerDeployment) -> any GatewayHandler {
        var bound = self
        bound.sequence = deployment.sequence(named: sequenceName)
        return bound
    }

    func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision {
        TraceHandler.append("req:seq", to: &context)
        guard let sequence else { return .proceed }
        return .runSequence(sequence, then: then)
    }

    func handleResponse(_ context: inout MessageContext) -> GatewayHandlerDecision {
        TraceHandler.append("res:seq", to: &context)
        guard let sequence else { return .proceed }
        return .runSequence(sequence, then: then)
    }
}

@Suite struct GatewayHandlerSequenceTests {
    static let api = SynapseAPI(name: "admin--Shop", context: "/shop", version: "1.0")

    /// Each sequence sets the header `X-<name>`.
    static func program(_ names: [String]) throws -> MediationProgram {
        try MediationCompiler().compileProgram(
            sequences: names.map { name in
                let stamp = HeaderMediator(name: "X-" + name, value: .literal("ran"), scope: .transport)
                return SequenceDefinition(name: name, mediators: [.header(stamp)])
            },
            endpoints: []
        )
    }

    static func chain(then: GatewayHandlerSequenceContinuation, deployed: [String]) throws -> GatewayHandlerChain {
        var registry = GatewayHandlerRegistry()
        registry.register(names: ["trace.a"]) { _ in TraceHandler(name: "a", behaviour: .proceed) }
        registry.register(names: ["trace.c"]) { _ in TraceHandler(name: "c", behaviour: .proceed) }
        registry.register(names: ["seq"]) { _ in SequenceRunningHandler(sequenceName: "audit", then: then) }
        let specs = ["trace.a", "seq", "trace.c"].map { GatewayHandlerSpec(className: $0) }
        return try registry.makeChain(
            specs, deployment: GatewayHandlerDeployment(api: api, program: try program(deployed))
        )
    }

    @Test func aProceedingSequenceResumesAtTheNextHookInBothDirections() throws {
        var execution = try Self.chain(then: .proceed, deployed: ["audit"]).makeExecution()
        var context = Build.context()
        guard case .runSequence(let sequence, .proceed) = execution.runRequest(&context) else {
            Issue.record("expected the handler's sequence")
            return
        }
        #expect(sequence.name == "audit")
        execution.sequenceFinished()
        guard case .completed = execution.runRequest(&context) else {
            Issue.record("the chain must go on after the sequence")
            return
        }
        guard case .runSequence(_, .proceed) = execution.runResponse(&context) else {
            Issue.record("expected the response sequence")
            return
        }
        execution.sequenceFinished()
        guard case .completed = execution.runResponse(&context) else {
            Issue.record("the response hooks must go on after the sequence")
            return
        }
        #expect(context[property: "trail"] == "req:a,req:seq,req:c,res:c,res:seq,res:a")
    }

    @Test func aReplyingSequenceAnswersLikeRespond() throws {
        var execution = try Self.chain(then: .reply, deployed: ["audit"]).makeExecution()
        var context = Build.context()
        guard case .runSequence(_, .reply) = execution.runRequest(&context) else {
            Issue.record("expected the handler's sequence")
            return
        }
        guard case .completed = execution.runResponse(&context) else {
            Issue.record("the handlers before it still see the answer")
            return
        }
        #expect(context[property: "trail"] == "req:a,req:seq,res:a")
    }

    @Test func withoutTheSequenceDeployedTheHandlerJustProceeds() throws {
        let chain = try Self.chain(then: .proceed, deployed: ["other"])
        #expect(!chain.readsRequestBody && !chain.readsResponseBody)
        var execution = chain.makeExecution()
        var context = Build.context()
        guard case .completed = execution.runRequest(&context) else {
            Issue.record("nothing to run")
            return
        }
        #expect(context[property: "trail"] == "req:a,req:seq,req:c")
    }

    @Test func chainingRunsEveryDeployedSequenceInOrderOrNone() throws {
        let deployment = GatewayHandlerDeployment(api: Self.api, program: try Self.program(["second", "first"]))
        #expect(deployment.sequence(chaining: ["missing", "other"]) == nil)
        #expect(deployment.sequence(chaining: ["missing", "first"])?.name == "first")
        let both = try #require(deployment.sequence(chaining: ["first", "second"]))
        #expect(both.name == nil)
        var context = Build.context()
        var execution = SequenceExecution(sequence: both, program: deployment.program)
        guard case .finished = try execution.run(&context) else {
            Issue.record("expected both sequences to run through")
            return
        }
        #expect(context.headers.first(name: "X-first") == "ran")
        #expect(context.headers.first(name: "X-second") == "ran")
    }
}
