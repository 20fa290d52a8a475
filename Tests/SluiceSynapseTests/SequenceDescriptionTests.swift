import SluiceModel
import SluiceSynapse
import Testing

/// `<description>` in a named sequence (WSO2's stock sequences carry one) is documentation: kept, written back,
/// and not taken for a mediator.
@Suite struct SequenceDescriptionTests {
    private let withDescription = """
        <sequence xmlns="http://ws.apache.org/ns/synapse" name="main">
          <description>The main sequence for the message mediation &amp; more</description>
          <log level="simple"/>
          <drop/>
        </sequence>
        """

    @Test func aDescriptionIsKeptAndRoundTrips() throws {
        let artifacts = try SynapseParser().parse(xml: withDescription, fileName: "main.xml")
        let sequence = try #require(artifacts.sequences.first)
        #expect(sequence.description == "The main sequence for the message mediation & more")
        #expect(sequence.mediators.count == 2)
        let xml = SynapseSerializer.xml(for: sequence)
        #expect(xml.contains("<description>The main sequence for the message mediation &amp; more</description>"))
        let reparsed = try #require(try SynapseParser().parse(xml: xml, fileName: "main.xml").sequences.first)
        #expect(reparsed == sequence)
        #expect(SynapseSerializer.xml(for: reparsed) == xml)
    }

    @Test func aSecondDescriptionOrOneWithElementsIsReported() {
        let twice = withDescription.replacingOccurrences(
            of: "<log level=\"simple\"/>", with: "<description>again</description>"
        )
        #expect(throws: SynapseDiagnostics.self) { try SynapseParser().parse(xml: twice, fileName: "twice.xml") }
        let nested = withDescription.replacingOccurrences(of: "&amp; more", with: "<b>bold</b>")
        #expect(throws: SynapseDiagnostics.self) { try SynapseParser().parse(xml: nested, fileName: "nested.xml") }
    }

    @Test func aDescriptionInsideAnInlineSequenceIsStillAnUnknownMediator() {
        let api = """
            <api xmlns="http://ws.apache.org/ns/synapse" name="a" context="/a">
              <resource methods="GET" url-mapping="/*"><inSequence><description>x</description><drop/></inSequence></resource>
            </api>
            """
        #expect(throws: SynapseDiagnostics.self) { try SynapseParser().parse(xml: api, fileName: "a.xml") }
    }
}
