import Foundation
import SluiceTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A cluster on loopback, all real processes: a PostgreSQL server of its own (scripts/postgres), one control plane
/// (`sluice server --roles key-manager,publisher,devportal,admin`), gateways (`<Roles><Role>gateway</Role>`), each
/// with its own repository copy, and the sample backend. Nothing is shared with other tests, so a test may kill a
/// gateway or restart the database. Call ``stop()`` at the end (deinit stops what is left).
final class ClusterFixture {
    static let packageRoot: String = {
        let file = #filePath
        return String(file[..<file.range(of: "/Tests/SluiceCLITests/")!.lowerBound])
    }()

    static let binaries = packageRoot + "/.build/debug"
    static let adminPassword = "Cluster-Test-1"
    /// How often gateways sync shared throttle counters in these tests (api-manager.xml's default is 100 ms too).
    static let throttleSyncMillis = 100

    let workspace: String
    /// The nodes and the backend bind port 0 and the fixture reads the ports they got from their logs: a port
    /// picked free beforehand can be taken by another test before the node binds it.
    private(set) var backendPort = 0
    private(set) var managementPort = 0
    private(set) var gatewayPorts: [Int]
    private var postgres: ThrowawayPostgres?
    private var databaseURL: String { postgres?.url ?? "" }
    private var processes: [String: Process] = [:]

    var management: String { "http://127.0.0.1:\(managementPort)" }
    func gateway(_ index: Int) -> String { "http://127.0.0.1:\(gatewayPorts[index])" }
    var admin: [String: String] {
        ["Authorization": "Basic " + Data("admin:\(Self.adminPassword)".utf8).base64EncodedString(),
         "Content-Type": "application/json"]
    }

