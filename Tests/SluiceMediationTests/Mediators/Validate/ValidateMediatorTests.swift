import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `<validate>` against Synapse's ValidateMediator, with XML Schemas from local entries (libxml2).
@Suite struct ValidateMediatorTests {
    static let orderSchema = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:o" elementFormDefault="qualified">
          <xs:element name="order">
            <xs:complexType><xs:sequence>
              <xs:element name="id" type="xs:int"/>
              <xs:element name="qty" type="xs:positiveInteger"/>
            </xs:sequence></xs:complexType>
          </xs:element>
        </xs:schema>
        """

    static func program(_ entries: [String: String] = ["order": orderSchema]) throws -> MediationProgram {
        let body = entries.map { key, value in #"<localEntry key="\#(key)">\#(value)</localEntry>"# }.joined()
        return try MediationCompiler().compileProgram(
            SynapseParser().parse(
                xml: #"<definitions xmlns="http://ws.apache.org/ns/synapse">\#(body)</definitions>"#,
                fileName: "entries.xml"
            )
        )
    }

    /// Validates, then marks that the sequence went on after `<validate>`.
    static func validate(_ attributes: String = "", schema: String = "order") -> String {
        #"<validate \#(attributes)><schema key="\#(schema)"/><on-fail><property name="failed" value="yes"/></on-fail></validate>"#
            + #"<property name="after" value="yes"/>"#
    }

    static func xml(_ body: String, contentType: String = "application/xml") -> MessageContext {
        Build.context(method: "POST", headers: [("Content-Type", contentType)], body: body)
    }

    @Test func everyFormRoundTrips() throws {
        let forms = [
            #"<validate><schema key="a"/><on-fail><drop/></on-fail></validate>"#,
            #"<validate xmlns:o="urn:o" source="//o:order" cache-schema="false" json-source="false"><schema key="a"/><schema key="b"/>"#
                + #"<resource location="t.xsd" key="types"/><feature name="urn:f" value="true"/><on-fail><log/><respond/></on-fail></validate>"#,
        ]
        for form in forms {
            let read = try MediatorXML.roundTrip(form)
            #expect(read.first?.as(ValidateMediator.self) != nil, "\(form)")
        }
    }

    @Test(arguments: [
        (#"<validate><on-fail><drop/></on-fail></validate>"#, "needs at least one <schema"),
        (#"<validate><schema key="a"/><on-fail/></validate>"#, "needs a non-empty <on-fail>"),
        (#"<validate><schema key="a"/></validate>"#, "needs a non-empty <on-fail>"),
        (#"<validate><schema/><on-fail><drop/></on-fail></validate>"#, "missing required attribute 'key' on <schema>"),
        (#"<validate><schema key="a"/><feature name="f" value="yes"/><on-fail><drop/></on-fail></validate>"#, "must have value true or false"),
        (#"<validate><schema key="a"/><resource key="k"/><on-fail><drop/></on-fail></validate>"#, "'location'"),
    ])
    func badConfigurationsAreReported(xml: String, problem: String) {
        let problems = MediatorXML.problems(xml)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test func validMessagesGoOnAndInvalidOnesRunOnFailThenGoOn() throws {
        let program = try Self.program()
        let mediators = try MediatorXML.roundTrip(Self.validate())
        var valid = Self.xml(#"<order xmlns="urn:o"><id>1</id><qty>2</qty></order>"#)
        try Build.run(mediators, on: &valid, program: program)
        #expect(valid[property: "failed"] == nil)
        #expect(valid[property: "after"] == "yes")

        var invalid = Self.xml(#"<order xmlns="urn:o"><id>x</id><qty>0</qty></order>"#)
        try Build.run(mediators, on: &invalid, program: program)
        #expect(invalid[property: "failed"] == "yes")
        // on-fail that does not end the flow returns to the sequence, as in Synapse.
        #expect(invalid[property: "after"] == "yes")
        let message = try #require(invalid[property: "ERROR_MESSAGE"]?.stringValue)
        let lines = message.split(separator: "\n")
        #expect(lines.count == 2, "\(message)")
        #expect(lines.first?.contains("'x' is not a valid value of the atomic type 'xs:int'") == true, "\(message)")
        #expect(message.hasSuffix("\n"))
    }

    @Test func defaultSourceIsTheFirstChildOfTheSOAPBody() throws {
        let program = try Self.program()
        var context = Self.xml(
            """
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h xmlns="urn:h"/></s:Header>\
            <s:Body><order xmlns="urn:o"><id>1</id><qty>2</qty></order></s:Body></s:Envelope>
            """,
            contentType: "text/xml"
        )
        try Build.run(try MediatorXML.roundTrip(Self.validate()), on: &context, program: program)
        #expect(context[property: "failed"] == nil)
    }

    @Test func sourceSelectsTheElementToValidate() throws {
        let program = try Self.program()
        var context = Self.xml(#"<batch><o:order xmlns:o="urn:o"><o:id>1</o:id><o:qty>3</o:qty></o:order></batch>"#)
        try Build.run(
            try MediatorXML.roundTrip(Self.validate(#"source="//o:order""#), namespaces: #"xmlns:o="urn:o""#),
            on: &context,
            program: program
        )
        #expect(context[property: "failed"] == nil)

        var missing = Self.xml("<batch/>")
        try Build.run(try MediatorXML.roundTrip(Self.validate(#"source="//nothing""#)), on: &missing, program: program)
        #expect(missing[property: "failed"] == "yes")
        #expect(missing[property: "ERROR_MESSAGE"] == "Error occurred while accessing source element: //nothing")
    }

    @Test func jsonMessagesAgainstAnXMLSchemaAreAFault() throws {
        let program = try Self.program()
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/json")], body: #"{"id":1}"#)
        #expect(throws: MediationFault.self) {
            try Build.run(try MediatorXML.roundTrip(Self.validate()), on: &context, program: program)
        }
    }

    @Test(arguments: [
        ("json", #"{"type":"object","$ref":"other.json"}"#, "points outside the schema"),
        ("importing", #"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="http://example.com/x.xsd"/></xs:schema>"#, #"schemaLocation="http://example.com/x.xsd"> names no <resource"#),
        ("notSchema", "<order/>", "not an XML Schema"),
        ("broken", #"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:nothing"/></xs:schema>"#, "not a valid XML Schema"),
    ])
    func unusableSchemasAreRefusedAtDeployTime(key: String, schema: String, problem: String) throws {
        let program = try Self.program([key: schema])
        do {
            _ = try Build.sequence(try MediatorXML.roundTrip(Self.validate(schema: key)), program: program)
            Issue.record("schema '\(key)' compiled")
        } catch {
            #expect("\(error)".contains(problem), "\(error)")
        }
    }

    @Test func unknownKeysFaultWhenReachedAndSeveralSchemasWithADynamicKeyAreRefusedAtDeployTime() throws {
        let program = try Self.program()
        var context = Build.context(body: "<order/>")
        #expect(throws: MediationFault.entryNotFound("nowhere")) {
            try Build.run(try MediatorXML.roundTrip(Self.validate(schema: "nowhere")), on: &context, program: program)
        }
        #expect(throws: MediationCompileError.self) {
            try Build.sequence(
                try MediatorXML.roundTrip(
                    #"<validate><schema key="order"/><schema key="{$ctx:k}"/><on-fail><drop/></on-fail></validate>"#
                ),
                program: program
            )
        }
    }

    @Test func unimplementedSynapseMediatorsAreRefusedWithTheReason() {
        #expect(
            MediatorXML.problems(#"<datamapper config="gov:dm.dmc" inputType="JSON" outputType="JSON"/>"#).first?
                .hasPrefix("the <datamapper> mediator is not supported: WSO2 Micro Integrator's data mapper is out of scope") == true
        )
        for name in ["router", "smooks"] {
            #expect(
                MediatorXML.problems("<\(name)/>").first?.hasPrefix("the <\(name)> mediator is not supported: ") == true,
                "\(name)"
            )
        }
    }
}
