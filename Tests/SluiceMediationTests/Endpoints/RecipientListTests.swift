import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `<recipientlist>` endpoints: reading and writing, deploy-time checks, and the copies `send`/`call` make.
@Suite struct RecipientListTests {
    static let staticList = """
        <endpoint name="fanout"><recipientlist>
          <endpoint><address uri="http://127.0.0.1:9/east"/></endpoint>
          <endpoint key="west"/>
        </recipientlist></endpoint>
        <endpoint name="west"><http uri-template="http://127.0.0.1:9/west/{uri.var.id}"/></endpoint>
        """

    static func program(_ endpoints: String) throws -> MediationProgram {
        try MediationCompiler().compileProgram(
            SynapseParser().parse(
                xml: #"<definitions xmlns="http://ws.apache.org/ns/synapse">\#(endpoints)</definitions>"#,
                fileName: "endpoints.xml"
            )
        )
    }

    static func split(_ step: MediationStep) throws -> MessageSplit {
        guard case .split(let split) = step else { throw WrongStep(step: step.name) }
        return split
    }

    struct WrongStep: Error { let step: String }

    static func uri(_ step: MediationStep) -> String? {
        switch step {
        case .send(let endpoint?, _), .call(let endpoint):
            switch endpoint.kind.leafTarget {
            case .address(let uri)?: return uri
            case .http(let template, _)?: return template
            default: return nil
            }
        default: return nil
        }
    }

    @Test func everyFormRoundTrips() throws {
        let endpoints = try EndpointKindsTests.endpointsRoundTrip(
            Self.staticList + """
                <endpoint name="listed"><recipientlist><endpoints value="http://127.0.0.1:9/a, http://127.0.0.1:9/b" max-cache="5"/></recipientlist></endpoint>
                <endpoint name="dynamic" xmlns:m="urn:m"><recipientlist><endpoints value="{//m:targets}"/></recipientlist></endpoint>
                """
        )
        guard case .recipientList(let fanout) = endpoints[0].kind, case .endpoints(let members) = fanout.recipients else {
            Issue.record("not a static recipient list: \(endpoints[0].kind)")
            return
        }
        #expect(members.count == 2)
        #expect(endpoints[2].kind == .recipientList(RecipientListEndpoint(recipients: .addresses(.literal("http://127.0.0.1:9/a, http://127.0.0.1:9/b"), maxCache: 5))))
        guard case .recipientList(let dynamic) = endpoints[3].kind, case .addresses(.expression(let expression), nil) = dynamic.recipients else {
            Issue.record("not a dynamic recipient list: \(endpoints[3].kind)")
            return
        }
        #expect(expression.source == "//m:targets")
        #expect(expression.namespaces["m"] == "urn:m")
    }

