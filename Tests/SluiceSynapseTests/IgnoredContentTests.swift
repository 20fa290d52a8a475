import SluiceMediation
import SluiceModel
import SluiceSynapse
import Testing

/// What Synapse's factories read past (text between elements, children a factory does not look for by name): the
/// artifact reads as Synapse builds it, and each ignored piece is a warning with its place.
@Suite struct IgnoredContentTests {
    private static func read(_ xml: String) throws -> (artifacts: SynapseArtifacts, warnings: [String]) {
        let (artifacts, warnings) = try SynapseParser().parseWithWarnings(bytes: Array(xml.utf8), fileName: "t.xml")
        return (artifacts, warnings.map(\.description))
    }

    @Test func strayTextInASequenceIsAWarningAndTheMediatorsStay() throws {
        let (artifacts, warnings) = try Self.read(
            """
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="s">
              <log level="full"/>,
              <drop/>
            </sequence>
            """
        )
        #expect(artifacts.sequences.first?.mediators.count == 2)
        #expect(warnings == ["t.xml:1:1: text inside <sequence> is ignored, as Synapse ignores it"])
    }

    @Test func childrenCloneTargetValidateAndResourceDoNotReadAreWarnings() throws {
        let (artifacts, warnings) = try Self.read(
            """
            <api xmlns="http://ws.apache.org/ns/synapse" name="a" context="/a">
              <resource methods="GET" uri-template="/x">
                <inSequence>
                  <clone>
                    <log level="full"/>
                    <target><log/><sequence><drop/></sequence></target>
                  </clone>
                  <validate>
                    <property name="secure" value="false"/>
                    <schema key="xsd"/>
                    <on-fail><drop/></on-fail>
                  </validate>
                </inSequence>
                <respond/>
              </resource>
            </api>
            """
        )
        let resource = try #require(artifacts.apis.first?.resources.first)
        guard case .inline(let mediators) = resource.inSequence else {
            Issue.record("no inline inSequence")
            return
        }
        let clone = try #require(mediators.first?.as(CloneMediator.self))
        #expect(clone.targets.count == 1)
        #expect(mediators.last?.as(ValidateMediator.self)?.schemaKeys == ["xsd"])
        #expect(
            warnings == [
                "t.xml:5:9: element '<log>' in <clone> is ignored, as Synapse ignores it",
                "t.xml:6:17: element '<log>' in <target> is ignored, as Synapse ignores it",
                "t.xml:9:9: element '<property>' in <validate> is ignored, as Synapse ignores it",
                "t.xml:14:5: element '<respond>' in <resource> is ignored, as Synapse ignores it",
            ]
        )
    }

    @Test func mediatorPositionsStillRefuseUnknownElements() {
        // AbstractListMediatorFactory builds every child element as a mediator: an unknown one fails the file.
        #expect(throws: SynapseDiagnostics.self) {
            try SynapseParser().parse(
                xml: #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="s"><nonsense/></sequence>"#,
                fileName: "t.xml"
            )
        }
    }
}
