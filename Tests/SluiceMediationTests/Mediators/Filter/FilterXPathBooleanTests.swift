import SluiceMediation
import SluiceModel
import Testing

/// `<filter xpath="$ctx:name">` takes XPath's `boolean()` of the property, as Jaxen does in Synapse: WSO2's shipped
/// failure sequences test `$ctx:HTTP_RESPONSE_STATUS_CODE` and `$ctx:CUSTOM_HTTP_SC` this way.
@Suite struct FilterXPathBooleanTests {
    static let filters = """
        <filter xpath="$ctx:p"><then><property name="ctx" value="then"/></then><else><property name="ctx" value="else"/></else></filter>
        <filter xpath="get-property('p')"><then><property name="fn" value="then"/></then><else><property name="fn" value="else"/></else></filter>
        """

    @Test(arguments: [
        (PropertyValue.integer(403), "then"),
        (.integer(0), "else"),
        (.double(2.5), "then"),
        (.double(.nan), "else"),
        (.string("403"), "then"),
        // Any text that is not empty is true, the text "false" too (Jaxen's boolean() of a string).
        (.string("false"), "then"),
        (.string(""), "else"),
        (.boolean(true), "then"),
        (.boolean(false), "else"),
    ])
    func propertyTakesXPathsBooleanValue(value: PropertyValue, branch: String) throws {
        for body in [#"{"a":1}"#, "<a/>"] {
            let contentType = body.hasPrefix("{") ? "application/json" : "application/xml"
            var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
            context[property: "p"] = value
            try Build.run(try MediatorXML.roundTrip(Self.filters), on: &context)
            #expect(context[property: "ctx"] == .string(branch), "\(value) on \(contentType)")
            #expect(context[property: "fn"] == .string(branch), "\(value) on \(contentType)")
        }
    }

    @Test func anAbsentPropertyTakesTheElseBranch() throws {
        var context = Build.context()
        try Build.run(try MediatorXML.roundTrip(Self.filters), on: &context)
        #expect(context[property: "ctx"] == "else")
        #expect(context[property: "fn"] == "else")
    }
}
