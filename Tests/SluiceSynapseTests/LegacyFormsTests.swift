import Foundation
import SluiceModel
import SluiceSynapse
import Testing

/// Older forms real Synapse and WSO2 artifacts still use, read as Synapse reads them (facts from Synapse's
/// `EndpointDefinitionFactory`, `SynapseXMLConfigurationFactory` and `SynapseConfigUtils.getObject`).
@Suite struct LegacyFormsTests {
    static let ns = #"xmlns="http://ws.apache.org/ns/synapse""#

    private func address(_ inner: String) throws -> AddressEndpoint? {
        let xml = #"<endpoint \#(Self.ns) name="e"><address uri="http://127.0.0.1:9/x">\#(inner)</address></endpoint>"#
        let endpoint = try SynapseParser().parse(xml: xml, fileName: "e.xml").endpoints.first
        guard case .address(let address)? = endpoint?.kind else { return nil }
        return address
    }

    @Test func suspendDurationOnFailureIsSecondsWithoutProgression() throws {
        let legacy = try address("<suspendDurationOnFailure>30</suspendDurationOnFailure>")
        #expect(legacy?.qos.suspendOnFailure == SuspendOnFailure(initialDuration: 30_000, progressionFactor: 1))
    }

    @Test func suspendOnFailureSettingsWinOverTheOldForm() throws {
        let both = try address(
            """
            <suspendDurationOnFailure>30</suspendDurationOnFailure>
            <suspendOnFailure><progressionFactor>2</progressionFactor><maximumDuration>60000</maximumDuration></suspendOnFailure>
            """
        )
        #expect(
            both?.qos.suspendOnFailure
                == SuspendOnFailure(initialDuration: 30_000, progressionFactor: 2, maximumDuration: 60_000)
        )
    }

    @Test func aBadOldSuspendDurationIsReported() {
        #expect(throws: SynapseDiagnostics.self) {
            _ = try address("<suspendDurationOnFailure>soon</suspendDurationOnFailure>")
        }
    }

    @Test func theOldTimeoutActionElementIsIgnoredAsSynapseIgnoresIt() throws {
        let endpoint = try address("<timeout><duration>500</duration><action>fault</action></timeout>")
        #expect(endpoint?.qos.timeout?.duration == 500)
        #expect(endpoint?.qos.timeout?.responseAction == nil)
    }

    @Test func priorityExecutorsAreRefusedByTheirSynapseName() {
        do {
            _ = try SynapseParser().parse(xml: #"<priorityExecutor \#(Self.ns) name="p"/>"#, fileName: "p.xml")
            Issue.record("a priority executor was read")
        } catch {
            #expect(error.diagnostics.map(\.message) == [
                "<priorityExecutor> artifacts are not supported: priority executors are out of scope for Sluice"
            ])
        }
    }

    @Test func relativeSourcesResolveFromTheProductHomeBeforeTheArtifactFolder() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-home-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let entries = home + "/repository/deployment/server/synapse-configs/default/local-entries"
        try FileManager.default.createDirectory(atPath: entries, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/samples/resources", withIntermediateDirectories: true)

        // Only beside the artifact: Sluice's fallback finds it.
        let xml = #"<localEntry \#(Self.ns) key="note" src="file:samples/resources/note.txt"/>"#
        try FileManager.default.createDirectory(atPath: entries + "/samples/resources", withIntermediateDirectories: true)
        try "beside".write(toFile: entries + "/samples/resources/note.txt", atomically: true, encoding: .utf8)
        let beside = try SynapseParser().parse(xml: xml, fileName: entries + "/note.xml").localEntries
        #expect(beside.map(\.content) == [.text("beside")])

        // The product home (WSO2's synapse.home, above repository/) wins over the artifact's folder, as in WSO2.
        try "from the home".write(toFile: home + "/samples/resources/note.txt", atomically: true, encoding: .utf8)
        let read = try SynapseParser().parse(xml: xml, fileName: entries + "/note.xml").localEntries
        #expect(read.map(\.content) == [.text("from the home")])
    }
}
