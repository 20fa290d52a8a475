import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

/// `iterate`, `clone` and `aggregate` in the mediation engine: splitting, the branches' executions, aggregation.
@Suite struct ScatterGatherMediatorTests {
    static let iterateJSON = """
        <iterate id="lines" expression="json-eval($.order.lines)">\
        <target><sequence><property name="sku" expression="json-eval($.sku)"/><call>\
        <endpoint><address uri="http://127.0.0.1:9/items"/></endpoint></call></sequence></target></iterate>\
        <aggregate id="lines"><completeCondition timeout="5"><messageCount min="-1" max="-1"/></completeCondition>\
        <onComplete expression="json-eval($.price)"><property name="done" value="yes"/><respond/></onComplete></aggregate>
        """

    static func split(_ step: MediationStep) -> MessageSplit? {
        if case .split(let split) = step { return split }
        return nil
    }

    @Test func roundTripsIterateCloneAndAggregate() throws {
        let nodes = try MediatorXML.roundTrip(Self.iterateJSON)
        let iterate = try #require(nodes.first?.as(IterateMediator.self))
        #expect(iterate.id == "lines")
        let aggregate = try #require(nodes.last?.as(AggregateMediator.self))
        #expect(aggregate.timeoutSeconds == 5)
        let clone = try #require(
            try MediatorXML.roundTrip(
                #"<clone id="c" sequential="true" continueParent="true"><target endpoint="a" soapAction="urn:x"/>"#
                    + #"<target sequence="b"/><target><endpoint><address uri="http://127.0.0.1:9/c"/></endpoint></target></clone>"#
            ).first?.as(CloneMediator.self)
        )
        #expect(clone.targets.count == 3)
        #expect(clone.sequential && clone.continueParent)
        let preserving = try #require(
            try MediatorXML.roundTrip(
                #"<iterate expression="//item" preservePayload="true" attachPath="//items"><target sequence="s"/></iterate>"#
            ).first?.as(IterateMediator.self)
        )
        #expect(preserving.attachPath?.source == "//items")
    }

    @Test func badConfigurationsAreReported() throws {
        #expect(MediatorXML.problems(#"<iterate expression="//a"/>"#) == ["<iterate> needs a <target>"])
        #expect(MediatorXML.problems("<clone/>") == ["<clone> needs at least one <target>"])
        // Several destinations: Synapse's precedence picks one (inline sequence, sequence key, inline endpoint, key).
        let both = try MediatorXML.roundTrip(
            #"<clone><target sequence="a" endpoint="b"><endpoint><address uri="http://127.0.0.1:9/c"/></endpoint></target></clone>"#
        ).first?.as(CloneMediator.self)
        #expect(both?.targets.first?.destination == .sequence(.key("a")))
        let endpoints = try MediatorXML.roundTrip(
            #"<clone><target endpoint="b"><endpoint><address uri="http://127.0.0.1:9/c"/></endpoint></target></clone>"#
        ).first?.as(CloneMediator.self)
        #expect(endpoints?.targets.first?.destination == .endpoint(Build.address("http://127.0.0.1:9/c")))
        #expect(MediatorXML.problems("<aggregate/>") == ["<aggregate> needs an <onComplete>"])
    }

    /// IterateMediatorFactory's default XPath attach path `.` selects the envelope: each part goes after the SOAP
    /// Body, which keeps the rest of the payload; a plain XML message is written from the Body, so its part is the
    /// payload without the split elements.
    @Test func preservePayloadWithoutAttachPathOnXMLAttachesToTheEnvelope() throws {
        let nodes = try MediatorXML.roundTrip(
            #"<iterate expression="//line" preservePayload="true"><target><sequence><drop/></sequence></target></iterate>"#
        )
        var pox = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<order><id>7</id><line>a</line><line>b</line></order>")
        var execution = SequenceExecution(sequence: try Build.sequence(nodes), program: .empty)
        let split = try #require(Self.split(try execution.run(&pox)))
        #expect(split.branches.map { $0.context.body.string } == ["<order><id>7</id></order>", "<order><id>7</id></order>"])

        let soap = """
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><order><id>7</id><line>a</line>\
            <line>b</line></order></s:Body></s:Envelope>
            """
        var soapContext = Build.context(method: "POST", headers: [("Content-Type", "text/xml")], body: soap)
        var soapExecution = SequenceExecution(sequence: try Build.sequence(nodes), program: .empty)
        let soapSplit = try #require(Self.split(try soapExecution.run(&soapContext)))
        #expect(soapSplit.branches.count == 2)
        let first = soapSplit.branches.first?.context.body.string ?? ""
        #expect(first.contains("<order><id>7</id></order></s:Body><line>a</line></s:Envelope>"), "\(first)")
    }

    /// IterateMediatorFactory's default attach path for a JSON path is `$`: each part replaces the whole body.
    @Test func preservePayloadWithoutAttachPathOnJSONGivesEachPartAlone() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"keep":1,"order":{"lines":[{"sku":"a"},{"sku":"b"}]}}"#
        )
        let nodes = try MediatorXML.roundTrip(
            #"<iterate expression="json-eval($.order.lines)" preservePayload="true"><target><sequence><drop/></sequence></target></iterate>"#
        )
        #expect(nodes.first?.as(IterateMediator.self)?.preservePayload == true)
        var execution = SequenceExecution(sequence: try Build.sequence(nodes), program: .empty)
        let split = try #require(Self.split(try execution.run(&context)))
        #expect(split.branches.map { $0.context.body.string } == [#"{"sku":"a"}"#, #"{"sku":"b"}"#])
    }

    @Test func iterateSplitsAJSONArrayIntoMarkedMessagesThatContinueAfterTheirCall() throws {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"order":{"lines":[{"sku":"a"},{"sku":"b"},{"sku":"c"}]}}"#
        )
        var execution = SequenceExecution(sequence: try Build.sequence(try MediatorXML.roundTrip(Self.iterateJSON)), program: .empty)
        let split = try #require(Self.split(try execution.run(&context)))
        #expect(execution.isFinished)
        #expect(split.branches.count == 3)
        #expect(!split.sequential && !split.continueParent)
        var aggregation = MessageAggregation()
        var completed: MessageBranch?
        for (index, var branch) in split.branches.enumerated() {
            #expect(branch.context[property: "messageSequence.lines"] == .string("\(index)/3"))
            #expect(branch.context.body.string == #"{"sku":"\#(["a", "b", "c"][index])"}"#)
            guard case .call = try branch.execution.run(&branch.context) else {
                Issue.record("the target calls")
                return
            }
            #expect(branch.context[property: "sku"] == .string(["a", "b", "c"][index]))
            branch.context.receiveResponse(
                status: 200,
                headers: HTTPHeaders([("Content-Type", "application/json")]),
                body: .text(#"{"price":\#(index + 1)}"#)
            )
            // After the call the target ends and the message goes on to the aggregate after the iterate.
            guard case .aggregate(let contribution) = try branch.execution.run(&branch.context) else {
                Issue.record("the branch reaches the aggregate")
                return
            }
            switch try aggregation.add(contribution, branch) {
            case .collected(let timer):
                #expect((timer != nil) == (index == 0))
            case .completed(let merged):
                completed = merged
            case .late:
                Issue.record("not late")
            }
        }
        var merged = try #require(completed)
        #expect(merged.context.body.string == "[1,2,3]")
        #expect(try merged.execution.run(&merged.context).name == "respond")
        #expect(merged.context[property: "done"] == .string("yes"))
        #expect(!aggregation.isWaiting)
    }

    @Test func aTargetWithoutACallEndsItsMessageAndNoMatchSplitsNothing() throws {
        let mediators = try MediatorXML.roundTrip(
            #"<iterate expression="//item" continueParent="true"><target><sequence><property name="seen" value="1"/>"#
                + #"</sequence></target></iterate><property name="after" value="parent"/>"#
        )
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<items><item>1</item></items>")
        var execution = SequenceExecution(sequence: try Build.sequence(mediators), program: .empty)
        let split = try #require(Self.split(try execution.run(&context)))
        var branch = split.branches[0]
        #expect(branch.context.body.string == "<item>1</item>")
        #expect(try branch.execution.run(&branch.context).name == "finished")
        #expect(branch.context[property: "after"] == nil)
        #expect(try execution.run(&context).name == "finished")
        #expect(context[property: "after"] == .string("parent"))

        var empty = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<items/>")
        var again = SequenceExecution(sequence: try Build.sequence(mediators), program: .empty)
        #expect(Self.split(try again.run(&empty))?.branches.count == 0)
    }

    @Test func cloneCopiesTheMessagePerTarget() throws {
        let mediators = try MediatorXML.roundTrip(
            #"<clone><target soapAction="urn:a"><endpoint><address uri="http://127.0.0.1:9/a"/></endpoint></target>"#
                + #"<target><sequence><respond/></sequence></target></clone>"#
        )
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"x":1}"#)
        var execution = SequenceExecution(sequence: try Build.sequence(mediators), program: .empty)
        let split = try #require(Self.split(try execution.run(&context)))
        #expect(split.branches.map(\.context.body.string) == [#"{"x":1}"#, #"{"x":1}"#])
        var first = split.branches[0]
        #expect(try first.execution.run(&first.context).name == "send")
        #expect(first.context.lookupProperty(scope: .default, name: "Action") == .string("urn:a"))
        var second = split.branches[1]
        #expect(try second.execution.run(&second.context).name == "respond")
    }

    @Test func xmlAggregationEnclosesTheElementsAndATimeoutCompletesWithWhatArrived() throws {
        let aggregate = try MediatorXML.roundTrip(
            #"<aggregate><completeCondition timeout="2"/><onComplete expression="//quote" enclosingElementProperty="wrap">"#
                + #"<property name="merged" value="1"/></onComplete></aggregate>"#
        )
        let sequence = try Build.sequence(aggregate)
        var aggregation = MessageAggregation()
        var timerKey: MessageAggregation.Key?
        for price in ["1", "2"] {
            var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<r><quote>\(price)</quote></r>")
            context[property: "aggregateCorelation"] = "urn:one"
            context[property: "messageSequence"] = "0/3"
            context[property: "wrap"] = .xml(#"<quotes xmlns="urn:q"/>"#)
            var execution = SequenceExecution(sequence: sequence, program: .empty)
            guard case .aggregate(let contribution) = try execution.run(&context) else {
                Issue.record("aggregate collects split messages")
                return
            }
            if case .collected(let timer) = try aggregation.add(contribution, MessageBranch(context: context, execution: execution)),
                let timer
            {
                timerKey = timer.key
                #expect(timer.after == .seconds(2))
            }
        }
        // The third message never comes: the timer fires.
        let key = try #require(timerKey)
        var merged = try #require(try aggregation.expire(key))
        #expect(merged.context.body.string == #"<quotes xmlns="urn:q"><quote>1</quote><quote>2</quote></quotes>"#)
        _ = try merged.execution.run(&merged.context)
        #expect(merged.context[property: "merged"] == .string("1"))
        #expect(try aggregation.expire(key) == nil)
    }

    @Test func anUnsplitMessagePassesTheAggregateAndAJSONPathThatIsNotAnArrayFaults() throws {
        var plain = Build.context()
        let aggregate = try MediatorXML.roundTrip(
            #"<aggregate><onComplete expression="//a"><drop/></onComplete></aggregate><property name="passed" value="1"/>"#
        )
        #expect(try Build.run(aggregate, on: &plain).name == "finished")
        #expect(plain[property: "passed"] == .string("1"))

        var object = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"a":{"b":1}}"#)
        #expect(throws: MediationFault.self) {
            try Build.run(
                try MediatorXML.roundTrip(#"<iterate expression="json-eval($.a)"><target><sequence><log/></sequence></target></iterate>"#),
                on: &object,
                program: .empty
            )
        }
    }
}
