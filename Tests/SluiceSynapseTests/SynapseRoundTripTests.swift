import SluiceModel
import SluiceSynapse
import Testing

@Suite struct SynapseRoundTripTests {
    static let fixtures = [
        "valid/admin--PizzaShackAPI_v1.0.0.xml",
        "valid/every_mediator_sequence.xml",
        "valid/named_endpoints.xml",
        "valid/mixed_definitions.xml",
        "valid/stock_fault_sequence.xml",
    ]

    @Test(arguments: fixtures)
    func parseSerializeParseIsEqual(fixture: String) throws {
        let parser = SynapseParser()
        let original = try parser.parseFile(atPath: FixtureFiles.path(fixture))
        #expect(!original.isEmpty)
        let xml = SynapseSerializer.xml(for: original)
        let reparsed = try parser.parse(xml: xml, fileName: "serialized-" + fixture)
        #expect(reparsed == original)
        // Canonical output is a fixed point: serializing the re-parsed model gives the same text.
        #expect(SynapseSerializer.xml(for: reparsed) == xml)
    }
}