    @Test func badListsAreRefusedWithTheReason() {
        #expect(EndpointKindsTests.problems(#"<endpoint name="e"><recipientlist/></endpoint>"#) == [
            "<recipientlist> needs at least one member <endpoint>"
        ])
        #expect(
            EndpointKindsTests.problems(#"<endpoint name="e"><recipientlist><member hostName="h" httpPort="80"/></recipientlist></endpoint>"#)
                .first?.hasPrefix("<member> (cluster members by host and port) is not supported") == true
        )
        #expect(
            EndpointKindsTests.problems(
                #"<endpoint name="e"><recipientlist><endpoints value="http://a"/><endpoint key="b"/></recipientlist></endpoint>"#
            ) == ["<recipientlist> takes <endpoint> children or one <endpoints>, not both or several"]
        )
        #expect(
            EndpointKindsTests.problems(#"<endpoint name="e"><recipientlist><endpoints value="http://a" max-cache="x"/></recipientlist></endpoint>"#)
                == ["'max-cache' of <endpoints> must be a positive number, not 'x'"]
        )
        #expect(EndpointKindsTests.problems(#"<endpoint name="e"><recipientlist><endpoints/></recipientlist></endpoint>"#).count == 1)
        #expect(
            EndpointKindsTests.problems(#"<endpoint name="e"><recipientlist><endpoints value="{get-property(}"/></recipientlist></endpoint>"#)
                .count == 1
        )
    }

    @Test func aListCannotBeAGroupMemberNorACalloutTarget() throws {
        let nested = EndpointKindsTests.compileProblem(
            #"<endpoint name="lb"><loadbalance><endpoint><recipientlist><endpoint key="x"/></recipientlist></endpoint></loadbalance></endpoint>"#
                + #"<endpoint name="x"><address uri="http://127.0.0.1:9/x"/></endpoint>"#
        )
        #expect(nested.contains("a recipientlist endpoint as a member of a load-balance endpoint"), "\(nested)")
        let program = try Self.program(Self.staticList)
        #expect(throws: MediationCompileError.self) {
            try Build.sequence(try MediatorXML.roundTrip(#"<callout endpointKey="fanout"/>"#), program: program)
        }
    }

    @Test func sendCopiesAJSONMessageToEveryRecipient() throws {
        let program = try Self.program(Self.staticList + #"<sequence name="replies"><send/></sequence>"#)
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"q":1}"#)
        context[property: "uri.var.id"] = .string("7")
        let nodes = try MediatorXML.roundTrip(#"<send receive="replies"><endpoint key="fanout"/></send>"#)
        let sequence = try Build.sequence(nodes, program: program)
        #expect(sequence.readsBody)
        var execution = SequenceExecution(sequence: sequence, program: program)
        let split = try Self.split(try execution.run(&context))
        #expect(execution.isFinished)
        #expect(!split.continueParent && !split.sequential)
        #expect(split.branches.count == 2)
        let correlation = split.branches[0].context[property: "aggregateCorelation"]
        #expect(correlation != nil)
        var uris: [String?] = []
        for (index, var branch) in split.branches.enumerated() {
            #expect(branch.context[property: "messageSequence"] == .string("\(index)/2"))
            #expect(branch.context[property: "aggregateCorelation"] == correlation)
            #expect(branch.context.body.string == #"{"q":1}"#)
            let step = try branch.execution.run(&branch.context)
            guard case .send(_, let receive) = step else {
                Issue.record("a copy is sent: \(step.name)")
                continue
            }
            #expect(receive == "replies")
            uris.append(Self.uri(step))
        }
        #expect(uris == ["http://127.0.0.1:9/east", "http://127.0.0.1:9/west/{uri.var.id}"])
    }

    @Test func callCopiesAnXMLMessageAndEachCopyGoesOnAfterTheCall() throws {
        let program = try Self.program(Self.staticList)
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<order><id>4</id></order>")
        let nodes = try MediatorXML.roundTrip(
            #"<call><endpoint key="fanout"/></call><property name="after" expression="//answer"/><respond/>"#
        )
        var execution = SequenceExecution(sequence: try Build.sequence(nodes, program: program), program: program)
        let split = try Self.split(try execution.run(&context))
        #expect(split.branches.count == 2)
        for (index, var branch) in split.branches.enumerated() {
            #expect(branch.context.body.string == "<order><id>4</id></order>")
            let step = try branch.execution.run(&branch.context)
            #expect(step.name == "call")
            branch.context.receiveResponse(
                status: 200,
                headers: HTTPHeaders([("Content-Type", "application/xml")]),
                body: .text("<answer>\(index)</answer>")
            )
            #expect(try branch.execution.run(&branch.context).name == "respond")
            #expect(branch.context[property: "after"] == .string("\(index)"))
        }
    }

    @Test func dynamicAddressesComeFromTheMessageAndKeepTheirEndpointAcrossMessages() throws {
        let program = try Self.program(
            #"<endpoint name="dyn"><recipientlist><endpoints value="{get-property('targets')}" max-cache="2"/></recipientlist></endpoint>"#
        )
        let nodes = try MediatorXML.roundTrip(#"<send><endpoint key="dyn"/></send>"#)
        let sequence = try Build.sequence(nodes, program: program)
        func split(_ targets: String) throws -> MessageSplit {
            var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: "{}")
            context[property: "targets"] = .string(targets)
            var execution = SequenceExecution(sequence: sequence, program: program)
            return try Self.split(try execution.run(&context))
        }
        let first = try split(" http://127.0.0.1:9/a ,, http://127.0.0.1:9/b,").branches
        #expect(first.count == 2)
        #expect(first.map { $0.context[property: "messageSequence"] } == [.string("0/2"), .string("1/2")])
        var uris: [String?] = []
        for var branch in first { uris.append(Self.uri(try branch.execution.run(&branch.context))) }
        #expect(uris == ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"])
        // The address seen before keeps its endpoint, so its suspension state: suspend it and a new message skips it.
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        guard case .leaf(let leaf)? = first[0].recipient?.kind else {
            Issue.record("a dynamic recipient is an address endpoint")
            return
        }
        leaf.state.recordFailure(errorCode: SynapseErrorCode.connectionFailed, now: now)
        var second = try split("http://127.0.0.1:9/a,http://127.0.0.1:9/b")
        #expect(second.skipUnreadyRecipients(now: now) == nil)
        #expect(second.branches.count == 1)
        // Nothing to send to: no copies, the message ends without a fault (Synapse only logs it).
        #expect(try split(" , ").branches.isEmpty)
    }

    @Test func recipientsThatAreNotReadyGetNoCopyAndNoneReadyFaults() throws {
        let program = try Self.program(Self.staticList)
        let nodes = try MediatorXML.roundTrip(#"<send><endpoint key="fanout"/></send>"#)
        var context = Build.context(method: "POST", body: "<a/>")
        var execution = SequenceExecution(sequence: try Build.sequence(nodes, program: program), program: program)
        var split = try Self.split(try execution.run(&context))
        let now = NIODeadline.uptimeNanoseconds(5_000_000_000)
        let fanout = try #require(program.endpoints["fanout"])
        #expect(fanout.isReady(now: now))
        for leaf in fanout.leaves { leaf.state.recordFailure(errorCode: SynapseErrorCode.connectionFailed, now: now) }
        #expect(!fanout.isReady(now: now))
        let skipped = split.skipUnreadyRecipients(now: now)
        let fault = try #require(skipped)
        #expect(fault.code == 303000)
        #expect(fault.message == "Recipient List endpoint : fanout - no ready child endpoints")
        #expect(split.branches.isEmpty)
        // Clone targets are not a recipient list: they are never skipped.
        var clone = try Self.split(
            try Build.run(
                try MediatorXML.roundTrip(#"<clone><target endpoint="west"/></clone>"#),
                on: &context,
                program: program
            )
        )
        #expect(clone.skipUnreadyRecipients(now: now) == nil)
        #expect(clone.branches.count == 1)
    }

    @Test func aKeyExpressionNamingAListSplitsTheMessage() throws {
        let program = try Self.program(Self.staticList)
        let nodes = try MediatorXML.roundTrip(#"<send><endpoint key-expression="get-property('target')"/></send>"#)
        let sequence = try Build.sequence(nodes, program: program)
        #expect(sequence.readsBody, "a key that may name a recipient list buffers the body")
        var context = Build.context(method: "POST", body: "<a/>")
        context[property: "target"] = .string("fanout")
        var execution = SequenceExecution(sequence: sequence, program: program)
        #expect(try Self.split(try execution.run(&context)).branches.count == 2)
        context[property: "target"] = .string("west")
        execution = SequenceExecution(sequence: sequence, program: program)
        #expect(try execution.run(&context).name == "send")
    }
}

extension ResolvedEndpoint.Kind {
    fileprivate var leafTarget: EndpointLeaf.Target? {
        if case .leaf(let leaf) = self { return leaf.target }
        return nil
    }
}
