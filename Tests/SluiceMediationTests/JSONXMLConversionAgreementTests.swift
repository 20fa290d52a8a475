import SluiceMediation
import Testing

/// JSON⇄XML conversion as Synapse (WSO2 4.x) does it when `messageType` switches a message between JSON and XML.
/// Each case: the JSON, the XML Synapse's JSON builder makes of it with
/// `synapse.json.to.xml.process.instruction.enable=true` (the `<?xml-multiple?>` marks), and the JSON Synapse's
/// formatter writes for that XML (Synapse's auto-primitive makes a numeric string a number, and `{}` comes back as
/// `null`, as it does in Synapse). With the property false (WSO2 4.x's default) the XML is the same without the
/// marks, and the JSON coming back loses what only they carried (`withoutMarks`).
@Suite struct JSONXMLConversionAgreementTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let json: String
        let xml: String
        let back: String
        let backWithoutMarks: String
        var testDescription: String { json }

        init(_ json: String, _ xml: String, back: String? = nil, withoutMarks: String? = nil) {
            self.json = json
            self.xml = xml
            self.back = back ?? json
            self.backWithoutMarks = withoutMarks ?? back ?? json
        }
    }

    static let cases: [Case] = [
        // Arrays of one element stay arrays: the builder announces them.
        Case(
            #"{"tags":["red"]}"#, "<jsonObject><?xml-multiple tags?><tags>red</tags></jsonObject>",
            withoutMarks: #"{"tags":"red"}"#
        ),
        Case(
            #"{"order":{"lines":[{"sku":"A-1","qty":2}],"note":"rush"}}"#,
            "<jsonObject><order><?xml-multiple lines?><lines><sku>A-1</sku><qty>2</qty></lines><note>rush</note></order></jsonObject>",
            withoutMarks: #"{"order":{"lines":{"sku":"A-1","qty":2},"note":"rush"}}"#
        ),
        // Arrays inside arrays become a jsonArray of jsonElements inside the repeated element.
        Case(
            #"{"grid":[[1,2],[3]]}"#,
            "<jsonObject><?xml-multiple grid?><grid><jsonArray><?xml-multiple jsonElement?><jsonElement>1</jsonElement><jsonElement>2</jsonElement></jsonArray></grid><grid><jsonArray><?xml-multiple jsonElement?><jsonElement>3</jsonElement></jsonArray></grid></jsonObject>"
        ),
        Case(
            #"[[true],{"k":"v"}]"#,
            "<jsonArray><?xml-multiple jsonElement?><jsonElement><jsonArray><?xml-multiple jsonElement?><jsonElement>true</jsonElement></jsonArray></jsonElement><jsonElement><k>v</k></jsonElement></jsonArray>"
        ),
        // Empty arrays keep their place; empty objects and null are empty elements (so `{}` returns as null).
        Case(
            #"{"before":1,"none":[],"after":2}"#,
            "<jsonObject><before>1</before><?xml-multiple none?><after>2</after></jsonObject>",
            withoutMarks: #"{"before":1,"after":2}"#
        ),
        Case("[]", "<jsonArray><?xml-multiple jsonElement?></jsonArray>"),
        Case(#"{"e":{},"n":null}"#, "<jsonObject><e/><n/></jsonObject>", back: #"{"e":null,"n":null}"#),
        Case("{}", "<jsonObject/>"),
        // Numbers keep their text; numeric and boolean strings come back as numbers and booleans (auto-primitive),
        // strings that are not JSON numbers stay strings.
        Case(
            #"{"price":1.50,"exp":-2E+3,"id":"42","zip":"007","flag":"true","plus":"+1"}"#,
            "<jsonObject><price>1.50</price><exp>-2E+3</exp><id>42</id><zip>007</zip><flag>true</flag><plus>+1</plus></jsonObject>",
            back: #"{"price":1.50,"exp":-2E+3,"id":42,"zip":"007","flag":true,"plus":"+1"}"#
        ),
        // Names that cannot be XML names: Synapse's prefixes for a leading digit or `$`, code points for the rest.
        Case(
            ##"{"1st":[7],"$ref":"#/a","first name":"Ann","a:b":true}"##,
            "<jsonObject><?xml-multiple 1st?><_JsonReader_PD_1st>7</_JsonReader_PD_1st><_JsonReader_PS_ref>#/a</_JsonReader_PS_ref><first_JsonReader_32_name>Ann</first_JsonReader_32_name><a_JsonReader_58_b>true</a_JsonReader_58_b></jsonObject>",
            withoutMarks: ##"{"1st":7,"$ref":"#/a","first name":"Ann","a:b":true}"##
        ),
        // `@name` members are attributes (strings on the way back), `$` the element's text.
        Case(#"{"price":{"@currency":"EUR","$":12}}"#, #"<jsonObject><price currency="EUR">12</price></jsonObject>"#),
        // Special characters are escaped in text and unescaped on the way back.
        Case(#"{"q":"a<b & \"c\" > 'd'"}"#, #"<jsonObject><q>a&lt;b &amp; "c" &gt; 'd'</q></jsonObject>"#),
        // A top-level primitive is a jsonValue holding its JSON text.
        Case(#""hi""#, #"<jsonValue>"hi"</jsonValue>"#),
        Case("12.0", "<jsonValue>12.0</jsonValue>"),
    ]

    @Test(arguments: cases)
    func jsonBecomesSynapsesXMLAndComesBack(_ fixture: Case) throws {
        let xml = try convert(fixture.json, from: "application/json", to: "application/xml", marks: true)
        #expect(xml == fixture.xml)
        let json = try convert(xml, from: "application/xml", to: "application/json")
        #expect(json == fixture.back)
    }

    @Test(arguments: cases)
    func withoutMarksTheXMLHasNoneAndTheJSONComesBackAsWSO2Writes(_ fixture: Case) throws {
        let xml = try convert(fixture.json, from: "application/json", to: "application/xml", marks: false)
        #expect(xml == fixture.xml.replacing(#/<\?xml-multiple[^?]*\?>/#, with: ""))
        let json = try convert(xml, from: "application/xml", to: "application/json")
        #expect(json == fixture.backWithoutMarks)
    }

    /// XML written by people: namespaces and their prefixes go, attributes become `@` members whatever their
    /// prefix, indentation is dropped while text keeps its spaces, repeated elements become arrays.
    @Test(arguments: [
        (
            #"<p:order xmlns:p="urn:orders" xmlns:q="urn:q" p:id="9" q:state="new"><q:line>a</q:line><q:line>b</q:line></p:order>"#,
            #"{"order":{"@id":"9","@state":"new","line":["a","b"]}}"#
        ),
        ("<r>\n  <name> Ann Lee </name>\n  <age>41</age>\n  <gone/>\n</r>", #"{"r":{"name":" Ann Lee ","age":41,"gone":null}}"#),
        ("<r><a>1</a><b>2</b><a>3</a></r>", #"{"r":{"a":[1,3],"b":2}}"#),
        ("<r><?xml-multiple?><one>x</one></r>", #"{"r":{"one":["x"]}}"#),
        ("<r><![CDATA[<raw>]]></r>", #"{"r":"<raw>"}"#),
    ])
    func xmlBecomesJSONAsSynapseWritesIt(xml: String, json: String) throws {
        #expect(try convert(xml, from: "application/xml", to: "application/json") == json)
    }

    private func convert(_ body: String, from type: String, to messageType: String, marks: Bool = false) throws -> String {
        var context = Build.context(method: "POST", headers: [("Content-Type", type)], body: body)
        context.writesXMLMultipleMarks = marks
        context[property: "messageType", scope: .axis2] = .string(messageType)
        try context.applyMessageType()
        return try #require(context.body.string)
    }
}
