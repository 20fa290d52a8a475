import SluiceMediation
import SluiceModel
import Testing

/// `<filter>` conditions over the payload, read from XML: an XPath with namespaces on an XML message, the same on a
/// JSON message (read as Synapse's XML form of it), `source` + `regex` on a payload element, and both branch forms.
@Suite struct FilterPayloadConditionTests {
    static let branches = #"<then><property name="branch" value="then"/></then><else><property name="branch" value="else"/></else>"#

    private func branch(_ filter: String, contentType: String, body: String) throws -> PropertyValue? {
        var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
        try Build.run(try MediatorXML.roundTrip(filter, namespaces: #"xmlns:o="urn:orders""#), on: &context)
        return context[property: "branch"]
    }

    @Test(arguments: [
        ("<o:order xmlns:o=\"urn:orders\"><o:status>OK</o:status><o:total>250</o:total></o:order>", "then"),
        ("<o:order xmlns:o=\"urn:orders\"><o:status>OK</o:status><o:total>50</o:total></o:order>", "else"),
        ("<o:order xmlns:o=\"urn:orders\"><o:status>HELD</o:status><o:total>250</o:total></o:order>", "else"),
        // Same local names in another namespace do not match the prefixed steps.
        ("<order><status>OK</status><total>250</total></order>", "else"),
    ])
    func anXPathOverAnXMLPayload(body: String, expected: String) throws {
        let filter = #"<filter xpath="//o:status = 'OK' and number(//o:total) &gt; 100">\#(Self.branches)</filter>"#
        #expect(try branch(filter, contentType: "application/xml", body: body) == .string(expected))
    }

    @Test(arguments: [(#"{"amount":250}"#, "then"), (#"{"amount":50}"#, "else"), (#"{"other":1}"#, "else")])
    func anXPathOverAJSONPayload(body: String, expected: String) throws {
        let filter = #"<filter xpath="//amount &gt; 100">\#(Self.branches)</filter>"#
        #expect(try branch(filter, contentType: "application/json", body: body) == .string(expected))
    }

    @Test(arguments: [("<o:order xmlns:o=\"urn:orders\"><o:id>A-17</o:id></o:order>", "then"), ("<o:order xmlns:o=\"urn:orders\"><o:id>B-17</o:id></o:order>", "else")])
    func aSourceRegexOverAPayloadElement(body: String, expected: String) throws {
        let filter = #"<filter source="//o:id" regex="A-\d+">\#(Self.branches)</filter>"#
        #expect(try branch(filter, contentType: "application/xml", body: body) == .string(expected))
    }

    /// Without `<then>`, the children run when the condition holds and nothing runs otherwise.
    @Test func directChildrenAreTheThenBranch() throws {
        let filter = #"<filter xpath="//o:id"><property name="branch" value="then"/></filter>"#
        #expect(try branch(filter, contentType: "application/xml", body: #"<o:r xmlns:o="urn:orders"><o:id>1</o:id></o:r>"#) == "then")
        #expect(try branch(filter, contentType: "application/xml", body: #"<o:r xmlns:o="urn:orders"/>"#) == nil)
    }
}
