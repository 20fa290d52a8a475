import Foundation
import SluiceTesting
import Testing

/// `docs/architecture.md` shows the module graph of `Package.swift` as `scripts/module-graph` draws it, and the
/// data plane depends on neither storage, the control plane nor a database driver: the page cannot go stale
/// unnoticed, and the layering cannot erode.
@Suite struct ArchitecturePageTests {
    /// Runs `scripts/module-graph` with `arguments`; its exit status and standard error.
    private func moduleGraph(_ arguments: [String]) async throws -> (status: Int32, message: String) {
        let check = try await ChildProcess.run(
            "/usr/bin/env",
            ["python3", SluiceServerProcess.packageRoot + "/scripts/module-graph"] + arguments
        )
        return (check.status, check.error)
    }

    /// `Package.swift` with `names` added to the front of `target`'s `uses(...)`, written to a temporary file.
    private func manifest(adding names: [String], to target: String) throws -> String {
        let original = try String(contentsOfFile: SluiceServerProcess.packageRoot + "/Package.swift", encoding: .utf8)
        let declaration = ".target(name: \"\(target)\", dependencies: uses("
        let changed = original.replacingOccurrences(
            of: declaration,
            with: declaration + names.map { "\"\($0)\", " }.joined()
        )
        #expect(changed != original, "no declaration of \(target) to change")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("Package-\(UUID().uuidString).swift").path
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func moduleGraphOnThePageIsCurrentAndLayered() async throws {
        let check = try await moduleGraph(["--check"])
        #expect(check.status == 0, "\(check.message)")
    }

    @Test func theManifestPassesTheLayeringCheckGivenAsAManifest() async throws {
        let check = try await moduleGraph(["--check", "--manifest", SluiceServerProcess.packageRoot + "/Package.swift"])
        #expect(check.status == 0, "\(check.message)")
    }

    @Test(arguments: [
        ("SluiceGateway", ["GRDB"], "SluiceGateway uses GRDB"),
        ("SluiceMediation", ["PostgresNIO"], "SluiceMediation uses PostgresNIO"),
        // Through another module: every data-plane module that reaches SluiceXML is named.
        ("SluiceXML", ["PostgresNIO"], "SluiceGateway uses PostgresNIO through SluiceXML"),
        // The drivers' own module is fine for the node, not for the gateway.
        ("SluiceGateway", ["SluiceDatabaseMediators"], "SluiceGateway uses GRDB through SluiceDatabaseMediators"),
    ])
    func aDataPlaneModuleLinkingADatabaseDriverFailsTheCheck(target: String, added: [String], expected: String) async throws {
        let path = try manifest(adding: added, to: target)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let check = try await moduleGraph(["--check", "--manifest", path])
        #expect(check.status == 1)
        #expect(check.message.contains(expected), "\(check.message)")
    }
}
