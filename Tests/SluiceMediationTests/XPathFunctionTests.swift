import SluiceMediation
import SluiceModel
import Testing

/// The functions and variables Synapse's XPath has beyond XPath 1.0: its extension functions, the `fn:` prefix of
/// the XPath 2.0 functions WSO2 users write, and `$env`.
@Suite struct XPathFunctionTests {
    private func evaluate(_ expression: String, namespaces: [String: String] = [:], body: String? = nil) throws -> String? {
        var context = Build.context(
            method: "POST", headers: [("Content-Type", "application/xml")], body: body ?? "<order><id>7</id><name>Ann Lee</name></order>"
        )
        context[property: "customer"] = "Alice"
        // 2026-03-04T05:06:07.089Z
        context.clock = EpochClock { 1_772_600_767_089 }
        return try ExpressionTests.evaluate(expression, namespaces: namespaces, in: &context)
    }

    @Test(arguments: [
        ("fn:string-length(//name)", "7"),
        ("fn:concat(//id, '-', $ctx:customer)", "7-Alice"),
        ("fn:substring(//name, 5)", "Lee"),
        ("fn:upper-case(//name)", "ANN LEE"),
        ("fn:lower-case(get-property('customer'))", "alice"),
        ("fn:contains(//name, 'nn')", "true"),
        ("fn:starts-with(//name, 'Ann')", "true"),
        ("fn:ends-with(//name, 'Lee')", "true"),
        ("fn:normalize-space('  a   b ')", "a b"),
        ("fn:count(//order/*)", "2"),
        ("fn:current-dateTime()", "2026-03-04T05:06:07.089Z"),
        ("fn:current-date()", "2026-03-04Z"),
        ("fn:current-time()", "05:06:07.089Z"),
    ])
    func xpath2FunctionsUnderTheFnPrefix(expression: String, expected: String) throws {
        #expect(try evaluate(expression) == expected)
    }

    /// Synapse's own functions, by local name as Synapse resolves them.
    @Test(arguments: [
        ("base64Encode('user:pässword')", "dXNlcjpww6Rzc3dvcmQ="),
        ("base64Encode(//name, 'UTF-8')", "QW5uIExlZQ=="),
        ("base64Decode('dXNlcjpww6Rzc3dvcmQ=')", "user:pässword"),
        ("base64Decode('IGEgYiA=')", "a b"),
        ("base64Encode('')", ""),
        ("url-encode('a b/c?d=é&x=<1>#')", "a%20b/c?d=%C3%A9&x=%3C1%3E%23"),
        ("url-encode(//name)", "Ann%20Lee"),
    ])
    func synapseExtensionFunctions(expression: String, expected: String) throws {
        #expect(try evaluate(expression) == expected)
    }

    @Test func envIsTheEnvelope() throws {
        #expect(try evaluate("local-name($env)") == "Envelope")
        #expect(try evaluate("$env/soapenv:Body/order/id") == "7")
    }

    /// A prefix the expression declares itself wins over the predeclared `fn`.
    @Test func aDeclaredFnPrefixWins() throws {
        #expect(try evaluate("//fn:id", namespaces: ["fn": "urn:mine"], body: #"<o xmlns:m="urn:mine"><m:id>3</m:id></o>"#) == "3")
    }

    /// A function called with the wrong number of arguments, or an unknown charset, fails the mediator.
    @Test(arguments: ["fn:upper-case()", "fn:ends-with('a')", "base64Encode('a', 'EBCDIC-XY')", "fn:no-such-function()"])
    func badCallsFail(expression: String) {
        #expect(throws: MediationFault.self) { try evaluate(expression) }
    }
}
