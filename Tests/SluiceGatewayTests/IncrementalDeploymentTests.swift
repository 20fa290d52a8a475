import Foundation
import Logging
import NIOConcurrencyHelpers
import SluiceMediation
import Testing

@testable import SluiceGateway

/// Redeploys compile only what changed: an API file's edit recompiles that file's APIs, a named sequence's edit
/// recompiles every API (they may use it).
@Suite struct IncrementalDeploymentTests {
    /// Counts the handler chains built, one per compiled API that names the counting handler.
    private struct CountingHandler: GatewayHandler {
        func handleRequest(_ context: inout MessageContext) -> GatewayHandlerDecision { .proceed }
    }

    private func api(_ name: String, header: String = "v1") -> String {
        """
        <api xmlns="http://ws.apache.org/ns/synapse" name="\(name)" context="/\(name)">
          <resource methods="GET" url-mapping="/*">
            <inSequence><header name="X-Version" value="\(header)" scope="transport"/><respond/></inSequence>
          </resource>
          <handlers><handler class="Counting"/></handlers>
        </api>
        """
    }

    @Test func onlyChangedAPIFilesRecompileUntilANamedSequenceChanges() throws {
        let root = NSTemporaryDirectory() + "sluice-incremental-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let compiled = NIOLockedValueBox(0)
        var registry = GatewayHandlerRegistry()
        registry.register(names: ["Counting"]) { _ in
            compiled.withLockedValue { $0 += 1 }
            return CountingHandler()
        }
        let deployer = GatewayDeployer(
            synapseConfigPath: root, handlerRegistry: registry, logger: Logger(label: "test")
        )
        for name in ["a", "b", "c"] {
            try api(name).write(toFile: root + "/api/\(name).xml", atomically: true, encoding: .utf8)
        }
        #expect(deployer.redeployChangedFiles())
        #expect(compiled.withLockedValue { $0 } == 3)

        try api("b", header: "v2").write(toFile: root + "/api/b.xml", atomically: true, encoding: .utf8)
        #expect(deployer.redeployChangedFiles())
        #expect(compiled.withLockedValue { $0 } == 4)
        #expect(deployer.snapshots.current.apis.count == 3)

        let sequence = #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="shared"><drop/></sequence>"#
        try sequence.write(toFile: root + "/sequences/shared.xml", atomically: true, encoding: .utf8)
        #expect(deployer.redeployChangedFiles())
        #expect(compiled.withLockedValue { $0 } == 7)

        // A broken edit keeps the old version serving and is retried (not reused) on the next redeploy.
        try "<api".write(toFile: root + "/api/c.xml", atomically: true, encoding: .utf8)
        #expect(deployer.redeployChangedFiles())
        #expect(deployer.status.file(root + "/api/c.xml")?.state == .failed)
        #expect(deployer.snapshots.current.apis.count == 3)
        try api("c", header: "v3").write(toFile: root + "/api/c.xml", atomically: true, encoding: .utf8)
        #expect(deployer.redeployChangedFiles())
        #expect(deployer.status.file(root + "/api/c.xml")?.state == .deployed)
        #expect(deployer.snapshots.current.apis.count == 3)
    }
}
