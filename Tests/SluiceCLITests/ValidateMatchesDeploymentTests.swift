import Foundation
import Logging
import SluiceGateway
import SluiceGatewayHandlers
import Testing

/// `sluice validate` says what deployment says: for every fixture folder of `Tests/DeploymentFixtures/` (a
/// `synapse-configs/default` layout, good or bad), the gateway's deployer reports the diagnostics written in the
/// folder's `expected.txt`, and the `sluice validate` process prints exactly those lines. Adding a folder adds a
/// case.
@Suite(.timeLimit(.minutes(2)))
struct ValidateMatchesDeploymentTests {
    static let fixtures = ValidateCommandTests.packageRoot + "/Tests/DeploymentFixtures"

    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }()

    @Test func thereAreGoodAndBadFixtures() {
        #expect(Self.cases.count >= 10)
        #expect(Self.cases.contains("good-shop"))
    }

    @Test(arguments: cases)
    func validateOutputIsTheDeployersReport(fixture: String) async throws {
        // The deployer creates its missing folders: work on a copy, never in the source tree.
        let root = NSTemporaryDirectory() + "sluice-validate-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.copyItem(atPath: Self.fixtures + "/" + fixture, toPath: root)
        let expected = try String(contentsOfFile: root + "/expected.txt", encoding: .utf8)
            .replacingOccurrences(of: "$ROOT", with: root)
        try FileManager.default.removeItem(atPath: root + "/expected.txt")

        let validation = try await ValidateCommandTests.runValidate([root])

        // The node's own handler registry (as `sluice server` builds it), not the checking one validate uses.
        let handlers = try APIManagerGatewayHandlers(
            repositoryPath: root,
            keyValidation: .immediate { _ in .denied(.invalidCredentials) },
            usageRepository: nil,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let deployer = GatewayDeployer(
            synapseConfigPath: root,
            handlerRegistry: handlers.registry,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        deployer.redeployChangedFiles()
        let deployed = deployer.status.files.flatMap(\.lines)

        #expect(deployed.joined(separator: "\n") + "\n" == expected)
        #expect(validation.output == expected)
        #expect(validation.status == (deployer.status.files.allSatisfy { $0.diagnostics.isEmpty } ? 0 : 1))
    }
}
