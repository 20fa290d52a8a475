import NIOHTTP1
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `{{path}}` template arguments (Synapse's escaped expressions): the template receives the path itself, and
/// `$func:name` in an XPath — an `iterate` expression, an `aggregate`'s `onComplete`, a `foreach`, a filter —
/// selects what the path selects in the message at that moment.
@Suite struct TemplatePathParameterTests {
    /// A splitter and a collector written as the EIP templates are: the paths come from the caller.
    static let templates = """
        <definitions xmlns="http://ws.apache.org/ns/synapse">
            <template name="splitter">
                <parameter name="iter"/>
                <sequence>
                    <iterate expression="$func:iter">
                        <target><sequence>
                            <property name="sku" expression="//sku"/>
                            <call><endpoint><address uri="http://127.0.0.1:9/stock"/></endpoint></call>
                        </sequence></target>
                    </iterate>
                </sequence>
            </template>
            <template name="collector">
                <parameter name="aggr"/>
                <sequence>
                    <aggregate>
                        <completeCondition><messageCount min="-1" max="-1"/></completeCondition>
                        <onComplete expression="$func:aggr"><property name="done" value="yes"/><respond/></onComplete>
                    </aggregate>
                </sequence>
            </template>
            <template name="reader">
                <parameter name="p"/>
                <parameter name="fallback" default="{{//id}}"/>
                <sequence>
                    <property name="selected" expression="$func:p"/>
                    <property name="text" expression="get-property('func', 'p')"/>
                    <filter xpath="count($func:p) = 1"><then><property name="one" value="true"/></then></filter>
                    <property name="fromDefault" expression="$func:fallback"/>
                </sequence>
            </template>
        </definitions>
        """

    private func program() throws -> MediationProgram {
        try MediationCompiler().compileProgram(SynapseParser().parse(xml: Self.templates, fileName: "templates.xml"))
    }

    static func split(_ step: MediationStep) -> MessageSplit? {
        if case .split(let split) = step { return split }
        return nil
    }

    @Test func pathArgumentsRoundTripWithTheirNamespaces() throws {
        let mediator = try #require(
            try MediatorXML.roundTrip(
                #"<call-template target="t"><with-param xmlns:o="urn:o" name="p" value="{{//o:order/o:line}}"/></call-template>"#
            ).first?.as(CallTemplateMediator.self)
        )
        #expect(mediator.parameters.map(\.value) == [.path(Build.expression("//o:order/o:line", namespaces: ["o": "urn:o"]))])
        #expect(mediator.parameters.first?.value.text == "{{//o:order/o:line}}")
    }

    @Test func splitAndCollectByThePathsTheCallerPasses() throws {
        for (body, contentType, path) in [
            ("<order><line><sku>a</sku></line><line><sku>b</sku></line></order>", "application/xml", "//order/line"),
            (#"{"order":{"line":[{"sku":"a"},{"sku":"b"}]}}"#, "application/json", "//line"),
        ] {
            let program = try program()
            let mediators = try MediatorXML.roundTrip(
                #"<call-template target="splitter"><with-param name="iter" value="{{\#(path)}}"/></call-template>"#
                    + #"<call-template target="collector"><with-param xmlns:q="urn:q" name="aggr" value="{{//q:price}}"/></call-template>"#
            )
            var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
            var execution = SequenceExecution(sequence: try Build.sequence(mediators, program: program), program: program)
            let split = try #require(Self.split(try execution.run(&context)))
            #expect(split.branches.count == 2, "\(contentType)")
            var aggregation = MessageAggregation()
            var completed: MessageBranch?
            for (index, var branch) in split.branches.enumerated() {
                #expect(branch.context.body.string == "<line><sku>\(["a", "b"][index])</sku></line>")
                guard case .call = try branch.execution.run(&branch.context) else {
                    Issue.record("the target calls")
                    return
                }
                #expect(branch.context[property: "sku"] == .string(["a", "b"][index]))
                branch.context.receiveResponse(
                    status: 200,
                    headers: HTTPHeaders([("Content-Type", "application/xml")]),
                    body: .text(#"<q:quote xmlns:q="urn:q"><q:price>\#(index + 1)</q:price></q:quote>"#)
                )
                guard case .aggregate(let contribution) = try branch.execution.run(&branch.context) else {
                    Issue.record("the branch reaches the collector's aggregate")
                    return
                }
                if case .completed(let merged) = try aggregation.add(contribution, branch) { completed = merged }
            }
            var merged = try #require(completed)
            let mergedBody = try #require(merged.context.body.string)
            #expect(mergedBody.contains(#"<q:price xmlns:q="urn:q">1</q:price><q:price xmlns:q="urn:q">2</q:price>"#), "\(mergedBody)")
            #expect(try merged.execution.run(&merged.context).name == "respond")
            #expect(merged.context[property: "done"] == .string("yes"))
        }
    }

    @Test func aPathParameterReadAsAValueSelectsAndGetPropertyGivesItsText() throws {
        let program = try program()
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<order><id>7</id></order>")
        try Build.run(
            try MediatorXML.roundTrip(#"<call-template target="reader"><with-param name="p" value="{{//order/id}}"/></call-template>"#),
            on: &context,
            program: program
        )
        #expect(context[property: "selected"] == "7")
        #expect(context[property: "text"] == "//order/id")
        #expect(context[property: "one"] == "true")
        #expect(context[property: "fromDefault"] == "7")
    }

    @Test func aPathMentioningGetPropertyIsTheTextThePropertyHoldsAtTheCall() throws {
        let program = try program()
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", "application/json")],
            body: #"{"order":{"id":"9"}}"#
        )
        context[property: "where"] = "//order/id"
        try Build.run(
            try MediatorXML.roundTrip(
                #"<call-template target="reader"><with-param name="p" value="{{get-property('where')}}"/></call-template>"#
            ),
            on: &context,
            program: program
        )
        #expect(context[property: "selected"] == "9")
        #expect(context[property: "text"] == "//order/id")
    }

    @Test func pathArgumentsMakeTheCallReadTheBody() throws {
        let program = try program()
        let reading = try Build.sequence(
            try MediatorXML.roundTrip(#"<call-template target="splitter"><with-param name="iter" value="{{//line}}"/></call-template>"#),
            program: program
        )
        #expect(reading.readsBody)
        // A template whose parameter default is a path reads the body itself.
        #expect(program.templates["reader"]?.readsBody == true)
    }

    @Test func funcVariablesCompileAsPathsWhereSynapseTakesAnXPath() throws {
        for mediators in [
            #"<iterate expression="$func:a" attachPath="$func:b" preservePayload="true"><target sequence="s"/></iterate>"#,
            #"<aggregate><onComplete expression="$func:a"><drop/></onComplete></aggregate>"#,
            #"<foreach expression="$func:a"><sequence><log/></sequence></foreach>"#,
        ] {
            #expect(throws: Never.self) { try Build.sequence(try MediatorXML.roundTrip(mediators)) }
        }
        let error = #expect(throws: MediationCompileError.self) {
            try Build.sequence(try MediatorXML.roundTrip(#"<iterate expression="$ctx:a"><target sequence="s"/></iterate>"#))
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("iterate path '$ctx:a': use an XPath or json-eval path"))
    }

    @Test func aParameterHoldingAPathThatNamesItselfEnds() throws {
        let xml = """
            <definitions xmlns="http://ws.apache.org/ns/synapse">
                <template name="loop"><parameter name="p"/><sequence>
                    <property name="n" expression="count($func:p)"/>
                </sequence></template>
            </definitions>
            """
        let program = try MediationCompiler().compileProgram(SynapseParser().parse(xml: xml, fileName: "t.xml"))
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<a/>")
        try Build.run(
            try MediatorXML.roundTrip(#"<call-template target="loop"><with-param name="p" value="{{$func:p}}"/></call-template>"#),
            on: &context,
            program: program
        )
        #expect(context[property: "n"] == "0")
    }
}
