import SluiceMediation
import SluiceModel
import SluiceScript
import SluiceSynapse
import Synchronization
import Testing

/// `<script>` against Synapse's ScriptMediator and its `mc` object (duktape).
@Suite struct ScriptMediatorTests {
    /// A clock that advances 100 ms each time the engine reads it, so a runaway script reaches a 1 s limit after a
    /// handful of checks whatever the machine's speed.
    static func steppingLimits(memory: Int = 16 << 20) -> ScriptLimits {
        let ticks = Atomic<UInt64>(0)
        return ScriptLimits(
            timeLimit: .seconds(1),
            memoryLimit: memory,
            clock: ScriptClock { ticks.add(100_000_000, ordering: .relaxed).newValue }
        )
    }

    static func program(_ entries: [String: String]) throws -> MediationProgram {
        try Build.program(localEntries: entries)
    }

    static func json(_ body: String) -> MessageContext {
        Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: body)
    }

    static func inline(_ script: String) -> String {
        #"<script language="js"><![CDATA[\#(script)]]></script>"#
    }

    @Test func everyFormRoundTrips() throws {
        let forms = [
            Self.inline("mc.setProperty('a', 1);"),
            #"<script language="nashornJs" key="conv" function="transform"><include key="lib"/></script>"#,
            #"<script language="js">var ok = 1 &lt; 2 &amp;&amp; "]]&gt;" != "";</script>"#,
        ]
        for form in forms {
            #expect(try MediatorXML.roundTrip(form).first?.as(ScriptMediator.self) != nil, "\(form)")
        }
        let read = try MediatorXML.roundTrip(Self.inline(" mc.setProperty('a', 1); "))
        #expect(read.first?.as(ScriptMediator.self)?.source == " mc.setProperty('a', 1); ")
    }

    @Test(arguments: [
        (#"<script>x = 1;</script>"#, "missing required attribute 'language'"),
        (#"<script language="js" function="f">x = 1;</script>"#, "'function' needs a 'key'"),
        (#"<script language="js"/>"#, "needs a 'key' or an inline script"),
        (#"<script language="js" key="k"><other/></script>"#, "other"),
    ])
    func badConfigurationsAreReported(xml: String, problem: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test func inlineScriptsEditJSONPayloads() throws {
        let mediators = try MediatorXML.roundTrip(
            Self.inline("var order = mc.getPayloadJSON(); order.total = order.price * order.qty; mc.setPayloadJSON(order);")
        )
        var context = Self.json(#"{"price":2.5,"qty":4}"#)
        try Build.run(mediators, on: &context)
        #expect(context.body.string == #"{"price":2.5,"qty":4,"total":10}"#)
        #expect(context.headers.first(name: "Content-Type") == "application/json")
    }

    @Test func xmlPayloadsAreStringsAndSOAPEnvelopesStay() throws {
        let mediators = try MediatorXML.roundTrip(
            Self.inline("var x = mc.getPayloadXML(); mc.setPayloadXML(x.replace('<id>', '<ref>').replace('</id>', '</ref>'));")
        )
        var plain = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: "<order><id>1</id></order>")
        try Build.run(mediators, on: &plain)
        #expect(plain.body.string == "<order><ref>1</ref></order>")

        var soap = Build.context(
            method: "POST",
            headers: [("Content-Type", "text/xml")],
            body: #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><order><id>2</id></order></s:Body></s:Envelope>"#
        )
        try Build.run(mediators, on: &soap)
        #expect(soap.body.string?.contains("<s:Body><order><ref>2</ref></order></s:Body>") == true, "\(soap.body.string ?? "")")
        #expect(soap.headers.first(name: "Content-Type") == "text/xml")
    }

    @Test func propertiesInEveryScopeKeepTheirTypes() throws {
        let script = """
            mc.setProperty('count', mc.getProperty('start') + 1);
            mc.setProperty('flag', true);
            mc.setProperty('doc', {a: [1, 2]});
            mc.setProperty('X-Trace', 'abc', 'transport');
            mc.setProperty('HTTP_SC', 201, 'axis2');
            mc.setProperty('seen', mc.getHeader('X-In') + '/' + mc.getProperty('X-In', 'transport'));
            mc.setProperty('op', 'o', 'operation');
            mc.removeProperty('gone');
            mc.removeHeader('X-Drop');
            print('logged', 1);
            """
        let mediators = try MediatorXML.roundTrip(
            #"<property name="start" value="41" type="INTEGER"/><property name="gone" value="x"/>"# + Self.inline(script)
        )
        var context = Build.context(method: "POST", headers: [("X-In", "in"), ("X-Drop", "d")], body: "{}")
        try Build.run(mediators, on: &context)
        #expect(context[property: "count"] == .integer(42))
        #expect(context[property: "flag"] == .boolean(true))
        #expect(context[property: "doc"]?.stringValue == #"{"a":[1,2]}"#)
        #expect(context.headers.first(name: "X-Trace") == "abc")
        #expect(context.statusCode == 201)
        #expect(context[property: "seen"] == "in/in")
        #expect(context[property: "op", scope: .operation] == "o")
        #expect(context[property: "gone"] == nil)
        #expect(context.headers.first(name: "X-Drop") == nil)
    }

    @Test func keyedScriptsCallTheirFunctionWithIncludesAndTheirOwnGlobals() throws {
        let program = try Self.program([
            "lib": "function twice(n) { return n * 2; }",
            "first": "var calls = 0; function mediate(mc) { calls++; mc.setProperty('first', twice(calls)); }",
            "second": "function mediate(mc) { mc.setProperty('second', typeof calls); }",
            "named": "function transform(mc) { mc.setProperty('named', 'yes'); }",
        ])
        let mediators = try MediatorXML.roundTrip(
            #"<script language="js" key="first"><include key="lib"/></script><script language="js" key="second"/>"#
                + #"<script language="js" key="named" function="transform"/>"#
        )
        var context = Self.json("{}")
        try Build.run(mediators, on: &context, program: program)
        #expect(context[property: "first"] == .integer(2))
        // Each script has its own globals: `calls` of the first is not seen by the second.
        #expect(context[property: "second"] == "undefined")
        #expect(context[property: "named"] == "yes")
    }

    @Test func aFalseResultStopsTheMessage() throws {
        let program = try Self.program(["stop": "function mediate(mc) { return false; }"])
        var context = Self.json("{}")
        let step = try Build.run(
            try MediatorXML.roundTrip(#"<script language="js" key="stop"/><property name="after" value="1"/>"#),
            on: &context,
            program: program
        )
        #expect(step.name == "drop")
        #expect(context[property: "after"] == nil)
    }

    @Test func syntaxErrorsFailTheDeploymentWithTheLine() throws {
        let program = try Self.program(["broken": "function mediate(mc) {\n  var x = ;\n}"])
        do {
            _ = try Build.sequence(try MediatorXML.roundTrip(#"<script language="js" key="broken"/>"#), program: program)
            Issue.record("compiled")
        } catch {
            #expect("\(error)".contains("script 'broken'"), "\(error)")
            #expect("\(error)".contains("SyntaxError"), "\(error)")
            #expect("\(error)".contains("line 2"), "\(error)")
        }
        #expect(throws: MediationCompileError.self) {
            try Build.sequence(try MediatorXML.roundTrip(#"<script language="groovy">x = 1</script>"#))
        }
    }

    @Test func runtimeErrorsAreFaultsWithTheEngineMessage() throws {
        var context = Self.json("{}")
        do {
            try Build.run(try MediatorXML.roundTrip(Self.inline("mc.setProperty('before', 1);\nnoSuchThing();")), on: &context)
            Issue.record("no fault")
        } catch let fault as MediationFault {
            #expect(fault.message.hasPrefix("The script engine returned an error executing the inlined js script: "))
            #expect(fault.message.contains("ReferenceError"), "\(fault.message)")
            #expect(fault.message.contains("line 2"), "\(fault.message)")
        }
        // What the script did before it failed stays, as in Synapse.
        #expect(context[property: "before"] == .integer(1))
    }

    @Test(arguments: [
        ("while (true) {}", "ran longer than"),
        ("var s = 'x'; while (true) { s = s + s; }", "needed more than"),
    ])
    func runawayScriptsAreStoppedAndTheThreadServesTheNextOne(script: String, reason: String) throws {
        let limits = Self.steppingLimits()
        var context = Self.json("{}")
        do {
            try Build.run(try MediatorXML.roundTrip(Self.inline(script)), on: &context, scriptLimits: limits)
            Issue.record("the script finished")
        } catch let fault as MediationFault {
            #expect(fault.message.contains(reason), "\(fault.message)")
        }
        var next = Self.json("{}")
        try Build.run(try MediatorXML.roundTrip(Self.inline("mc.setProperty('ok', 'yes');")), on: &next, scriptLimits: limits)
        #expect(next[property: "ok"] == "yes")
    }

    @Test func scriptsHaveNoFileOrNetworkAccess() throws {
        let script = """
            mc.setProperty('kinds', [typeof require, typeof XMLHttpRequest, typeof fetch, typeof Duktape.modSearch,
                typeof process].join(','));
            """
        var context = Self.json("{}")
        try Build.run(try MediatorXML.roundTrip(Self.inline(script)), on: &context)
        #expect(context[property: "kinds"] == "undefined,undefined,undefined,undefined,undefined")
    }
}
