import SluiceMediation
import SluiceModel
import Testing

/// WSO2 Micro Integrator 4.4's `<variable>`: set from a value or an expression in a type, removed, and read by
/// Synapse Expressions as `vars.name`.
@Suite struct VariableMediatorTests {
    /// Runs `mediators`, then stores `${expression}` into the property `result` and returns it.
    private func run(
        _ mediators: String,
        reading expression: String,
        body: String? = nil,
        contentType: String = "application/json"
    ) throws -> String? {
        var context = ExpressionTests.sampleContext(body: body, contentType: contentType)
        let read = try MediatorXML.roundTrip(mediators + #"<property name="result" expression="${"# + expression + #"}"/>"#)
        try Build.run(read, on: &context)
        return context[property: "result"]?.stringValue
    }

    @Test(arguments: [
        (#"<variable name="n" value="41" type="INTEGER"/>"#, "vars.n + 1", "42"),
        (#"<variable name="n" value="41"/>"#, "vars.n + '!'", "41!"),
        (#"<variable name="big" value="3000000000" type="LONG"/>"#, "vars.big - 1", "2999999999"),
        (#"<variable name="d" value="1.5" type="DOUBLE"/>"#, "vars.d * 2", "3.0"),
        (#"<variable name="b" value="true" type="BOOLEAN"/>"#, "vars.b ? 'yes' : 'no'", "yes"),
        (#"<variable name="j" value="{&quot;a&quot;:[1,2,3]}" type="JSON"/>"#, "vars.j.a[1]", "2"),
        (#"<variable name="j" value="{&quot;a&quot;:[1,2,3]}" type="JSON"/>"#, "vars.j.a.length()", "3"),
        (#"<variable name="x" value="&lt;a&gt;&lt;b&gt;7&lt;/b&gt;&lt;/a&gt;" type="XML"/>"#, "xpath('/b', 'x')", "7"),
        (#"<variable name="x" value="&lt;a&gt;&lt;b&gt;7&lt;/b&gt;&lt;/a&gt;" type="XML"/>"#, "vars.x", "<a><b>7</b></a>"),
        (#"<variable name="s" expression="${payload.name}" type="STRING"/>"#, "toUpper(vars.s)", "ANN"),
        (#"<variable name="o" expression="${payload.order}"/>"#, "vars.o.items[0].sku", "p-1"),
        (#"<variable name="c" expression="${length(payload.order.items)}" type="INTEGER"/>"#, "vars.c * 10", "20"),
        (#"<variable name="t" expression="$ctx:customer"/>"#, "vars.t", "alice"),
        (#"<variable name="q" expression="json-eval($.order.items[1].sku)"/>"#, "vars['q']", "p-2"),
        (#"<variable name="n" value="1"/><variable name="n" action="remove"/>"#, "exists(vars.n)", "false"),
    ])
    func setsAndReadsOnJSON(mediators: String, expression: String, expected: String) throws {
        let body = #"{"name": "ann", "order": {"items": [{"sku": "p-1"}, {"sku": "p-2"}]}}"#
        #expect(try run(mediators, reading: expression, body: body) == expected)
    }

    @Test func readsXMLPayloads() throws {
        let body = "<order><id>9</id><line><sku>p-1</sku></line></order>"
        #expect(try run(#"<variable name="id" expression="${payload.order.id}" type="INTEGER"/>"#, reading: "vars.id + 1", body: body, contentType: "application/xml") == "10")
        #expect(try run(#"<variable name="l" expression="${xpath('//line')}" type="XML"/>"#, reading: "xpath('sku', 'l')", body: body, contentType: "application/xml") == "p-1")
    }

    @Test func expressionOfTheWrongTypeFaults() throws {
        var context = ExpressionTests.sampleContext(body: #"{"name": "ann"}"#)
        let read = try MediatorXML.roundTrip(#"<variable name="n" expression="${payload.name}" type="INTEGER"/>"#)
        #expect(throws: MediationFault.self) { try Build.run(read, on: &context) }
    }

    @Test(arguments: [
        (#"<variable value="1"/>"#, "missing required attribute 'name'"),
        (#"<variable name="n"/>"#, "needs a 'value' or an 'expression'"),
        (#"<variable name="n" value="1" expression="${1}"/>"#, "both 'value' and 'expression'"),
        (#"<variable name="n" value="1" type="FLOAT"/>"#, "invalid type 'FLOAT'"),
        (#"<variable name="n" expression="${vars.}"/>"#, "column 8"),
    ])
    func refusesBrokenDeclarations(xml: String, expected: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
    }

    @Test func literalThatDoesNotConvertFailsToCompile() throws {
        let read = try MediatorXML.roundTrip(#"<variable name="n" value="abc" type="INTEGER"/>"#)
        #expect(throws: MediationCompileError.self) { try Build.sequence(read) }
    }

    @Test func roundTripKeepsEveryAttribute() throws {
        let read = try MediatorXML.roundTrip(
            #"<variable name="a" value="1" type="LONG"/><variable name="b" expression="${vars.a}"/>"#
                + #"<variable name="a" action="remove"/>"#
        )
        #expect(read == [
            .variable(VariableMediator(name: "a", value: .literal("1"), type: .long)),
            .variable(VariableMediator(name: "b", value: .expression(Build.expression("${vars.a}")))),
            .variable(VariableMediator(name: "a", value: nil, action: .remove)),
        ])
    }
}