    init(gateways: Int = 3) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binaries + "/sluice"), "build the package first")
        workspace = NSTemporaryDirectory() + "sluice-cluster-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        gatewayPorts = Array(repeating: 0, count: gateways)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: workspace)
    }

    /// Starts the database, the backend, the control plane and every gateway, and waits until all answer.
    func start() async throws {
        try startPostgres()
        try launch("backend", Self.binaries + "/sluice-backend", ["--port", "0"])
        backendPort = try await port(in: "backend", after: "sluice-backend listening on 127.0.0.1:", seen: 1)
        try startControlPlane()
        managementPort = try await port(in: "control-plane", after: "Server started and listening on 127.0.0.1:", seen: 1)
        try await waitUntil(management + "/api/am/openapi.json", answers: { $0 == 200 })
        for index in gatewayPorts.indices { try await startGateway(index) }
    }

    /// Starts (or restarts) gateway `index` over its repository, and waits until it answers.
    func startGateway(_ index: Int) async throws {
        let repository = try repository(named: "gateway\(index)", roles: ["gateway"])
        let seen = occurrences(of: "sluice.gateway.port=", in: "gateway\(index)")
        try launch(
            "gateway\(index)",
            Self.binaries + "/sluice",
            ["server", "--repository", repository, "--log-level", "info"],
            environment: ["SLUICE_ADMIN_PASSWORD": Self.adminPassword]
        )
        gatewayPorts[index] = try await port(in: "gateway\(index)", after: "sluice.gateway.port=", seen: seen)
        try await waitUntil(gateway(index) + "/no-such-api", answers: { $0 == 404 })
    }

    /// Ends gateway `index` the hard way (SIGKILL): no graceful shutdown, nothing flushed.
    func kill(gateway index: Int) {
        guard let process = processes.removeValue(forKey: "gateway\(index)") else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops the database and starts it again on the same port and data (`scripts/postgres restart`).
    func restartPostgres() throws {
        try #require(postgres).restart()
    }

    /// Stops every process and the database. A node still running 30 s after SIGTERM gets SIGKILL, so a node
    /// that hangs in its shutdown cannot hang the suite (its log says how far it got).
    func stop() {
        for process in processes.values where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(30)
        for process in processes.values {
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        processes.removeAll()
        postgres?.stop()
        postgres = nil
    }

    /// The end of a node's log, to explain a failure.
    func logTail(_ name: String, lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: workspace + "/\(name).log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    // MARK: - The management API

    /// Creates an API whose `/menu` needs a token, publishes it, and returns its id.
    func publishAPI(name: String, context: String, tier: String = "Unlimited") async throws -> String {
        let definition = """
            {"name": "\(name)", "context": "\(context)", "version": "1.0.0", "provider": "admin",
             "policies": ["Unlimited", "\(tier)"], "endpointConfig": {"endpoint_type": "http",
             "production_endpoints": {"url": "http://127.0.0.1:\(backendPort)/pizzashack"}},
             "operations": [{"target": "/menu", "verb": "GET", "authType": "Application & Application User",
                             "throttlingPolicy": "Unlimited"}]}
            """
        let created = try await HTTP.send("POST", management + "/api/am/publisher/v4/apis", headers: admin, body: definition)
        try #require(created.status == 201, "creating \(name): \(created.body)")
        let id = try #require(try Self.json(created.body)["id"] as? String)
        try await changeLifecycle(of: id, action: "Publish")
        return id
    }

    /// Runs a lifecycle action (Publish, Block, Re-Publish...).
    func changeLifecycle(of apiID: String, action: String) async throws {
        let answer = try await HTTP.send(
            "POST", management + "/api/am/publisher/v4/apis/change-lifecycle?apiId=\(apiID)&action=\(action)", headers: admin
        )
        try #require(answer.status == 200, "\(action): \(answer.body)")
    }

    /// An application subscribed to `apiID` at `tier`, with production keys and a client-credentials token.
    func subscribedApplication(
        _ name: String,
        to apiID: String,
        tier: String = "Unlimited"
    ) async throws -> (id: String, consumerKey: String, consumerSecret: String, token: String) {
        let app = try await HTTP.send(
            "POST", management + "/api/am/devportal/v3/applications", headers: admin,
            body: #"{"name": "\#(name)", "throttlingPolicy": "Unlimited"}"#
        )
        let id = try #require(try Self.json(app.body)["applicationId"] as? String, "\(app.body)")
        let subscription = try await HTTP.send(
            "POST", management + "/api/am/devportal/v3/subscriptions", headers: admin,
            body: #"{"applicationId": "\#(id)", "apiId": "\#(apiID)", "throttlingPolicy": "\#(tier)"}"#
        )
        try #require(subscription.status == 201, "subscribing: \(subscription.body)")
        let keys = try await HTTP.send(
            "POST", management + "/api/am/devportal/v3/applications/\(id)/generate-keys", headers: admin,
            body: #"{"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"]}"#
        )
        let answer = try Self.json(keys.body)
        let token = try #require((answer["token"] as? [String: Any])?["accessToken"] as? String, "\(keys.body)")
        let key = try #require(answer["consumerKey"] as? String)
        let secret = try #require(answer["consumerSecret"] as? String)
        return (id, key, secret, token)
    }

    /// Revokes a token at the key manager (RFC 7009).
    func revoke(token: String, consumerKey: String, consumerSecret: String) async throws {
        let basic = Data("\(consumerKey):\(consumerSecret)".utf8).base64EncodedString()
        let answer = try await HTTP.send(
            "POST", management + "/oauth2/revoke", headers: ["Authorization": "Basic \(basic)"], body: "token=\(token)"
        )
        try #require(answer.status == 200, "revoking: \(answer.body)")
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    // MARK: - Helpers

    /// A server of this cluster's own: a test may restart it.
    private func startPostgres() throws {
        postgres = try ThrowawayPostgres.start()
    }

    private func startControlPlane() throws {
        let repository = try repository(named: "control-plane", roles: ["key-manager", "publisher", "devportal", "admin"])
        try launch(
            "control-plane",
            Self.binaries + "/sluice",
            ["server", "--repository", repository, "--roles", "key-manager,publisher,devportal,admin", "--log-level", "info"],
            environment: ["SLUICE_ADMIN_PASSWORD": Self.adminPassword]
        )
    }

    /// A copy of the shipped repository (once per node; a restarted node keeps its folder) with an
    /// api-manager.xml pointing at the test database.
    private func repository(named name: String, roles: [String]) throws -> String {
        let path = workspace + "/" + name
        guard !FileManager.default.fileExists(atPath: path) else { return path }
        try SluiceServerProcess.copyShippedRepository(to: path)
        let configuration = """
            <APIManager>
                <Ports><Gateway>0</Gateway><GatewayHTTPS>off</GatewayHTTPS>
                    <Management>0</Management><ManagementHTTPS>off</ManagementHTTPS></Ports>
                <BindAddress>127.0.0.1</BindAddress>
                <Database><Type>postgres</Type><URL>\(databaseURL.replacingOccurrences(of: "&", with: "&amp;"))</URL></Database>
                <Roles>\(roles.map { "<Role>\($0)</Role>" }.joined())</Roles>
                <KeyManager><URL>\(management)</URL></KeyManager>
                <Cluster><ThrottleSyncIntervalMillis>\(Self.throttleSyncMillis)</ThrottleSyncIntervalMillis></Cluster>
            </APIManager>
            """
        try configuration.write(toFile: path + "/conf/api-manager.xml", atomically: true, encoding: .utf8)
        return path
    }

    private func launch(_ name: String, _ binary: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let log = workspace + "/\(name).log"
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        try process.runWithoutInheritedDescriptors()
        processes[name] = process
    }

    /// How many times `marker` is in a node's log so far.
    private func occurrences(of marker: String, in name: String) -> Int {
        ((try? String(contentsOfFile: workspace + "/\(name).log", encoding: .utf8)) ?? "").components(separatedBy: marker).count
    }

    /// The last nonzero number after `marker` in a node's log among the occurrences after the first `seen - 1`
    /// (a restarted node appends to its log).
    private func port(in name: String, after marker: String, seen: Int) async throws -> Int {
        let log = workspace + "/\(name).log"
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let parts = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").components(separatedBy: marker)
            // The node also logs the configured port (0) before the one it bound.
            let bound = parts.dropFirst(seen).compactMap { Int($0.prefix { $0.isNumber }) }.last { $0 != 0 }
            if let bound { return bound }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(name) did not log its port within 60 s:\n\(logTail(name))")
        throw CancellationError()
    }

    private func waitUntil(_ url: String, answers done: (Int) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let answer = try? await HTTP.send("GET", url), done(answer.status) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(url) did not answer within 60 s")
    }
}
