import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SluiceGatewayHandlers
import SluiceModel
import SluiceNode
import SluiceTesting
import Synchronization
import Testing

/// The node assembly the CLI runs, called directly: which parts each role mix gets, the errors for settings that
/// cannot work, and an all-in-one node serving both ports in-process.
@Suite(.timeLimit(.minutes(2)))
struct NodeAssemblyTests {
    @Test func allInOneNodeServesTheGatewayAndTheManagementAPI() async throws {
        let repository = try TestRepository()
        var options = repository.options(roles: Set(NodeRole.allCases))
        options.gatewayPort = 0
        options.managementPort = 0
        let node = try await SluiceNode.assemble(options)
        let gateway = try #require(node.gateway)
        #expect(node.keyManager != nil)
        #expect(node.apiManager != nil)
        #expect(node.managementPort == 0)

        let services = node.serviceGroup()
        try await withRunningServices(services) {
            let gatewayPort = try await gateway.boundPort
            let managementPort = try await node.boundManagementPort
            #expect(managementPort != 0)
            let ports = try await node.boundPorts()
            #expect(ports.gateway == gatewayPort && ports.management == managementPort)
            // The test repository's api-manager.xml switches both HTTPS listeners off.
            #expect(ports.gatewayHTTPS == nil && ports.managementHTTPS == nil)
            await #expect(throws: ListenerNotBound.self) { _ = try await node.boundManagementHTTPSPort }
            let openAPI = try await poll("http://127.0.0.1:\(managementPort)/api/am/openapi.json") { $0 == 200 }
            #expect(openAPI == 200)
            let unknown = try await HTTPStatus.get("http://127.0.0.1:\(gatewayPort)/no-such-api/1.0/x")
            #expect(unknown == 404)
        }
    }

    @Test func aControlPlaneNodeHasNoGatewayAndAnnouncesTheMadeUpPassword() async throws {
        let repository = try TestRepository()
        var options = repository.options(roles: [.publisher, .devportal, .admin, .keyManager])
        options.adminPassword = nil
        let announced = Mutex<[String]>([])
        options.announceGeneratedAdminPassword = { username, password in
            announced.withLock { $0.append(username + ":" + String(password.count)) }
        }
        let node = try await SluiceNode.assemble(options)
        #expect(node.gateway == nil)
        #expect(node.gatewayHandlers == nil)
        #expect(node.gatewayPort == nil)
        #expect(node.keyManager != nil)
        let calls = announced.withLock { $0 }
        #expect(calls.count == 1)
        #expect(calls.first?.hasPrefix("admin:") == true)

        // The second start finds the administrator and makes nothing up.
        let again = try await SluiceNode.assemble(options)
        #expect(again.keyManager != nil)
        #expect(announced.withLock { $0.count } == 1)
    }

    @Test func aGatewayOnlyNodeNeedsAKeyManager() async throws {
        let repository = try TestRepository()
        let options = repository.options(roles: [.gateway])
        await #expect(throws: APIManagerGatewayHandlers.ConfigurationError.self) {
            _ = try await SluiceNode.assemble(options)
        }
        var remote = options
        remote.settings.keyManagerURL = "http://127.0.0.1:1"
        let node = try await SluiceNode.assemble(remote)
        #expect(node.gateway != nil)
        #expect(node.keyManager == nil)
        #expect(node.managementPort == nil)
    }

    @Test func badTierFilesAndBadSettingsAreClearErrors() async throws {
        let repository = try TestRepository()
        try "<not-a-policy".write(toFile: repository.path + "/conf/tiers.xml", atomically: true, encoding: .utf8)
        await #expect {
            _ = try await SluiceNode.assemble(repository.options(roles: [.publisher]))
        } throws: { error in
            (error as? NodeAssemblyError)?.description.hasPrefix("invalid tier files:") == true
        }

        try "<APIManager><Ports><Gateway>99999</Gateway></Ports></APIManager>"
            .write(toFile: repository.path + "/conf/api-manager.xml", atomically: true, encoding: .utf8)
        #expect {
            _ = try NodeOptions.reading(repository: repository.path, environment: [:], logger: Logger(label: "test"))
        } throws: { error in
            let description = (error as? NodeAssemblyError)?.description ?? ""
            return description.hasPrefix("invalid configuration:") && description.contains("out of range")
        }
    }

    @Test func theEnvironmentPasswordWinsOverTheFile() throws {
        let repository = try TestRepository()
        try "<APIManager><Admin><Username>root</Username><Password>from-file</Password></Admin></APIManager>"
            .write(toFile: repository.path + "/conf/api-manager.xml", atomically: true, encoding: .utf8)
        let logger = Logger(label: "test")
        let fromFile = try NodeOptions.reading(repository: repository.path, environment: [:], logger: logger)
        #expect(fromFile.adminPassword == "from-file")
        #expect(fromFile.settings.adminUsername == "root")
        let fromEnvironment = try NodeOptions.reading(
            repository: repository.path, environment: ["SLUICE_ADMIN_PASSWORD": "from-env"], logger: logger
        )
        #expect(fromEnvironment.adminPassword == "from-env")
    }
}

/// Polls `url` until `done` accepts the status or 30 s pass; returns the last status (0 when nothing answered).
func poll(_ url: String, until done: (Int) -> Bool) async throws -> Int {
    let deadline = ContinuousClock.now + .seconds(30)
    var status = 0
    while ContinuousClock.now < deadline {
        status = (try? await HTTPStatus.get(url)) ?? 0
        if done(status) { return status }
        try await Task.sleep(for: .milliseconds(50))
    }
    return status
}

enum HTTPStatus {
    static func get(_ url: String) async throws -> Int {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
