import Foundation
import Logging
import SluiceMediation
import Testing

@testable import SluiceGateway

/// Named sequences, endpoints, local entries and templates defined twice across files (issue #15 item 13): as
/// Synapse refuses a duplicate definition, the later file is refused with both file names; the one that served
/// first keeps serving, also when the newcomer's file sorts first.
@Suite struct NamedArtifactConflictTests {
    private let root = NSTemporaryDirectory() + "sluice-named-conflicts-\(UUID().uuidString)"

    private func write(_ path: String, _ content: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try content.write(toFile: full, atomically: true, encoding: .utf8)
    }

    private func sequence(_ name: String, marker: String) -> String {
        #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="\#(name)"><property name="from" value="\#(marker)"/></sequence>"#
    }

    private func endpoint(_ name: String, uri: String) -> String {
        #"<endpoint xmlns="http://ws.apache.org/ns/synapse" name="\#(name)"><address uri="\#(uri)"/></endpoint>"#
    }

    private func makeDeployer() -> GatewayDeployer {
        GatewayDeployer(synapseConfigPath: root, handlerRegistry: .standard, logger: Logger(label: "test"))
    }

    /// The marker property the deployed `audit` sequence sets.
    private func servingMarker(_ deployer: GatewayDeployer) throws -> String? {
        let sequence = try #require(deployer.snapshots.current.program.sequence(named: "audit"))
        var context = MessageContext(method: "GET", requestPath: "/")
        var execution = SequenceExecution(sequence: sequence, program: deployer.snapshots.current.program)
        _ = try execution.run(&context)
        return context[property: "from"]?.stringValue
    }

    @Test func aNewcomerDefiningADeployedSequenceIsRefusedWithBothFiles() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let deployer = makeDeployer()
        try write("sequences/z-audit.xml", sequence("audit", marker: "first"))
        deployer.redeployChangedFiles()
        try write("sequences/a-audit.xml", sequence("audit", marker: "second"))
        deployer.redeployChangedFiles()
        #expect(try servingMarker(deployer) == "first")
        let refused = try #require(deployer.status.file(root + "/sequences/a-audit.xml"))
        #expect(refused.state == .failed)
        let message = try #require(refused.diagnostics.first?.message)
        #expect(message.contains("sequence 'audit'"))
        #expect(message.contains(root + "/sequences/a-audit.xml"))
        #expect(message.contains(root + "/sequences/z-audit.xml"))
        #expect(deployer.status.file(root + "/sequences/z-audit.xml")?.state == .deployed)

        // Once the first one goes, the other one deploys.
        try FileManager.default.removeItem(atPath: root + "/sequences/z-audit.xml")
        deployer.redeployChangedFiles()
        #expect(try servingMarker(deployer) == "second")
        #expect(deployer.status.file(root + "/sequences/a-audit.xml")?.state == .deployed)
    }

    /// Both present at the first deployment: the first file in deployment order wins, the other is refused.
    @Test func atStartTheFirstFileWinsForEndpointsAndLocalEntries() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("endpoints/a.xml", endpoint("backend", uri: "http://a.example/"))
        try write("endpoints/b.xml", endpoint("backend", uri: "http://b.example/"))
        try write("local-entries/one.xml", #"<localEntry xmlns="http://ws.apache.org/ns/synapse" key="limit">10</localEntry>"#)
        try write("local-entries/two.xml", #"<localEntry xmlns="http://ws.apache.org/ns/synapse" key="limit">20</localEntry>"#)
        let deployer = makeDeployer()
        deployer.redeployChangedFiles()
        let program = deployer.snapshots.current.program
        #expect(program.endpoints["backend"] != nil)
        #expect(deployer.status.file(root + "/endpoints/a.xml")?.state == .deployed)
        #expect(deployer.status.file(root + "/local-entries/one.xml")?.state == .deployed)
        let endpointProblem = deployer.status.file(root + "/endpoints/b.xml")?.diagnostics.first?.message ?? ""
        #expect(endpointProblem.contains("endpoint 'backend'") && endpointProblem.contains(root + "/endpoints/a.xml"))
        let entryProblem = deployer.status.file(root + "/local-entries/two.xml")?.diagnostics.first?.message ?? ""
        #expect(entryProblem.contains("local entry 'limit'") && entryProblem.contains(root + "/local-entries/one.xml"))
    }

    /// An edit that makes a served file define another file's name keeps that file's previous version serving.
    @Test func anEditCollidingWithAnotherFileKeepsItsPreviousVersion() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("sequences/a.xml", sequence("audit", marker: "a"))
        try write("sequences/b.xml", sequence("billing", marker: "b"))
        let deployer = makeDeployer()
        deployer.redeployChangedFiles()
        try write("sequences/b.xml", sequence("audit", marker: "b-edited"))
        deployer.redeployChangedFiles()
        #expect(try servingMarker(deployer) == "a")
        #expect(deployer.snapshots.current.program.sequence(named: "billing") != nil)
        let status = try #require(deployer.status.file(root + "/sequences/b.xml"))
        #expect(status.state == .failed)
        #expect(status.servingPreviousVersion)
    }
}
