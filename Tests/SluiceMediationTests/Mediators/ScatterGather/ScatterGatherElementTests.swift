import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import Testing

/// WSO2 Micro Integrator 4.4's `<scatter-gather>`: copies run each sequence, the results are gathered into a JSON
/// array or an XML root element, and the message goes on after the mediator with them in its body or a variable.
@Suite struct ScatterGatherElementTests {
    struct Unexpected: Error {}

    static func payload(_ json: String) -> String {
        #"<payloadFactory media-type="json"><format>\#(json)</format><args/></payloadFactory>"#
    }

    /// Runs `mediators` over `body`, runs every copy to its gathering step, and goes on with the message that
    /// completes the gathering. Returns that message and how many copies were made.
    static func run(
        _ mediators: String,
        body: String = #"{"order": 7}"#,
        contentType: String = "application/json",
        order: [Int]? = nil
    ) throws -> (MessageContext, copies: Int) {
        var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
        context[property: "before"] = "kept"
        var execution = SequenceExecution(sequence: try Build.sequence(try MediatorXML.roundTrip(mediators)), program: .empty)
        guard case .split(let split) = try execution.run(&context) else { throw Unexpected() }
        #expect(execution.isFinished)
        var aggregation = MessageAggregation()
        var merged: MessageBranch?
        for index in order ?? Array(split.branches.indices) {
            var branch = split.branches[index]
            let step = try branch.execution.run(&branch.context)
            guard case .aggregate(let contribution) = step else {
                #expect(step.name == "finished")
                continue
            }
            if case .completed(let completed) = try aggregation.add(contribution, branch) { merged = completed }
        }
        guard var merged else { throw Unexpected() }
        #expect(try merged.execution.run(&merged.context).name == "finished")
        return (merged.context, split.branches.count)
    }

    @Test func gathersJSONIntoTheBodyAndGoesOn() throws {
        let (context, copies) = try Self.run(
            """
            <scatter-gather target="body" result-content-type="JSON">
              <aggregation expression="${payload}"/>
              <sequence>\(Self.payload(#"{"a": 1}"#))</sequence>
              <sequence><property name="inner" value="x"/>\(Self.payload(#"{"b": "two"}"#))</sequence>
            </scatter-gather>
            <property name="after" expression="${payload[1].b + '!'}"/>
            """
        )
        #expect(copies == 2)
        #expect(context.body.string == #"[{"a":1},{"b":"two"}]"#)
        #expect(context.headers.first(name: "Content-Type") == "application/json")
        #expect(context[property: "after"]?.stringValue == "two!")
        // target="body" goes on with the last result gathered (its properties included), as Synapse does.
        #expect(context[property: "inner"]?.stringValue == "x")
    }

    @Test func gathersIntoAVariableOfTheOriginalMessage() throws {
        let (context, _) = try Self.run(
            """
            <scatter-gather parallel-execution="false" target="variable" target-variable="results" result-content-type="JSON">
              <aggregation expression="${payload.n}"/>
              <sequence><property name="inner" value="x"/>\(Self.payload(#"{"n": 1}"#))</sequence>
              <sequence>\(Self.payload(#"{"n": 2}"#))</sequence>
              <sequence>\(Self.payload(#"{"n": 3}"#))</sequence>
            </scatter-gather>
            <property name="sum" expression="${vars.results[0] + vars.results[1] + vars.results[2]}"/>
            <property name="order" expression="${payload.order}"/>
            """
        )
        #expect(context[property: "sum"]?.stringValue == "6")
        #expect(context[property: "order"]?.stringValue == "7")
        #expect(context[property: "before"]?.stringValue == "kept")
        #expect(context[property: "inner"] == nil)
    }

    @Test func gathersXMLUnderTheRootElement() throws {
        let (context, _) = try Self.run(
            """
            <scatter-gather target="body" result-content-type="XML" result-enclosing-element="quotes">
              <aggregation expression="${payload}"/>
              <sequence><payloadFactory media-type="xml"><format><q xmlns="">1</q></format><args/></payloadFactory></sequence>
              <sequence><payloadFactory media-type="xml"><format><q xmlns="">2</q></format><args/></payloadFactory></sequence>
            </scatter-gather>
            """,
            body: "<order/>",
            contentType: "application/xml"
        )
        #expect(context.body.string == #"<quotes><q xmlns="">1</q><q xmlns="">2</q></quotes>"#)
    }

    @Test func conditionLeavesResultsOut() throws {
        let (context, _) = try Self.run(
            """
            <scatter-gather target="body" result-content-type="JSON">
              <aggregation expression="${payload}" condition="${payload.ok}" min-messages="1"/>
              <sequence>\(Self.payload(#"{"ok": false}"#))</sequence>
              <sequence>\(Self.payload(#"{"ok": true, "n": 2}"#))</sequence>
            </scatter-gather>
            """
        )
        #expect(context.body.string == #"[{"ok":true,"n":2}]"#)
    }

    @Test func roundTripsEveryAttribute() throws {
        let read = try MediatorXML.roundTrip(
            """
            <scatter-gather parallel-execution="false" target="variable" target-variable="v" result-content-type="XML" result-enclosing-element="r">
              <aggregation expression="${xpath('//a')}" condition="${exists(payload)}" timeout="500" min-messages="1" max-messages="{$ctx:max}"/>
              <sequence><log/></sequence>
              <sequence><drop/></sequence>
            </scatter-gather>
            """
        )
        let mediator = try #require(read.first?.as(ScatterGatherMediator.self))
        #expect(mediator.parallelExecution == false)
        #expect(mediator.target == .variable("v"))
        #expect(mediator.contentType == .xml(rootElement: "r"))
        #expect(mediator.sequences.count == 2)
        #expect(mediator.aggregation.timeoutMilliseconds == 500)
    }

    @Test(arguments: [
        (#"<scatter-gather target="body"><aggregation expression="${payload}"/><sequence/></scatter-gather>"#, "result-content-type"),
        (#"<scatter-gather result-content-type="JSON"><aggregation expression="${payload}"/><sequence/></scatter-gather>"#, "attribute 'target'"),
        (#"<scatter-gather target="variable" result-content-type="JSON"><aggregation expression="${payload}"/><sequence/></scatter-gather>"#, "target-variable"),
        (#"<scatter-gather target="body" result-content-type="XML"><aggregation expression="${payload}"/><sequence/></scatter-gather>"#, "result-enclosing-element"),
        (#"<scatter-gather target="body" result-content-type="CSV"><aggregation expression="${payload}"/><sequence/></scatter-gather>"#, "JSON or XML"),
        (#"<scatter-gather target="body" result-content-type="JSON"><sequence/></scatter-gather>"#, "<aggregation>"),
        (#"<scatter-gather target="body" result-content-type="JSON"><aggregation expression="${payload}"/></scatter-gather>"#, "<sequence>"),
        (#"<scatter-gather target="body" result-content-type="JSON"><aggregation expression="${payload +}"/><sequence/></scatter-gather>"#, "column"),
    ])
    func refusesBrokenConfigurations(xml: String, expected: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
    }
}
