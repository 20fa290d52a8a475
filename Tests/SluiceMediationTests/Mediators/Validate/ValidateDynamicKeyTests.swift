import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `<schema key="{expression}"/>`: every schema local entry is compiled at deploy time and the key's value picks
/// one per message, as Synapse's ValidateMediator evaluates its `Value` keys per message.
@Suite struct ValidateDynamicKeyTests {
    static let itemSchema = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="item"><xs:complexType><xs:sequence>
            <xs:element name="sku" type="xs:string"/>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """
    static let entries = [
        "order": ValidateMediatorTests.orderSchema,
        "item": itemSchema,
        "itemJSON": #"{"type":"object","required":["sku"]}"#,
        "broken": #"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="xs:nothing"/></xs:schema>"#,
        "greeting": "hello, not a schema",
    ]

    static let sequence = #"<property name="which" expression="$trp:X-Schema"/>"#
        + ValidateMediatorTests.validate(schema: "{get-property('which')}")

    private func run(schema: String, body: String, contentType: String = "application/xml") throws -> MessageContext {
        let program = try ValidateMediatorTests.program(Self.entries)
        var context = Build.context(
            method: "POST",
            headers: [("Content-Type", contentType), ("X-Schema", schema)],
            body: body
        )
        try Build.run(try MediatorXML.roundTrip(Self.sequence), on: &context, program: program)
        return context
    }

    @Test func theKeyPicksTheSchemaPerMessage() throws {
        let order = try run(schema: "order", body: #"<order xmlns="urn:o"><id>1</id><qty>2</qty></order>"#)
        #expect(order[property: "failed"] == nil)
        #expect(order[property: "after"] == "yes")
        let item = try run(schema: "item", body: "<item><sku>A-1</sku></item>")
        #expect(item[property: "failed"] == nil)
        // The same message against the other schema runs on-fail.
        let wrong = try run(schema: "order", body: "<item><sku>A-1</sku></item>")
        #expect(wrong[property: "failed"] == "yes")
        let json = try run(schema: "itemJSON", body: #"{"name":"x"}"#, contentType: "application/json")
        #expect(json[property: "failed"] == "yes")
        #expect(json[property: "ERROR_MESSAGE"]?.stringValue.contains("sku") == true)
    }

    /// A key naming no schema (or nothing at all) is Synapse's "No Schema is available with the key" exception:
    /// the fault sequence answers; a schema entry that did not compile says why.
    @Test func aKeyNamingNoSchemaIsAFault() throws {
        for (key, reason) in [
            ("missing", "No Schema is available with the key : missing"),
            ("greeting", "No Schema is available with the key : greeting"),
            ("", "No Schema is available with the key : "),
            ("broken", "Error creating a new schema objects for schemas : [broken] (invalid configuration of 'validate schema 'broken''"),
        ] {
            do {
                _ = try run(schema: key, body: "<item><sku>A-1</sku></item>")
                Issue.record("key '\(key)' validated")
            } catch {
                #expect("\(error)".contains(reason), "\(error)")
            }
        }
    }

    @Test func aKeyThatIsNotAnExpressionIsRefusedAtDeployTime() throws {
        let program = try ValidateMediatorTests.program(Self.entries)
        #expect(throws: MediationCompileError.self) {
            try Build.sequence(
                try MediatorXML.roundTrip(ValidateMediatorTests.validate(schema: "{get-property('a'}")),
                program: program
            )
        }
    }
}
