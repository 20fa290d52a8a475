import NIOCore
import SluiceMediation
import SluiceModel
import Testing

@Suite struct PropertyMediatorTests {
    @Test(arguments: [
        (PropertyMediator.PropertyType.integer, "42", PropertyValue.integer(42)),
        (.long, " 7 ", .integer(7)),
        (.short, "-3", .integer(-3)),
        (.double, "2.5", .double(2.5)),
        (.float, "1", .double(1)),
        (.boolean, "TRUE", .boolean(true)),
        (.boolean, "yes", .boolean(false)),
        (.string, "x", .string("x")),
        (
            .json, "{\"a\":[1]}",
            .json(
                .object(
                    {
                        var o = JSONObject(); o["a"] = .array([.number("1")]); return o
                    }()
                )
            )
        ),
        (.om, "<a>1</a>", .xml("<a>1</a>")),
    ])
    func convertsTypes(type: PropertyMediator.PropertyType, value: String, expected: PropertyValue) throws {
        var context = Build.context()
        try Build.run([.property(PropertyMediator(name: "p", value: .literal(value), type: type))], on: &context)
        #expect(context[property: "p"] == expected)
    }

    @Test(arguments: [
        (PropertyMediator.PropertyType.integer, "4x"),
        (.short, "70000"),
        (.double, "abc"),
        (.json, "{broken"),
    ])
    func badConversionFaults(type: PropertyMediator.PropertyType, value: String) {
        var context = Build.context()
        #expect(throws: MediationFault.self) {
            try Build.run([.property(PropertyMediator(name: "p", value: .literal(value), type: type))], on: &context)
        }
    }

    @Test func scopesMapToTheirStores() throws {
        var context = Build.context(headers: [("X-Old", "1")])
        try Build.run(
            [
                .property(PropertyMediator(name: "d", value: .literal("v"))),
                .property(PropertyMediator(name: "X-New", value: .literal("h"), scope: .transport)),
                .property(PropertyMediator(name: "X-Old", value: nil, scope: .transport, action: .remove)),
                .property(PropertyMediator(name: "HTTP_SC", value: .literal("201"), scope: .axis2)),
                .property(PropertyMediator(name: "messageType", value: .literal("application/xml"), scope: .axis2)),
                .property(PropertyMediator(name: "REST_URL_POSTFIX", value: nil, scope: .axis2, action: .remove)),
                .property(PropertyMediator(name: "op", value: .literal("o"), scope: .operation)),
            ],
            on: &context
        )
        #expect(context[property: "d"] == "v")
        #expect(context.headers["X-New"] == ["h"])
        #expect(context.headers["X-Old"].isEmpty)
        #expect(context.statusCode == 201)
        #expect(context[property: "HTTP_SC", scope: .axis2] == .integer(201))
        #expect(context.headers["Content-Type"] == ["application/xml"])
        #expect(context[property: "op", scope: .operation] == "o")
        #expect(context[property: "op"] == nil)
    }

    @Test func removeDeletesDefaultScopeProperty() throws {
        var context = Build.context()
        context[property: "gone"] = "x"
        try Build.run([.property(PropertyMediator(name: "gone", value: nil, action: .remove))], on: &context)
        #expect(context[property: "gone"] == nil)
    }

    @Test(arguments: [
        ("Bearer abc123", "Bearer (.*)", 1, "abc123"),
        ("v2-beta", "v(\\d+)-(\\w+)", 2, "beta"),
        ("v2-beta", "v(\\d+)-(\\w+)", 0, "v2-beta"),
    ])
    func patternExtractsGroup(value: String, pattern: String, group: Int, expected: String) throws {
        var context = Build.context()
        try Build.run(
            [.property(PropertyMediator(name: "p", value: .literal(value), pattern: pattern, group: group))],
            on: &context
        )
        #expect(context[property: "p"] == .string(expected))
    }

    @Test func patternWithoutFullMatchSetsNothing() throws {
        var context = Build.context()
        try Build.run([.property(PropertyMediator(name: "p", value: .literal("xabc"), pattern: "abc"))], on: &context)
        #expect(context[property: "p"] == nil)
    }

    @Test func invalidPatternFailsCompilation() {
        #expect(throws: MediationCompileError.self) {
            try Build.sequence([.property(PropertyMediator(name: "p", value: .literal("x"), pattern: "(unclosed"))])
        }
    }
}

/// `<property name="p"><element/></property>`: Synapse's `PropertyMediatorFactory` takes the first child element
/// as the value when there is no `value=` (before `expression=`), and the property holds that element.
@Suite struct PropertyInlineElementTests {
    @Test func anInlineElementRoundTripsAndIsTheValue() throws {
        let read = try MediatorXML.roundTrip(
            #"<property name="wrap" scope="default" type="OM"><root:items xmlns:root="urn:r"><root:item n="1"/></root:items></property>"#
        )
        let property = try #require(read.first?.as(PropertyMediator.self))
        #expect(property.value == nil)
        #expect(property.element?.contains("root:items") == true)
        for (contentType, body) in [("application/json", #"{"a":1}"#), ("application/xml", "<a>1</a>")] {
            var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
            try Build.run(read, on: &context)
            guard case .xml(let markup)? = context[property: "wrap"] else {
                Issue.record("not an XML value: \(String(describing: context[property: "wrap"]))")
                continue
            }
            #expect(markup.contains(#"<root:items xmlns:root="urn:r"><root:item n="1"/></root:items>"#), "\(markup)")
            // The message itself is untouched.
            #expect(context.body.string == body)
        }
    }

    @Test func valueWinsOverTheElementAndTheElementOverTheExpression() throws {
        let withValue = try MediatorXML.roundTrip(#"<property name="p" value="v"><e/></property>"#)
        #expect(withValue.first?.as(PropertyMediator.self)?.element == nil)
        var context = Build.context()
        try Build.run(withValue, on: &context)
        #expect(context[property: "p"] == .string("v"))
        let withExpression = try MediatorXML.roundTrip(#"<property name="q" expression="$ctx:x"><e>1</e></property>"#)
        try Build.run(withExpression, on: &context)
        // An element written without a prefix is in the Synapse namespace, as Synapse's OMElement clone keeps it.
        #expect(context[property: "q"] == .xml(#"<e xmlns="http://ws.apache.org/ns/synapse">1</e>"#))
    }

    @Test func onlyTheFirstElementCounts() {
        #expect(MediatorXML.problems(#"<property name="p"><a/><b/></property>"#).isEmpty)
        #expect(
            MediatorXML.problems(#"<property name="p"/>"#) == ["<property> 'p' needs a 'value' or an 'expression' attribute"]
        )
    }
}
