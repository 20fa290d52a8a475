import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// `<validate>` with several `<schema key>` entries combined into one schema, `xs:import`/`xs:include`
/// `schemaLocation`s resolved through `<resource location= key=>` to local entries, and `<feature>` (Synapse's
/// ValidateMediator, SchemaResourceResolver and ResourceMap).
@Suite struct ValidateSchemaResourcesTests {
    static let xs = #"xmlns:xs="http://www.w3.org/2001/XMLSchema""#

    /// urn:shop: a shipment whose parcel type comes from urn:units (imported from "units.xsd") and whose address
    /// type comes from the same namespace's "address.xsd" (included).
    static let shipment = """
        <xs:schema \(xs) xmlns:u="urn:units" targetNamespace="urn:shop" xmlns:s="urn:shop" elementFormDefault="qualified">
          <xs:import namespace="urn:units" schemaLocation="units.xsd"/>
          <xs:include schemaLocation="address.xsd"/>
          <xs:element name="shipment"><xs:complexType><xs:sequence>
            <xs:element name="to" type="s:Address"/>
            <xs:element name="weight" type="u:Grams"/>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """
    static let units = """
        <xs:schema \(xs) targetNamespace="urn:units">
          <xs:simpleType name="Grams"><xs:restriction base="xs:positiveInteger"><xs:maxInclusive value="30000"/></xs:restriction></xs:simpleType>
        </xs:schema>
        """
    /// Includes a document of its own ("codes/zip.xsd"): the location is matched as written, as Synapse does.
    static let address = """
        <xs:schema \(xs) targetNamespace="urn:shop" xmlns:s="urn:shop" elementFormDefault="qualified">
          <xs:include schemaLocation="codes/zip.xsd"/>
          <xs:complexType name="Address"><xs:sequence>
            <xs:element name="city" type="xs:string"/>
            <xs:element name="zip" type="s:Zip"/>
          </xs:sequence></xs:complexType>
        </xs:schema>
        """
    static let zip = """
        <xs:schema \(xs) targetNamespace="urn:shop">
          <xs:simpleType name="Zip"><xs:restriction base="xs:string"><xs:pattern value="[0-9]{5}"/></xs:restriction></xs:simpleType>
        </xs:schema>
        """
    static let resources = #"<resource location="units.xsd" key="unitsEntry"/><resource location="address.xsd" key="addressEntry"/>"#
        + #"<resource location="codes/zip.xsd" key="zipEntry"/>"#

    static func program(_ entries: [String: String]) throws -> MediationProgram {
        try Build.program(localEntries: entries)
    }

