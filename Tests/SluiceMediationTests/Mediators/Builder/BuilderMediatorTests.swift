import Logging
import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `<builder>` as WSO2's relay BuilderMediator: the message is built now with the builder named for its content
/// type; a body that does not build passes on unbuilt.
@Suite struct BuilderMediatorTests {
    static let json = "org.apache.axis2.json.JSONBuilder"
    static let xml = "org.apache.axis2.builder.ApplicationXMLBuilder"

    static func builder(_ contentType: String, _ builderClass: String, formatter: String? = nil) -> String {
        let formatterAttribute = formatter.map { #" formatterClass="\#($0)""# } ?? ""
        return #"<builder><messageBuilder contentType="\#(contentType)" class="\#(builderClass)"\#(formatterAttribute)/></builder>"#
    }

    private func run(_ sequence: String, contentType: String, body: String) throws -> MessageContext {
        var context = Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
        let nodes = try MediatorXML.roundTrip(sequence)
        try Build.run(nodes, on: &context)
        return context
    }

    @Test func bothFormsRoundTrip() throws {
        // WSO2 API-M's own _build_ sequence.
        let shipped = try MediatorXML.roundTrip(
            """
            <builder>
              <messageBuilder contentType="application/json" class="org.apache.axis2.json.JSONBuilder"
                              formatterClass="org.apache.axis2.json.JSONMessageFormatter"/>
              <messageBuilder contentType="application/xml" class="org.apache.axis2.builder.ApplicationXMLBuilder"
                              formatterClass="org.apache.axis2.transport.http.ApplicationXMLFormatter"/>
              <messageBuilder contentType="multipart/related" class="org.apache.axis2.builder.MIMEBuilder"/>
            </builder>
            """
        )
        #expect(
            shipped == [
                .builder(
                    BuilderMediator(messageBuilders: [
                        .init(contentType: "application/json", builderClass: Self.json, formatterClass: "org.apache.axis2.json.JSONMessageFormatter"),
                        .init(contentType: "application/xml", builderClass: Self.xml, formatterClass: "org.apache.axis2.transport.http.ApplicationXMLFormatter"),
                        .init(contentType: "multipart/related", builderClass: "org.apache.axis2.builder.MIMEBuilder"),
                    ])
                )
            ]
        )
        let specified = try MediatorXML.roundTrip(
            #"<builder class="org.apache.axis2.format.PlainTextBuilder" formatterClass="org.apache.axis2.format.PlainTextFormatter"/>"#
        )
        #expect(
            specified == [
                .builder(BuilderMediator(specified: .init(builderClass: "org.apache.axis2.format.PlainTextBuilder", formatterClass: "org.apache.axis2.format.PlainTextFormatter")))
            ]
        )
    }

    /// WSO2's factory refuses what it cannot load or is missing; Sluice names the classes it knows.
    @Test func unknownClassesAndMissingAttributesAreRefused() {
        let unknown = MediatorXML.problems(Self.builder("application/json", "com.example.MyBuilder"))
        #expect(unknown.count == 1)
        #expect(unknown.first?.hasPrefix("unknown message builder class 'com.example.MyBuilder': a Java class, which Sluice cannot load") == true)
        #expect(unknown.first?.contains("org.apache.axis2.json.JSONBuilder") == true)
        let formatter = MediatorXML.problems(Self.builder("application/json", Self.json, formatter: "com.example.Out"))
        #expect(formatter.first?.hasPrefix("unknown message formatter class 'com.example.Out'") == true)
        #expect(MediatorXML.problems(#"<builder class="\#(Self.json)"/>"#) == [#"<builder class="..."> needs a formatterClass attribute"#])
        #expect(MediatorXML.problems(#"<builder><messageBuilder class="\#(Self.json)"/></builder>"#) == ["missing required attribute 'contentType' on <messageBuilder>"])
        #expect(MediatorXML.problems(#"<builder><messageBuilder contentType="a/b"/></builder>"#) == ["missing required attribute 'class' on <messageBuilder>"])
    }

    /// A JSON builder for `application/xml` builds a JSON body sent as XML, so XPath reads it (Synapse's
    /// `<jsonObject>`); without the builder the XML builder fails on it (601000).
    @Test func theNamedBuilderDecidesHowTheBodyIsRead() throws {
        let read = #"<property name="id" expression="//id"/>"#
        let built = try run(Self.builder("application/xml", Self.json) + read, contentType: "application/xml", body: #"{"id":7}"#)
        #expect(built[property: "id"]?.stringValue == "7")
        #expect(throws: MediationFault.self) {
            _ = try run(read, contentType: "application/xml", body: #"{"id":7}"#)
        }
        // An XML builder for application/json: the XML body builds, and a JSON path finds nothing instead of failing.
        let path = #"<property name="id" expression="json-eval($.id)"/><property name="after" value="yes"/>"#
        let xmlBuilt = try run(Self.builder("application/json", Self.xml) + path, contentType: "application/json", body: "<id>7</id>")
        #expect(xmlBuilt[property: "after"]?.stringValue == "yes")
        #expect(xmlBuilt[property: "id"] == nil)
        #expect(throws: MediationFault.self) {
            _ = try run(path, contentType: "application/json", body: "<id>7</id>")
        }
        // `class=` on <builder> builds every content type with one builder.
        let every = #"<builder class="\#(Self.json)" formatterClass="org.apache.axis2.json.JSONMessageFormatter"/>"# + read
        #expect(try run(every, contentType: "text/xml", body: #"{"id":8}"#)[property: "id"]?.stringValue == "8")
    }

    /// A body that does not build is passed on (WSO2 logs a warning and sends the message through); the
    /// mediator that later reads it fails as usual.
    @Test func aBodyThatDoesNotBuildPassesOn() throws {
        let passed = try run(
            Self.builder("application/json", Self.json) + #"<property name="after" value="yes"/>"#,
            contentType: "application/json",
            body: #"{"broken": "#
        )
        #expect(passed[property: "after"]?.stringValue == "yes")
        #expect(passed.body.string == #"{"broken": "#)
        let malformedXML = try run(Self.builder("text/xml", Self.xml), contentType: "text/xml", body: "<a><b></a>")
        #expect(malformedXML.body.string == "<a><b></a>")
        // Content types no <messageBuilder> names use Sluice's builder for them; text is never an error.
        let text = try run(Self.builder("application/json", Self.json), contentType: "text/plain", body: "just words")
        #expect(text.body.string == "just words")
    }
}
