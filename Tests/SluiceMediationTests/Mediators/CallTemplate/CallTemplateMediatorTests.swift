import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

@Suite struct CallTemplateMediatorTests {
    /// A template that reads its parameters three ways, and one that calls it.
    static let templates = """
        <definitions xmlns="http://ws.apache.org/ns/synapse">
            <template name="describe">
                <parameter name="item"/>
                <parameter name="greeting" defaultValue="Hello"/>
                <parameter name="size" defaultValue="{$ctx:defaultSize}"/>
                <sequence>
                    <property name="said" expression="concat($func:greeting, ' ', $func:item)"/>
                    <property name="size" expression="get-property('func', 'size')"/>
                    <property name="itemAgain" expression="$func:item"/>
                </sequence>
            </template>
            <template name="outer">
                <parameter name="name"/>
                <sequence>
                    <call-template target="describe"><with-param name="item" value="{$func:name}"/></call-template>
                    <property name="afterInner" expression="$func:name"/>
                </sequence>
            </template>
        </definitions>
        """

    private func program() throws -> MediationProgram {
        try MediationCompiler().compileProgram(SynapseParser().parse(xml: Self.templates, fileName: "templates.xml"))
    }

    @Test func roundTripsWithLiteralExpressionAndPathValues() throws {
        let mediator = try #require(
            try MediatorXML.roundTrip(
                #"<call-template target="t"><with-param name="a" value="plain"/><with-param xmlns:o="urn:o" name="b" value="{//o:id}"/><with-param name="c" value="{{//path}}"/></call-template>"#
            ).first?.as(CallTemplateMediator.self)
        )
        #expect(mediator.parameters.map(\.value) == [
            .literal("plain"),
            .expression(try SynapseExpression(parsing: "//o:id", namespaces: ["o": "urn:o"])),
            .path(try SynapseExpression(parsing: "//path")),
        ])
    }

    @Test(arguments: [
        (#"{"order":{"item":"pizza"}}"#, "application/json", #"{json-eval($.order.item)}"#),
        ("<order><item>pizza</item></order>", "application/xml", "{//item}"),
    ])
    func parametersBindToFuncInTheTemplate(body: String, contentType: String, argument: String) throws {
        let program = try program()
        var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
        context[property: "defaultSize"] = "large"
        let mediators = try MediatorXML.roundTrip(
            #"<call-template target="describe"><with-param name="item" value="\#(argument)"/></call-template>"#
                + #"<property name="outside" expression="$func:item"/>"#
        )
        try Build.run(mediators, on: &context, program: program)
        #expect(context[property: "said"] == "Hello pizza")
        #expect(context[property: "size"] == "large")
        #expect(context[property: "itemAgain"] == "pizza")
        // Outside the template `$func:` is unbound again.
        #expect(context[property: "outside"] == nil || context[property: "outside"] == "")
    }

    @Test func nestedTemplatesSeeTheirOwnParameters() throws {
        let program = try program()
        var context = Build.context()
        try Build.run(
            try MediatorXML.roundTrip(#"<call-template target="outer"><with-param name="name" value="ann"/></call-template>"#),
            on: &context,
            program: program
        )
        #expect(context[property: "said"] == "Hello ann")
        #expect(context[property: "afterInner"] == "ann")
    }

    @Test func aFaultInsideATemplateLeavesNoParametersBehind() throws {
        let xml = """
            <definitions xmlns="http://ws.apache.org/ns/synapse">
                <template name="fails"><parameter name="p"/><sequence><property name="n" value="x" type="INTEGER"/></sequence></template>
            </definitions>
            """
        let program = try MediationCompiler().compileProgram(SynapseParser().parse(xml: xml, fileName: "t.xml"))
        var context = Build.context()
        let sequence = try Build.sequence(
            try MediatorXML.roundTrip(#"<call-template target="fails"><with-param name="p" value="v"/></call-template>"#),
            program: program
        )
        var execution = SequenceExecution(sequence: sequence, program: program)
        #expect(throws: MediationFault.self) { try execution.run(&context) }
        #expect(context[property: "p", scope: .function] == nil)
    }

    @Test func anUnknownTemplateDeploysAndFaultsWhenReached() throws {
        let mediators = try MediatorXML.roundTrip(#"<call-template target="missing"/>"#)
        var context = Build.context()
        let error = #expect(throws: MediationFault.self) { try Build.run(mediators, on: &context) }
        #expect(error?.message == "Sequence template missing cannot be found")
        #expect(error?.code == 0)
    }

    @Test func templateReadsBodyWhenItsMediatorsDo() throws {
        let program = try program()
        #expect(program.templates["describe"]?.readsBody == false)
        let reading = try Build.sequence(
            try MediatorXML.roundTrip(#"<call-template target="describe"><with-param name="item" value="{//x}"/></call-template>"#),
            program: program
        )
        #expect(reading.readsBody)
    }
}

@Suite struct LocalEntryAndTemplateEndpointCompileTests {
    private func program(_ xml: String) throws -> MediationProgram {
        try MediationCompiler().compileProgram(SynapseParser().parse(xml: xml, fileName: "p.xml"))
    }

    @Test func localEntriesServeGetPropertyAndKeys() throws {
        let program = try program("""
            <definitions xmlns="http://ws.apache.org/ns/synapse">
                <localEntry key="motd">welcome</localEntry>
                <localEntry key="stamp"><sequence><property name="stamped" value="yes"/></sequence></localEntry>
                <localEntry key="backend"><endpoint><address uri="http://localhost:9000/x"/></endpoint></localEntry>
            </definitions>
            """)
        var context = Build.context()
        try Build.run(
            try MediatorXML.roundTrip(#"<property name="m" expression="get-property('motd')"/><sequence key="stamp"/>"#),
            on: &context,
            program: program
        )
        #expect(context[property: "m"] == "welcome")
        #expect(context[property: "stamped"] == "yes")
        #expect(program.endpoints["backend"] != nil)
    }

    @Test func aKeyUsedTwiceIsAnError() {
        #expect(throws: MediationCompileError.self) {
            try program("""
                <definitions xmlns="http://ws.apache.org/ns/synapse">
                    <localEntry key="x">text</localEntry>
                    <sequence name="x"><drop/></sequence>
                </definitions>
                """)
        }
    }

    @Test func templateEndpointsStampOutAddressEndpoints() throws {
        let program = try program("""
            <definitions xmlns="http://ws.apache.org/ns/synapse">
                <template name="backend">
                    <parameter name="name"/><parameter name="uri"/><parameter name="timeout"/>
                    <endpoint name="$name"><address uri="$uri"><timeout><duration>$timeout</duration></timeout></address></endpoint>
                </template>
                <endpoint name="orders" template="backend" uri="http://localhost:9000/orders">
                    <parameter name="timeout" value="3000"/>
                </endpoint>
            </definitions>
            """)
        let orders = try #require(program.endpoints["orders"])
        guard case .leaf(let leaf) = orders.kind, case .address(let uri) = leaf.target else {
            Issue.record("expected an address leaf")
            return
        }
        #expect(uri == "http://localhost:9000/orders")
        #expect(leaf.timeout == .milliseconds(3000))
        #expect(orders.name == "orders")
    }

    @Test func templateEndpointProblemsFailDeployment() throws {
        #expect(throws: MediationCompileError.self) {
            // "$timeout" is not replaced (the parameter is not given), so the duration is not a number.
            try program("""
                <definitions xmlns="http://ws.apache.org/ns/synapse">
                    <template name="backend"><parameter name="uri"/><parameter name="timeout"/>
                        <endpoint><address uri="$uri"><timeout><duration>$timeout</duration></timeout></address></endpoint>
                    </template>
                    <endpoint name="orders" template="backend" uri="http://localhost:9000/orders"/>
                </definitions>
                """)
        }
        // A template nothing defines is Synapse's TemplateEndpoint without its template: deployed, 305100 on use.
        let missing = try program(#"<endpoint xmlns="http://ws.apache.org/ns/synapse" name="e" template="nowhere"/>"#)
        #expect(missing.unresolvedReferences.map(\.kind) == [.unknownTemplate("nowhere")])
        let attempt = try #require(missing.endpoints["e"]).makeAttempt()
        #expect(attempt.exhaustionFault.code == 305100)
        #expect(attempt.exhaustionFault.message == "Couldn't find the endpoint with the name e & template : nowhere")
    }
}