    static func validate(schemas: [String], extra: String = "") -> String {
        "<validate>" + schemas.map { #"<schema key="\#($0)"/>"# }.joined() + extra
            + #"<on-fail><property name="failed" expression="$ctx:ERROR_MESSAGE"/></on-fail></validate>"#
    }

    /// The ERROR_MESSAGE on-fail saw, nil when the message was valid.
    static func failure(_ body: String, _ mediators: String, program: MediationProgram) throws -> String? {
        var context = Build.context(method: "POST", headers: [("Content-Type", "application/xml")], body: body)
        try Build.run(try MediatorXML.roundTrip(mediators), on: &context, program: program)
        return context[property: "failed"]?.stringValue
    }

    static func deployError(_ mediators: String, program: MediationProgram) throws -> String? {
        do {
            _ = try Build.sequence(try MediatorXML.roundTrip(mediators), program: program)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func importAndIncludeResolveThroughResources() throws {
        let program = try Self.program([
            "shipment": Self.shipment, "unitsEntry": Self.units, "addressEntry": Self.address, "zipEntry": Self.zip,
        ])
        let mediators = Self.validate(schemas: ["shipment"], extra: Self.resources)
        let valid = #"<shipment xmlns="urn:shop"><to><city>Lyon</city><zip>69001</zip></to><weight>1200</weight></shipment>"#
        #expect(try Self.failure(valid, mediators, program: program) == nil)

        // The imported type (over 30000) and the nested include's type (not five digits) are both checked.
        let invalid = #"<shipment xmlns="urn:shop"><to><city>Lyon</city><zip>LYON</zip></to><weight>40000</weight></shipment>"#
        let message = try #require(try Self.failure(invalid, mediators, program: program))
        #expect(message.contains("'LYON'") && message.contains("'40000'"), "\(message)")
    }

    @Test func aLocationNoResourceNamesIsADeployErrorNamingIt() throws {
        let program = try Self.program([
            "shipment": Self.shipment, "unitsEntry": Self.units, "addressEntry": Self.address, "zipEntry": Self.zip,
        ])
        // "codes/zip.xsd" (inside address.xsd) has no resource.
        let partial = #"<resource location="units.xsd" key="unitsEntry"/><resource location="address.xsd" key="addressEntry"/>"#
        let error = try #require(try Self.deployError(Self.validate(schemas: ["shipment"], extra: partial), program: program))
        #expect(error.contains(#"schemaLocation="codes/zip.xsd""#) && error.contains("addressEntry"), "\(error)")

        // A location written differently from the resource's is not the same location.
        let other = #"<resource location="./units.xsd" key="unitsEntry"/>"# + partial.dropFirst(#"<resource location="units.xsd" key="unitsEntry"/>"#.count)
        let mismatch = try #require(try Self.deployError(Self.validate(schemas: ["shipment"], extra: other), program: program))
        #expect(mismatch.contains(#"schemaLocation="units.xsd""#), "\(mismatch)")

        let missing = #"<resource location="units.xsd" key="nowhere"/><resource location="address.xsd" key="addressEntry"/>"#
            + #"<resource location="codes/zip.xsd" key="zipEntry"/>"#
        let noEntry = try #require(try Self.deployError(Self.validate(schemas: ["shipment"], extra: missing), program: program))
        #expect(noEntry.contains("names no local entry 'nowhere'"), "\(noEntry)")
    }

    @Test func severalSchemasCombineIntoOne() throws {
        // urn:order refers to urn:item's type without a schemaLocation: the other <schema key> supplies it.
        let order = """
            <xs:schema \(Self.xs) xmlns:i="urn:item" targetNamespace="urn:order" elementFormDefault="qualified">
              <xs:import namespace="urn:item"/>
              <xs:element name="order"><xs:complexType><xs:sequence>
                <xs:element name="line" type="i:Line" maxOccurs="unbounded"/>
              </xs:sequence></xs:complexType></xs:element>
            </xs:schema>
            """
        let item = """
            <xs:schema \(Self.xs) targetNamespace="urn:item">
              <xs:complexType name="Line"><xs:attribute name="qty" type="xs:positiveInteger" use="required"/></xs:complexType>
            </xs:schema>
            """
        // Two documents of one namespace (no namespace here): both count.
        let noteA = #"<xs:schema \#(Self.xs)><xs:element name="note" type="Text"/></xs:schema>"#
        let noteB = #"<xs:schema \#(Self.xs)><xs:simpleType name="Text"><xs:restriction base="xs:string"><xs:maxLength value="5"/></xs:restriction></xs:simpleType></xs:schema>"#
        let program = try Self.program(["order": order, "item": item, "noteA": noteA, "noteB": noteB])
        let mediators = Self.validate(schemas: ["order", "item", "noteA", "noteB"])

        #expect(try Self.failure(#"<order xmlns="urn:order"><line qty="2"/></order>"#, mediators, program: program) == nil)
        let invalid = try #require(try Self.failure(#"<order xmlns="urn:order"><line qty="0"/></order>"#, mediators, program: program))
        #expect(invalid.contains("'0'"), "\(invalid)")
        #expect(try Self.failure("<note>short</note>", mediators, program: program) == nil)
        #expect(try Self.failure("<note>far too long</note>", mediators, program: program) != nil)
        // An element none of the schemas declares.
        #expect(try Self.failure("<other/>", mediators, program: program) != nil)

        // Without the second schema the first does not compile (i:Line is unknown).
        let alone = try #require(try Self.deployError(Self.validate(schemas: ["order"]), program: program))
        #expect(alone.contains("Line"), "\(alone)")
    }

    @Test func featuresMatchSynapseOrSayTheyHaveNoEffect() throws {
        let program = try Self.program(["units": Self.units])
        func withFeature(_ name: String, _ value: String) -> String {
            Self.validate(schemas: ["units"], extra: #"<feature name="\#(name)" value="\#(value)"/>"#)
        }
        let secure = "http://javax.xml.XMLConstants/feature/secure-processing"
        #expect(try Self.deployError(withFeature(secure, "true"), program: program) == nil)
        let unknown = try #require(try Self.deployError(withFeature("urn:no-such-feature", "true"), program: program))
        #expect(unknown.contains("Error setting validation feature : urn:no-such-feature to : true"), "\(unknown)")

        // A recognized feature libxml2 cannot honour deploys with a warning.
        let definitions = """
            <definitions xmlns="http://ws.apache.org/ns/synapse">
              <localEntry key="units">\(Self.units)</localEntry>
              <sequence name="checked">\(withFeature(secure, "false"))</sequence>
            </definitions>
            """
        let compiled = try MediationCompiler().compileProgram(SynapseParser().parse(xml: definitions, fileName: "d.xml"))
        let warnings = compiled.unresolvedReferences.map(\.description)
        #expect(warnings.contains { $0.contains(secure) && $0.contains("has no effect") }, "\(warnings)")
    }

    @Test func resourcesAndFeaturesRoundTrip() throws {
        let form = Self.validate(
            schemas: ["shipment", "extra"],
            extra: Self.resources + #"<feature name="http://apache.org/xml/features/validation/schema-full-checking" value="true"/>"#
        )
        let read = try #require(try MediatorXML.roundTrip(form).first?.as(ValidateMediator.self))
        #expect(read.schemaKeys == ["shipment", "extra"])
        #expect(read.resources.map(\.location) == ["units.xsd", "address.xsd", "codes/zip.xsd"])
        #expect(read.resources.map(\.key) == ["unitsEntry", "addressEntry", "zipEntry"])
        #expect(read.features == [.init(name: "http://apache.org/xml/features/validation/schema-full-checking", enabled: true)])
    }
}
