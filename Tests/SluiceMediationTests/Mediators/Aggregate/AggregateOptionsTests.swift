import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

/// WSO2's `aggregateElementType` and `{expression}` message counts of `<aggregate>`.
@Suite struct AggregateOptionsTests {
    static func sequence(aggregate: String) -> String {
        """
        <iterate expression="json-eval($.items)"><target><sequence><call>\
        <endpoint><address uri="http://127.0.0.1:9/items"/></endpoint></call></sequence></target></iterate>\
        \(aggregate)
        """
    }

    /// Splits three items, answers each part's call with `answers[i]`, and feeds the parts to one aggregation.
    /// - Returns: The merged message and how many parts arrived after the group completed.
    static func aggregate(_ mediators: String, answers: [String], want: String? = nil) throws -> (MessageBranch?, late: Int) {
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"items":[{"n":1},{"n":2},{"n":3}]}"#
        )
        if let want { context[property: "want"] = .string(want) }
        var execution = SequenceExecution(sequence: try Build.sequence(try MediatorXML.roundTrip(mediators)), program: .empty)
        guard case .split(let split) = try execution.run(&context) else { throw Unexpected() }
        var aggregation = MessageAggregation()
        var merged: MessageBranch?
        var late = 0
        for (index, var branch) in split.branches.enumerated() {
            guard case .call = try branch.execution.run(&branch.context) else { throw Unexpected() }
            branch.context.receiveResponse(
                status: 200,
                headers: HTTPHeaders([("Content-Type", "application/json")]),
                body: .text(answers[index])
            )
            guard case .aggregate(let contribution) = try branch.execution.run(&branch.context) else { throw Unexpected() }
            switch try aggregation.add(contribution, branch) {
            case .collected: break
            case .completed(let branch): merged = branch
            case .late: late += 1
            }
        }
        return (merged, late)
    }

    struct Unexpected: Error {}

    @Test func elementTypeAndCountExpressionsRoundTrip() throws {
        let nodes = try MediatorXML.roundTrip(
            #"<aggregate><completeCondition><messageCount min="{get-property('want')}" max="3"/></completeCondition>"#
                + #"<onComplete expression="json-eval($)" aggregateElementType="child"><respond/></onComplete></aggregate>"#
        )
        let aggregate = try #require(nodes.first?.as(AggregateMediator.self))
        #expect(aggregate.elementType == .child)
        #expect(aggregate.maximumMessages == .count(3))
        guard case .expression(let expression)? = aggregate.minimumMessages else {
            Issue.record("min is an expression")
            return
        }
        #expect(expression.source == "get-property('want')")
        #expect(try MediatorXML.roundTrip(#"<aggregate><completeCondition><messageCount min="-1" max="2.0"/></completeCondition><onComplete expression="//a"/></aggregate>"#).first?.as(AggregateMediator.self)?.maximumMessages == .count(2))
    }

    @Test func badOptionsAreRefused() {
        #expect(
            MediatorXML.problems(#"<aggregate><onComplete expression="//a" aggregateElementType="leaf"/></aggregate>"#).count == 1
        )
        #expect(
            MediatorXML.problems(#"<aggregate><completeCondition><messageCount min="few"/></completeCondition><onComplete expression="//a"/></aggregate>"#)
                == ["'min' of <messageCount> must be a number or a {expression}, not 'few'"]
        )
        #expect(
            MediatorXML.problems(#"<aggregate><completeCondition><messageCount max="{get-property(}"/></completeCondition><onComplete expression="//a"/></aggregate>"#)
                .count == 1
        )
    }

    @Test func childMergesEveryPartsMembersIntoOneObject() throws {
        let (merged, late) = try Self.aggregate(
            Self.sequence(aggregate: #"<aggregate><onComplete expression="json-eval($)" aggregateElementType="child"><respond/></onComplete></aggregate>"#),
            answers: [#"{"a":1,"tags":["x"],"o":{"p":1}}"#, #"{"b":2,"tags":["y"],"o":{"q":2}}"#, #"{"a":3}"#]
        )
        var branch = try #require(merged)
        #expect(late == 0)
        #expect(branch.context.body.string == #"{"a":[1,3],"tags":["x","y"],"o":{"p":1,"q":2},"b":2}"#)
        #expect(try branch.execution.run(&branch.context).name == "respond")
        // `root` (the default) keeps each part's value as one element of an array.
        let (rooted, _) = try Self.aggregate(
            Self.sequence(aggregate: #"<aggregate><onComplete expression="json-eval($.a)" aggregateElementType="root"/></aggregate>"#),
            answers: [#"{"a":1}"#, #"{"a":2}"#, #"{"a":3}"#]
        )
        #expect(rooted?.context.body.string == "[1,2,3]")
    }

    @Test func childRefusesValuesThatAreNotObjects() throws {
        #expect(throws: MediationFault.self) {
            try Self.aggregate(
                Self.sequence(aggregate: #"<aggregate><onComplete expression="json-eval($.a)" aggregateElementType="child"/></aggregate>"#),
                answers: [#"{"a":1}"#, #"{"a":2}"#, #"{"a":3}"#]
            )
        }
    }

    @Test func anExpressionMinimumIsEvaluatedOnTheFirstPart() throws {
        let completion = #"<completeCondition><messageCount min="{get-property('want')}"/></completeCondition>"#
        let (merged, late) = try Self.aggregate(
            Self.sequence(aggregate: #"<aggregate>\#(completion)<onComplete expression="json-eval($.a)"/></aggregate>"#),
            answers: [#"{"a":1}"#, #"{"a":2}"#, #"{"a":3}"#],
            want: "2"
        )
        #expect(merged?.context.body.string == "[1,2]")
        #expect(late == 1)
        // A value that is not a number faults the part that starts the group.
        #expect(throws: MediationFault.self) {
            try Self.aggregate(
                Self.sequence(aggregate: #"<aggregate>\#(completion)<onComplete expression="json-eval($.a)"/></aggregate>"#),
                answers: [#"{"a":1}"#, #"{"a":2}"#, #"{"a":3}"#],
                want: "many"
            )
        }
    }

    @Test func xmlPartsStillMergeAsElements() throws {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<items><i>1</i><i>2</i></items>")
        let mediators = try MediatorXML.roundTrip(
            #"<iterate expression="//i"><target><sequence><call><endpoint><address uri="http://127.0.0.1:9/x"/></endpoint></call></sequence></target></iterate>"#
                + #"<aggregate><completeCondition><messageCount max="{2}"/></completeCondition><onComplete expression="//r"/></aggregate>"#
        )
        var execution = SequenceExecution(sequence: try Build.sequence(mediators), program: .empty)
        guard case .split(let split) = try execution.run(&context) else { throw Unexpected() }
        var aggregation = MessageAggregation()
        var merged: MessageBranch?
        for (index, var branch) in split.branches.enumerated() {
            _ = try branch.execution.run(&branch.context)
            branch.context.receiveResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/xml")]), body: .text("<r>\(index)</r>"))
            guard case .aggregate(let contribution) = try branch.execution.run(&branch.context) else { throw Unexpected() }
            if case .completed(let done) = try aggregation.add(contribution, branch) { merged = done }
        }
        #expect(merged?.context.body.string?.contains("<r>0</r><r>1</r>") == true)
    }
}
