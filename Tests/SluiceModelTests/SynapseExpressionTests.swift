import SluiceModel
import Testing

@Suite struct SynapseExpressionTests {
    @Test(arguments: [
        ("$ctx:AM_KEY_TYPE", SynapseExpression.Kind.property(scope: .default, name: "AM_KEY_TYPE")),
        ("$trp:Content-Type", .property(scope: .transport, name: "Content-Type")),
        ("$axis2:HTTP_SC", .property(scope: .axis2, name: "HTTP_SC")),
        ("$url:status", .urlParameter("status")),
        ("$body", .body),
        ("$header", .soapHeader),
        ("json-eval($.order.id)", .jsonPath("$.order.id")),
        ("get-property('SYSTEM_TIME')", .property(scope: .default, name: "SYSTEM_TIME")),
        ("get-property('transport', 'Authorization')", .property(scope: .transport, name: "Authorization")),
        ("get-property(\"axis2\",\"HTTP_SC\")", .property(scope: .axis2, name: "HTTP_SC")),
        ("get-property('SYSTEM_DATE', 'yyyy-MM-dd')", .xpath("get-property('SYSTEM_DATE', 'yyyy-MM-dd')")),
        ("concat('Bearer ', get-property('token'))", .xpath("concat('Bearer ', get-property('token'))")),
        ("get-property('a') = get-property('b')", .xpath("get-property('a') = get-property('b')")),
        ("//ns:order/ns:id", .xpath("//ns:order/ns:id")),
    ])
    func classifies(text: String, kind: SynapseExpression.Kind) throws {
        let expression = try SynapseExpression(parsing: text)
        #expect(expression.kind == kind)
        #expect(expression.source == text)
    }

    @Test(arguments: ["", "   ", "concat('a'", "get-property('a'))", "'unterminated", "json-eval( )"])
    func rejects(text: String) {
        #expect(throws: SynapseExpressionError.self) { _ = try SynapseExpression(parsing: text) }
    }

    @Test func keepsNamespaces() throws {
        let expression = try SynapseExpression(parsing: "//m:price", namespaces: ["m": "http://example.com/m"])
        #expect(expression.namespaces["m"] == "http://example.com/m")
    }
}
