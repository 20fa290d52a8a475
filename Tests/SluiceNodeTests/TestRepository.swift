import Foundation
import Logging
import SluiceModel
import SluiceNode

/// A copy of the shipped `repository/` in a fresh temporary folder (without its database), removed on deinit.
final class TestRepository {
    static let packageRoot: String = {
        let file = #filePath
        return String(file[..<file.range(of: "/Tests/SluiceNodeTests/")!.lowerBound])
    }()

    let workspace: String
    var path: String { workspace + "/repository" }

    init() throws {
        workspace = NSTemporaryDirectory() + "sluice-node-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.packageRoot + "/repository", toPath: path)
        try? FileManager.default.removeItem(atPath: path + "/database")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: workspace)
    }

    /// Options for a node on loopback playing `roles`, with a fixed admin password and quiet logs.
    func options(roles: Set<NodeRole>) -> NodeOptions {
        var settings = APIManagerSettings.defaults
        settings.roles = roles
        settings.bindAddress = "127.0.0.1"
        // Tests run side by side: no fixed ports. Plain HTTP binds a port the kernel picks (read back with
        // `gateway.boundPort` and `node.boundManagementPort`); a test that needs HTTPS asks for port 0 too.
        settings.gatewayPort = 0
        settings.managementPort = 0
        settings.gatewayHTTPSPort = nil
        settings.managementHTTPSPort = nil
        var logger = Logger(label: "sluice-node-test")
        logger.logLevel = .warning
        return NodeOptions(repository: path, settings: settings, adminPassword: "Node-Test-1", logger: logger)
    }
}
