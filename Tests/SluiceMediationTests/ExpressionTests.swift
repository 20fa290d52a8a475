import SluiceMediation
import SluiceModel
import Testing

@Suite struct ExpressionTests {
    /// Evaluates an expression by storing it into a property and reading the property back.
    static func evaluate(
        _ text: String,
        namespaces: [String: String] = [:],
        in context: inout MessageContext
    ) throws -> String? {
        try Build.run(
            [
                .property(
                    PropertyMediator(name: "result", value: .expression(Build.expression(text, namespaces: namespaces)))
                )
            ],
            on: &context
        )
        return context[property: "result"]?.stringValue
    }

    static func sampleContext(body: String? = nil, contentType: String = "application/json") -> MessageContext {
        var context = Build.context(
            method: "POST",
            path: "/shop/1.0/orders/42",
            query: "status=open&q=a%20b",
            headers: [("Content-Type", contentType), ("X-Trace", "t-1")],
            body: body
        )
        context[property: "customer"] = "alice"
        context[property: "uri.var.id"] = "42"
        context[property: "HTTP_METHOD", scope: .axis2] = "PUT"
        return context
    }

    @Test(arguments: [
        ("$ctx:customer", "alice"),
        ("get-property('customer')", "alice"),
        ("get-property('default', 'customer')", "alice"),
        ("$trp:X-Trace", "t-1"),
        ("get-property('transport', 'X-Trace')", "t-1"),
        ("$axis2:HTTP_METHOD", "PUT"),
        ("get-property('axis2', 'HTTP_METHOD')", "PUT"),
        ("$url:status", "open"),
        ("$url:q", "a b"),
        ("concat('order-', get-property('uri.var.id'))", "order-42"),
        ("concat($ctx:customer, '/', $trp:X-Trace, '/', $url:status)", "alice/t-1/open"),
        ("string-length($ctx:customer)", "5"),
        ("get-property('To')", "/shop/1.0/orders/42?status=open&q=a%20b"),
    ])
    func propertyExpressions(expression: String, expected: String) throws {
        var context = Self.sampleContext()
        #expect(try Self.evaluate(expression, in: &context) == expected)
    }

    @Test func absentPropertySetsNothing() throws {
        var context = Self.sampleContext()
        #expect(try Self.evaluate("$ctx:missing", in: &context) == nil)
    }

    @Test(arguments: [
        ("json-eval($.order.id)", "7"),
        ("json-eval($.order.items[1].sku)", "B-2"),
        ("json-eval($.order.customer)", "{\"name\":\"Ann\"}"),
        ("json-eval($..sku)", "[\"A-1\",\"B-2\"]"),
        ("//order/id", "7"),
        ("$body/jsonObject/order/customer/name", "Ann"),
        ("count(//items)", "2"),
    ])
    func jsonBodyExpressions(expression: String, expected: String) throws {
        var context = Self.sampleContext(
            body: #"{"order":{"id":7,"customer":{"name":"Ann"},"items":[{"sku":"A-1"},{"sku":"B-2"}]}}"#
        )
        #expect(try Self.evaluate(expression, in: &context) == expected)
    }

    @Test(arguments: [
        ("//o:order/o:id", "9"),
        ("$body/o:order/o:item[2]", "pear"),
        ("concat(//o:id, '-', $ctx:customer)", "9-alice"),
        ("boolean(//o:order[@priority='high'])", "true"),
    ])
    func xmlBodyExpressions(expression: String, expected: String) throws {
        var context = Self.sampleContext(
            body:
                #"<?xml version="1.0"?><order xmlns="urn:o" priority="high"><id>9</id><item>apple</item><item>pear</item></order>"#,
            contentType: "application/xml"
        )
        #expect(try Self.evaluate(expression, namespaces: ["o": "urn:o"], in: &context) == expected)
    }

    @Test func soapEnvelopeIsUsedAsIs() throws {
        var context = Self.sampleContext(
            body: """
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">\
                <soapenv:Header><h>1</h></soapenv:Header><soapenv:Body><getQuote><symbol>IBM</symbol></getQuote>\
                </soapenv:Body></soapenv:Envelope>
                """,
            contentType: "text/xml"
        )
        #expect(try Self.evaluate("$body/getQuote/symbol", in: &context) == "IBM")
        #expect(try Self.evaluate("//soapenv:Header/h", in: &context) == "1")
    }

    @Test func malformedXMLBodyFaults() {
        var context = Self.sampleContext(body: "<order><id>", contentType: "application/xml")
        #expect(throws: MediationFault.self) { try Self.evaluate("//order/id", in: &context) }
    }

    @Test func doctypeInPayloadIsRefused() {
        var context = Self.sampleContext(
            body: #"<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>"#,
            contentType: "application/xml"
        )
        #expect(throws: MediationFault.self) { try Self.evaluate("//x", in: &context) }
    }

    @Test func bodyExpressionWithoutBufferedBodyFaults() {
        var context = Self.sampleContext()
        context.body = .streaming
        #expect(throws: MediationFault.self) { try Self.evaluate("json-eval($.a)", in: &context) }
    }

    @Test func propertyOnlyXPathDoesNotReadTheBody() throws {
        let compiled = try Build.sequence([
            .property(
                PropertyMediator(name: "x", value: .expression(Build.expression("concat($ctx:a, get-property('b'))")))
            )
        ])
        #expect(!compiled.readsBody)
        let reading = try Build.sequence([
            .property(PropertyMediator(name: "x", value: .expression(Build.expression("concat($ctx:a, //id)"))))
        ])
        #expect(reading.readsBody)
        let json = try Build.sequence([
            .property(PropertyMediator(name: "x", value: .expression(Build.expression("json-eval($.a)"))))
        ])
        #expect(json.readsBody)
    }

    @Test func brokenXPathFailsCompilation() {
        #expect(throws: MediationCompileError.self) {
            try Build.sequence([
                .property(PropertyMediator(name: "x", value: .expression(Build.expression("//a[@b=]"))))
            ])
        }
    }
}
