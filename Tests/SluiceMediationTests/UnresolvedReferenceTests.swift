import NIOCore
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// A key nothing deployed defines (sequence, endpoint, template, local entry) does not refuse the artifact, as in
/// Synapse, which looks keys up per message: the compiler reports it, and a message reaching it faults with
/// Synapse's error code and message.
@Suite struct UnresolvedReferenceTests {
    private func program(_ xml: String) throws -> MediationProgram {
        try MediationCompiler().compileProgram(SynapseParser().parse(xml: xml, fileName: "config.xml"))
    }

    private func definitions(_ body: String) -> String {
        #"<definitions xmlns="http://ws.apache.org/ns/synapse">"# + body + "</definitions>"
    }

    /// Runs the named sequence of `program` to its first stop, or to the fault it raises.
    private func run(_ name: String, in program: MediationProgram) throws -> Result<MediationStep, MediationFault> {
        var context = Build.context(body: #"{"id":1}"#)
        var execution = SequenceExecution(sequence: try #require(program.sequence(named: name)), program: program)
        do {
            return .success(try execution.run(&context))
        } catch {
            return .failure(error)
        }
    }

    @Test func aSequenceKeyNothingDefinesIsReportedWithItsPlaceAndFaultsWhenReached() throws {
        let program = try program(definitions(#"<sequence name="s"><log/><sequence key="later"/></sequence>"#))
        let reference = try #require(program.unresolvedReferences.first)
        #expect(program.unresolvedReferences.count == 1)
        #expect(reference.kind == .unknownSequence("later"))
        #expect(reference.location?.file == "config.xml")
        #expect(reference.description.hasSuffix("unknown sequence 'later'"))

        guard case .failure(let fault) = try run("s", in: program) else {
            Issue.record("expected a fault")
            return
        }
        #expect(fault.code == 0)
        #expect(fault.message == "Sequence named later cannot be found")
    }

    @Test func theSameSequenceResolvesOnceTheKeyIsDeployedWithIt() throws {
        let program = try program(
            definitions(#"<sequence name="s"><sequence key="later"/></sequence><sequence name="later"><drop/></sequence>"#)
        )
        #expect(program.unresolvedReferences.isEmpty)
        #expect(try run("s", in: program).get().name == "drop")
    }

    @Test func anEndpointKeyNothingDefinesFaultsWith305100WhenTheMessageIsSent() throws {
        let program = try program(definitions(#"<sequence name="s"><send><endpoint key="gone"/></send></sequence>"#))
        #expect(program.unresolvedReferences.map(\.kind) == [.unknownEndpoint("gone")])
        guard case .send(let endpoint?, _) = try run("s", in: program).get() else {
            Issue.record("expected a send")
            return
        }
        var attempt = endpoint.makeAttempt()
        #expect(attempt.next(now: .now()) == nil)
        #expect(attempt.exhaustionFault.code == 305100)
        #expect(attempt.exhaustionFault.message == "Couldn't find the endpoint with the key : gone")
    }

    @Test func aFailoverGroupGoesPastAMemberKeyNothingDefines() throws {
        let program = try program(
            definitions(
                """
                <endpoint name="pair"><failover><endpoint key="gone"/><endpoint><address uri="http://b/x"/></endpoint></failover></endpoint>
                """
            )
        )
        #expect(program.unresolvedReferences.map(\.kind) == [.unknownEndpoint("gone")])
        var attempt = try #require(program.endpoints["pair"]).makeAttempt()
        let leaf = attempt.next(now: .now())
        #expect(leaf?.target == .address(uri: "http://b/x"))
    }

    @Test(arguments: [
        (#"<xslt key="style.xslt"/>"#, MediationCompileError.Kind.unknownLocalEntry("style.xslt"), 0, "Key style.xslt not found"),
        (#"<script language="js" key="code.js"/>"#, .unknownLocalEntry("code.js"), 0, "Key code.js not found"),
        (#"<call-template target="tpl"/>"#, .unknownTemplate("tpl"), 0, "Sequence template tpl cannot be found"),
        (#"<call><endpoint key="gone"/></call>"#, .unknownEndpoint("gone"), 305100, ""),
    ])
    func eachKindOfKeyDeploysAndFaultsOnlyWhenReached(mediator: String, kind: MediationCompileError.Kind, code: Int, message: String) throws {
        // The filter's other branch holds the reference: a message taking the first branch does not fault.
        let program = try program(
            definitions(
                """
                <sequence name="s"><filter source="$ctx:route" regex="other"><then>\(mediator)</then><else><drop/></else></filter></sequence>
                """
            )
        )
        #expect(program.unresolvedReferences.map(\.kind) == [kind])
        #expect(try run("s", in: program).get().name == "drop")

        var context = Build.context(body: #"{"id":1}"#)
        context[property: "route"] = "other"
        var execution = SequenceExecution(sequence: try #require(program.sequence(named: "s")), program: program)
        do {
            let step = try execution.run(&context)
            guard case .call(let endpoint) = step else { Issue.record("expected a fault, got \(step.name)"); return }
            #expect(endpoint.makeAttempt().exhaustionFault.code == code)
        } catch {
            #expect(error.code == code)
            #expect(error.message == message)
        }
    }

    @Test func anOnErrorNothingDefinesIsReportedAndTheFaultGoesToTheResourceHandler() throws {
        let program = try program(definitions(#"<sequence name="s" onError="handler"><sequence key="s2"/></sequence>"#))
        #expect(Set(program.unresolvedReferences.map(\.kind)) == [.unknownSequence("handler"), .unknownSequence("s2")])
        var context = Build.context()
        var execution = SequenceExecution(sequence: try #require(program.sequence(named: "s")), program: program)
        #expect(throws: MediationFault.sequenceNotFound("s2")) { try execution.run(&context) }
        #expect(execution.faultSequence(default: .defaultFault).name == "fault")
    }

    @Test func anAPIResourceKeyNothingDefinesFaultsAsSynapsesResourceDoes() throws {
        let api = SynapseAPI(
            name: "a",
            context: "/a",
            resources: [APIResource(inSequence: .key("gone-in"), faultSequence: .key("gone-fault"))]
        )
        let compiled = try MediationCompiler().compile(api: api, in: .empty)
        #expect(compiled.unresolvedReferences.map(\.kind) == [.unknownSequence("gone-in"), .unknownSequence("gone-fault")])
        let resource = try #require(compiled.resources.first)
        // The fault sequence key falls back to the deployed (here the built-in) fault sequence.
        #expect(resource.faultSequence.name == "fault")
        var context = Build.context()
        var execution = SequenceExecution(sequence: try #require(resource.inSequence), program: .empty)
        let fault = #expect(throws: MediationFault.self) { try execution.run(&context) }
        #expect(fault?.message == "Specified sequence: gone-in cannot be found")
    }
}
