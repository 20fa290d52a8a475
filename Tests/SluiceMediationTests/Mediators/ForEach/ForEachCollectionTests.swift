import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

/// WSO2 Micro Integrator 4.4's `<foreach collection=...>`: each element runs the sequence as a message of its own and
/// the results replace the collection in the original message, or go into a variable.
@Suite struct ForEachCollectionTests {
    static let order = #"{"id": 7, "items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2}, {"sku": "c", "qty": 3}]}"#

    /// Runs `mediators`, each copy to its end (in `order` of copies), and the original on after the foreach.
    static func run(_ mediators: String, body: String = order, contentType: String = "application/json", order: [Int]? = nil)
        throws -> MessageContext
    {
        var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
        var execution = SequenceExecution(sequence: try Build.sequence(try MediatorXML.roundTrip(mediators)), program: .empty)
        guard case .split(let split) = try execution.run(&context) else {
            return context
        }
        if split.continueParent {
            #expect(try execution.run(&context).name == "finished")
            return context
        }
        var aggregation = MessageAggregation()
        var merged: MessageBranch?
        for index in order ?? Array(split.branches.indices) {
            var branch = split.branches[index]
            guard case .aggregate(let contribution) = try branch.execution.run(&branch.context) else { continue }
            if case .completed(let completed) = try aggregation.add(contribution, branch) { merged = completed }
        }
        guard var merged else { throw ScatterGatherElementTests.Unexpected() }
        #expect(try merged.execution.run(&merged.context).name == "finished")
        return merged.context
    }

    @Test func updatesTheOriginalCollectionInOrder() throws {
        let context = try Self.run(
            """
            <foreach collection="${payload.items}">
              <sequence><payloadFactory media-type="json"><format>{"sku": "${toUpper(payload.sku)}", "twice": ${payload.qty * 2}}</format><args/></payloadFactory></sequence>
            </foreach>
            <property name="after" expression="${payload.items[2].twice}"/>
            """,
            order: [2, 0, 1]
        )
        #expect(context.body.string == #"{"id":7,"items":[{"sku":"A","twice":2},{"sku":"B","twice":4},{"sku":"C","twice":6}]}"#)
        #expect(context[property: "after"]?.stringValue == "6")
    }

    @Test func gathersIntoAVariableWithACounter() throws {
        let context = try Self.run(
            """
            <foreach collection="${payload.items}" parallel-execution="false" update-original="false" target-variable="skus" result-content-type="JSON" counter-variable="i">
              <sequence><payloadFactory media-type="json"><format>{"n": ${vars.i}, "sku": "${payload.sku}"}</format><args/></payloadFactory></sequence>
            </foreach>
            <property name="second" expression="${vars.skus[1].sku + string(vars.skus[1].n)}"/>
            """
        )
        #expect(context[property: "second"]?.stringValue == "b1")
        #expect(context.body.string == Self.order)
    }

    @Test func xmlCollectionGathersUnderARoot() throws {
        let context = try Self.run(
            """
            <foreach collection="${xpath('//item')}" update-original="false" target-variable="v" result-content-type="XML" result-enclosing-element="done">
              <sequence><payloadFactory media-type="xml"><format><ok xmlns="">${xpath('//@id')}</ok></format><args/></payloadFactory></sequence>
            </foreach>
            <property name="all" expression="${vars.v}"/>
            """,
            body: #"<order><item id="1"/><item id="2"/></order>"#,
            contentType: "application/xml"
        )
        #expect(context[property: "all"]?.stringValue == #"<done><ok xmlns="">1</ok><ok xmlns="">2</ok></done>"#)
    }

    @Test func continueWithoutAggregationLetsTheOriginalGoOn() throws {
        let context = try Self.run(
            """
            <foreach collection="${payload.items}" continue-without-aggregation="true">
              <sequence><log/></sequence>
            </foreach>
            <property name="went" value="on"/>
            """
        )
        #expect(context[property: "went"]?.stringValue == "on")
        #expect(context.body.string == Self.order)
    }

    @Test(arguments: [
        (#"<foreach collection="${payload.x}" counter-variable="i"><sequence/></foreach>"#, "not allowed when parallel-execution is true"),
        (#"<foreach collection="${payload.x}" update-original="false"><sequence/></foreach>"#, "needs 'result-content-type' and 'target-variable'"),
        (#"<foreach collection="${payload.x}" update-original="false" target-variable="v" result-content-type="XML"><sequence/></foreach>"#, "result-enclosing-element"),
        (#"<foreach collection="${payload.x}"/>"#, "needs a <sequence>"),
        (#"<foreach collection="${payload.}"><sequence/></foreach>"#, "column"),
    ])
    func refusesBrokenConfigurations(xml: String, expected: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
    }

    @Test func updateOriginalNeedsAPlainPath() throws {
        let read = try MediatorXML.roundTrip(#"<foreach collection="${xpath('//a')}"><sequence><log/></sequence></foreach>"#)
        #expect(throws: MediationCompileError.self) { try Build.sequence(read) }
    }
}
