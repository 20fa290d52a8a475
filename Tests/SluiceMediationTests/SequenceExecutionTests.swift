import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

@Suite struct SequenceExecutionTests {
    static func set(_ name: String, _ value: String) -> MediatorNode {
        .property(PropertyMediator(name: name, value: .literal(value)))
    }

    @Test func namedSequencesRunInPlaceAndReturn() throws {
        let program = try MediationCompiler().compileProgram(
            sequences: [
                SequenceDefinition(
                    name: "outer",
                    mediators: [Self.set("trail", "outer"), .sequence(key: "inner"), Self.set("after-inner", "yes")]
                ),
                SequenceDefinition(name: "inner", mediators: [Self.set("inner", "ran")]),
            ],
            endpoints: []
        )
        var context = Build.context()
        let step = try Build.run([.sequence(key: "outer"), Self.set("end", "yes")], on: &context, program: program)
        #expect(step.name == "finished")
        #expect(context[property: "inner"] == "ran")
        #expect(context[property: "after-inner"] == "yes")
        #expect(context[property: "end"] == "yes")
    }

    @Test func callSuspendsAndResumesWithTheResponse() throws {
        let sequence = try Build.sequence([
            Self.set("before", "yes"),
            .call(CallMediator(endpoint: Build.address("http://lookup:9000/customers"))),
            .property(PropertyMediator(name: "customer", value: .expression(Build.expression("json-eval($.name)")))),
            .call(CallMediator(endpoint: Build.address("http://audit:9000/log"))),
            .respond,
        ])
        #expect(sequence.readsBody)
        var context = Build.context(method: "POST", body: "{}")
        var execution = SequenceExecution(sequence: sequence, program: .empty)

        guard case .call(let first) = try execution.run(&context), case .leaf(let lookup) = first.kind else {
            Issue.record("expected the first call")
            return
        }
        #expect(lookup.url(for: context) == "http://lookup:9000/customers")
        #expect(context[property: "before"] == "yes")

        context.receiveResponse(
            status: 200,
            headers: HTTPHeaders([("Content-Type", "application/json")]),
            body: .text(#"{"name":"Ann"}"#)
        )
        guard case .call(let second) = try execution.run(&context), case .leaf(let audit) = second.kind else {
            Issue.record("expected the second call")
            return
        }
        #expect(audit.url(for: context) == "http://audit:9000/log")
        #expect(context[property: "customer"] == "Ann")
        #expect(context.isResponse)

        context.receiveResponse(status: 204, headers: HTTPHeaders(), body: .empty)
        #expect(try execution.run(&context).name == "respond")
        #expect(execution.isFinished)
        #expect(context.statusCode == 204)
    }

    @Test func callInsideFilterInsideNamedSequenceResumesAtTheRightPlace() throws {
        let program = try MediationCompiler().compileProgram(
            sequences: [
                SequenceDefinition(
                    name: "enrichCustomer",
                    mediators: [
                        .filter(
                            FilterMediator(
                                condition: .sourceMatches(source: Build.expression("$ctx:lookup"), regex: "yes"),
                                then: [
                                    .call(CallMediator(endpoint: Build.address("http://crm/x"))),
                                    Self.set("in-branch", "after-call"),
                                ]
                            )
                        ),
                        Self.set("in-sequence", "after-filter"),
                    ]
                )
            ],
            endpoints: []
        )
        var context = Build.context()
        context[property: "lookup"] = "yes"
        var execution = SequenceExecution(
            sequence: try Build.sequence(
                [.sequence(key: "enrichCustomer"), Self.set("top", "done")],
                program: program
            ),
            program: program
        )
        #expect(try execution.run(&context).name == "call")
        #expect(context[property: "in-branch"] == nil)
        context.receiveResponse(status: 200, headers: HTTPHeaders(), body: .empty)
        #expect(try execution.run(&context).name == "finished")
        #expect(context[property: "in-branch"] == "after-call")
        #expect(context[property: "in-sequence"] == "after-filter")
        #expect(context[property: "top"] == "done")
    }

    @Test func faultUsesTheInnermostOnErrorSequence() throws {
        let program = try MediationCompiler().compileProgram(
            sequences: [
                SequenceDefinition(name: "handler", mediators: [Self.set("handled", "yes")]),
                SequenceDefinition(
                    name: "risky",
                    onError: "handler",
                    mediators: [.property(PropertyMediator(name: "n", value: .literal("x"), type: .integer))]
                ),
            ],
            endpoints: []
        )
        var context = Build.context()
        var execution = SequenceExecution(
            sequence: try Build.sequence([.sequence(key: "risky")], program: program),
            program: program
        )
        do {
            _ = try execution.run(&context)
            Issue.record("expected a fault")
        } catch {
            context.recordFault(error)
            let handler = execution.faultSequence(default: .defaultFault)
            #expect(handler.name == "handler")
            var faultExecution = SequenceExecution(sequence: handler, program: program)
            #expect(try faultExecution.run(&context).name == "finished")
            #expect(context[property: "handled"] == "yes")
            #expect(context[property: "ERROR_CODE"] == .integer(error.code))
        }
    }

    @Test func selfRecursiveSequenceFaultsInsteadOfOverflowing() throws {
        let program = try MediationCompiler().compileProgram(
            sequences: [SequenceDefinition(name: "loop", mediators: [.sequence(key: "loop")])],
            endpoints: []
        )
        var context = Build.context()
        #expect(throws: MediationFault.self) { try Build.run([.sequence(key: "loop")], on: &context, program: program) }
    }

    @Test func nestingUpToTheLimitRunsAndReturnsThroughEveryFrame() throws {
        // s1 -> s2 -> ... -> s62: with the top-level sequence that is 63 frames, one below the limit; each
        // sequence sets its own property after the nested one returns, so every frame must be resumed.
        let depth = SequenceExecution.maximumDepth - 2
        let sequences = (1...depth).map { level in
            SequenceDefinition(
                name: "s\(level)",
                mediators: (level < depth ? [MediatorNode.sequence(key: "s\(level + 1)")] : []) + [Self.set("after\(level)", "yes")]
            )
        }
        let program = try MediationCompiler().compileProgram(sequences: sequences, endpoints: [])
        var context = Build.context()
        _ = try Build.run([.sequence(key: "s1"), Self.set("top", "yes")], on: &context, program: program)
        #expect((1...depth).allSatisfy { context[property: "after\($0)"] == "yes" })
        #expect(context[property: "top"] == "yes")
    }

    @Test func readsBodyFollowsNamedSequencesInAnyOrder() throws {
        let program = try MediationCompiler().compileProgram(
            sequences: [
                SequenceDefinition(name: "a", mediators: [.sequence(key: "b")]),
                SequenceDefinition(name: "b", mediators: [.sequence(key: "c")]),
                SequenceDefinition(
                    name: "c",
                    mediators: [
                        .property(PropertyMediator(name: "x", value: .expression(Build.expression("json-eval($.x)"))))
                    ]
                ),
                SequenceDefinition(name: "plain", mediators: [Self.set("x", "y")]),
            ],
            endpoints: []
        )
        #expect(program.sequence(named: "a")?.readsBody == true)
        #expect(program.sequence(named: "plain")?.readsBody == false)
        #expect(try Build.sequence([.sequence(key: "a")], program: program).readsBody)
        #expect(try !Build.sequence([.sequence(key: "plain")], program: program).readsBody)
    }

    @Test func defaultFaultSequenceAnswersWithRuntimeFault() throws {
        var context = Build.context(headers: [("Accept", "application/json")])
        context.recordFault(MediationFault(code: 101503, message: "Error connecting to the back end"))
        context[property: "CUSTOM_HTTP_SC"] = "502"
        var execution = SequenceExecution(sequence: MediationProgram.empty.faultSequence, program: .empty)
        #expect(try execution.run(&context).name == "respond")
        #expect(context.statusCode == 502)
        #expect(
            context.body.string
                == #"{"fault":{"code":101503,"type":"Status report","message":"Runtime Error","description":"Error connecting to the back end"}}"#
        )
    }

