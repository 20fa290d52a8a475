import Foundation
import Logging
import SluiceMediation
import Testing

@testable import SluiceGateway

/// A new artifact cannot shadow a deployed API (issue #12 item 7): the API already serving keeps its context
/// and its name; the newcomer is refused with an error naming both files.
@Suite struct DeploymentConflictTests {
    private let root = NSTemporaryDirectory() + "sluice-conflicts-\(UUID().uuidString)"

    private func api(_ name: String, context: String, version: String? = nil, hostname: String? = nil) -> String {
        let versionAttributes = version.map { #" version="\#($0)" version-type="url""# } ?? ""
        let host = hostname.map { #" hostname="\#($0)""# } ?? ""
        return """
            <api xmlns="http://ws.apache.org/ns/synapse" name="\(name)" context="\(context)"\(versionAttributes)\(host)>
              <resource methods="GET" url-mapping="/*"><inSequence><respond/></inSequence></resource>
            </api>
            """
    }

    private func write(_ file: String, _ content: String) throws {
        try content.write(toFile: root + "/api/" + file, atomically: true, encoding: .utf8)
    }

    private func makeDeployer() -> GatewayDeployer {
        GatewayDeployer(synapseConfigPath: root, handlerRegistry: .standard, logger: Logger(label: "test"))
    }

    private func servedFiles(_ deployer: GatewayDeployer) -> [String] {
        deployer.snapshots.current.apis.map { ($0.path as NSString).lastPathComponent }.sorted()
    }

    @Test func aNewcomerWithADeployedContextIsRefusedAndTheFirstKeepsServing() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let deployer = makeDeployer()
        // The newcomer's file sorts first: file order must not decide, being there first does.
        try write("z-secure.xml", api("Secure", context: "/sececho", version: "1.0.0"))
        deployer.redeployChangedFiles()
        try write("a-shadow.xml", api("Shadow", context: "/sececho/1.0.0"))
        deployer.redeployChangedFiles()
        #expect(servedFiles(deployer) == ["z-secure.xml"])
        let refused = try #require(deployer.status.file(root + "/api/a-shadow.xml"))
        #expect(refused.state == .failed)
        let message = try #require(refused.diagnostics.first?.message)
        #expect(message.contains("/sececho/1.0.0"))
        #expect(message.contains(root + "/api/z-secure.xml"))
        #expect(refused.diagnostics.first?.file == root + "/api/a-shadow.xml")
        #expect(deployer.status.file(root + "/api/z-secure.xml")?.state == .deployed)

        // Once the first one goes, the newcomer takes the context.
        try FileManager.default.removeItem(atPath: root + "/api/z-secure.xml")
        deployer.redeployChangedFiles()
        #expect(servedFiles(deployer) == ["a-shadow.xml"])
        #expect(deployer.status.file(root + "/api/a-shadow.xml")?.state == .deployed)
    }

    @Test func aNewcomerWithADeployedNameAndVersionIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let deployer = makeDeployer()
        try write("b.xml", api("Orders", context: "/orders", version: "1"))
        deployer.redeployChangedFiles()
        try write("a.xml", api("Orders", context: "/other", version: "1"))
        deployer.redeployChangedFiles()
        #expect(servedFiles(deployer) == ["b.xml"])
        let message = deployer.status.file(root + "/api/a.xml")?.diagnostics.first?.message ?? ""
        #expect(message.contains("'Orders:v1'"))
        #expect(message.contains(root + "/api/b.xml"))
    }

    @Test func anEditCollidingWithAnotherAPIKeepsItsPreviousVersion() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let deployer = makeDeployer()
        try write("a.xml", api("A", context: "/a"))
        try write("b.xml", api("B", context: "/b"))
        deployer.redeployChangedFiles()
        try write("a.xml", api("A", context: "/b"))
        deployer.redeployChangedFiles()
        let contexts = deployer.snapshots.current.apis.map(\.compiled.definition.context).sorted()
        #expect(contexts == ["/a", "/b"])
        #expect(deployer.snapshots.current.apis.first { $0.compiled.definition.context == "/b" }?.compiled.definition.name == "B")
        let status = try #require(deployer.status.file(root + "/api/a.xml"))
        #expect(status.state == .failed)
        #expect(status.servingPreviousVersion)
    }

    @Test func theSameContextWithDifferentHostFiltersIsNoConflict() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let deployer = makeDeployer()
        try write("a.xml", api("A", context: "/shop", hostname: "a.example"))
        try write("b.xml", api("B", context: "/shop", hostname: "b.example"))
        try write("c.xml", api("C", context: "/shop"))
        try write("d.xml", api("D", context: "/shop"))
        deployer.redeployChangedFiles()
        #expect(servedFiles(deployer) == ["a.xml", "b.xml", "c.xml"])
        #expect(deployer.status.file(root + "/api/d.xml")?.diagnostics.first?.message.contains(root + "/api/c.xml") == true)
    }
}
