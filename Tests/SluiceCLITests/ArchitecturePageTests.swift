import Foundation
import SluiceTesting
import Testing

/// `docs/architecture.md` shows the module graph of `Package.swift` as `scripts/module-graph` draws it, and the
/// data plane depends on neither storage nor the control plane: the page cannot go stale unnoticed.
@Suite struct ArchitecturePageTests {
    @Test func moduleGraphOnThePageIsCurrentAndLayered() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", SluiceServerProcess.packageRoot + "/scripts/module-graph", "--check"]
        let errors = Pipe()
        check.standardError = errors
        try check.runWithoutInheritedDescriptors()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "\(message)")
    }
}