    @Test func classMediatorReturningFalseDrops() throws {
        struct Stop: Mediator {
            var readsBody: Bool { false }
            func mediate(_ context: inout MessageContext) throws(MediationFault) -> Bool { false }
        }
        var registry = ClassMediatorRegistry.standard
        registry.register(names: ["test.Stop"]) { _ in Stop() }
        let compiler = MediationCompiler(classMediators: registry)
        var context = Build.context()
        var execution = SequenceExecution(
            sequence: try Build.sequence(
                [.classMediator(ClassMediator(className: "test.Stop")), Self.set("after", "x")],
                compiler: compiler
            ),
            program: .empty
        )
        #expect(try execution.run(&context).name == "drop")
        #expect(context[property: "after"] == nil)
    }

    @Test func usageClassMediatorsRecordTimes() throws {
        let compiler = MediationCompiler(classMediators: .standard(clock: EpochClock { 1_000_500 }))
        var context = Build.context()
        context[property: "api.ut.backendRequestTime"] = "1000000"
        context.receiveResponse(status: 201, headers: HTTPHeaders(), body: .streaming)
        var execution = SequenceExecution(
            sequence: try Build.sequence(
                [
                    .classMediator(
                        ClassMediator(
                            className: "org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtResponseHandler"
                        )
                    )
                ],
                compiler: compiler
            ),
            program: .empty
        )
        #expect(try execution.run(&context).name == "finished")
        #expect(context[property: "api.ut.responseTime"] == .integer(1_000_500))
        #expect(context[property: "api.ut.backendTime"] == .integer(500))
        #expect(context[property: "api.ut.responseCode"] == .integer(201))

        context.recordFault(MediationFault(code: 101504, message: "timeout"))
        var fault = SequenceExecution(
            sequence: try Build.sequence(
                [.classMediator(ClassMediator(className: "org.wso2.carbon.apimgt.usage.publisher.APIMgtFaultHandler"))],
                compiler: compiler
            ),
            program: .empty
        )
        _ = try fault.run(&context)
        #expect(context[property: "api.ut.faultTime"] == .integer(1_000_500))
        #expect(context[property: "api.ut.errorCode"] == .integer(101504))
    }
}
