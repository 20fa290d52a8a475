import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceTesting
import Testing

/// Starts the real `sluice server` and `sluice-backend` processes over a copy of the shipped repository and walks
/// the story a new user would: the sample API answers through the gateway, an application's keys get a token through
/// the gateway's `/token` API, the token is revoked through `/revoke`, and SIGTERM shuts the server down cleanly.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ServerProcessTests {
    static let packageRoot: String = {
        let file = #filePath
        return String(file[..<file.range(of: "/Tests/SluiceCLITests/")!.lowerBound])
    }()

    static let binaries = packageRoot + "/.build/debug"

    @Test func allInOneServerServesTheSampleAPIAndTheTokenAPIs() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binaries + "/sluice"), "build the package first")
        let workspace = NSTemporaryDirectory() + "sluice-server-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let repository = workspace + "/repository"
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        try SluiceServerProcess.copyShippedRepository(to: repository)

        let (backend, backendPort) = try await startBackend(in: workspace)
        defer { backend.terminate() }
        let apis = repository + "/deployment/server/synapse-configs/default/api/"
        try rewrite(apis + "admin--PizzaShackAPI_v1.0.0.xml", "localhost:9000", "127.0.0.1:\(backendPort)")

        // An application with production keys, made offline with the CLI before the server starts.
        let created = try await runToEnd(["app", "create", "--repository", repository, "--name", "Tester", "--owner", "admin"])
        let appID = try #require(created.split(separator: "(").last?.split(separator: ")").first).description
        let keys = try await runToEnd(["app", "keys", "--repository", repository, "--app", appID, "--generate", "PRODUCTION"])
        let consumerKey = try #require(value(after: "Consumer key:", in: keys))
        let consumerSecret = try #require(value(after: "Consumer secret:", in: keys))

        let (server, ports) = try await startServer(repository: repository, in: workspace, password: "Integration-Test-1")
        defer { if server.isRunning { server.terminate() } }
        let managementPort = ports.management
        // The token APIs proxy to the management port, known only now: rewritten, they are hot deployed again.
        try rewrite(apis + "_TokenAPI_.xml", "localhost:9763", "127.0.0.1:\(managementPort)")
        try rewrite(apis + "_RevokeAPI_.xml", "localhost:9763", "127.0.0.1:\(managementPort)")

        let gateway = "http://127.0.0.1:\(ports.gateway)"
        try await waitUntilAnswering(gateway + "/pizzashack/1.0.0/menu")

        let menu = try await HTTP.send("GET", gateway + "/pizzashack/1.0.0/menu")
        #expect(menu.status == 200)
        #expect(menu.body.contains("Chicken Parmesan"))

        let unknown = try await HTTP.send("GET", gateway + "/no-such-api/1.0/x")
        #expect(unknown.status == 404)

        let basic = Data("\(consumerKey):\(consumerSecret)".utf8).base64EncodedString()
        // Until the rewritten token API is deployed, the old one proxies to port 9763, where nothing (or a server
        // that does not know this client) answers.
        let token = try await eventually {
            try await HTTP.send(
                "POST",
                gateway + "/token",
                headers: ["Authorization": "Basic \(basic)", "Content-Type": "application/x-www-form-urlencoded"],
                body: "grant_type=client_credentials"
            )
        } until: { $0.status == 200 }
        #expect(token.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(token.body.utf8)) as? [String: Any])
        let accessToken = try #require(json["access_token"] as? String)
        #expect(json["token_type"] as? String == "Bearer")
        // WSO2's 3600 s validity less its 300 s TimestampSkew: how long the gateway takes the token.
        #expect(json["expires_in"] as? Int == 3300)

        let badClient = try await HTTP.send(
            "POST",
            gateway + "/token",
            headers: ["Authorization": "Basic \(Data("\(consumerKey):wrong".utf8).base64EncodedString())"],
            body: "grant_type=client_credentials"
        )
        #expect(badClient.status == 401)

        // Deployed with the token API, in the same scan or the next one.
        let revoke = try await eventually {
            try await HTTP.send(
                "POST",
                gateway + "/revoke",
                headers: ["Authorization": "Basic \(basic)", "Content-Type": "application/x-www-form-urlencoded"],
                body: "token=\(accessToken)"
            )
        } until: { $0.status == 200 }
        #expect(revoke.status == 200)
        let introspection = try await HTTP.send(
            "POST",
            "http://127.0.0.1:\(managementPort)/oauth2/introspect",
            headers: ["Authorization": "Basic \(basic)", "Content-Type": "application/x-www-form-urlencoded"],
            body: "token=\(accessToken)"
        )
        #expect(introspection.status == 200)
        #expect(introspection.body.contains("\"active\":false"))

        // Graceful shutdown on SIGTERM: the process exits by itself, successfully.
        server.terminate()
        let deadline = Date().addingTimeInterval(20)
        while server.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!server.isRunning)
        #expect(server.terminationStatus == 0)
    }

    @Test func publishedAPIFollowsItsLifecycleAtTheGateway() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binaries + "/sluice"), "build the package first")
        let workspace = NSTemporaryDirectory() + "sluice-lifecycle-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let repository = workspace + "/repository"
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        try SluiceServerProcess.copyShippedRepository(to: repository)
        let (backend, backendPort) = try await startBackend(in: workspace)
        defer { backend.terminate() }
        let (server, ports) = try await startServer(repository: repository, in: workspace, password: "Lifecycle-Test-1")
        defer { if server.isRunning { server.terminate() } }
        let gateway = "http://127.0.0.1:\(ports.gateway)"
        let management = "http://127.0.0.1:\(ports.management)/api/am"
        let admin = ["Authorization": "Basic \(Data("admin:Lifecycle-Test-1".utf8).base64EncodedString())",
                     "Content-Type": "application/json"]
        try await waitUntilAnswering(management + "/openapi.json")

        let definition = """
            {"name": "Orders", "context": "/orders", "version": "1.0.0", "provider": "admin",
             "policies": ["Unlimited"], "endpointConfig": {"endpoint_type": "http",
             "production_endpoints": {"url": "http://127.0.0.1:\(backendPort)/pizzashack"}},
             "operations": [{"target": "/menu", "verb": "GET", "authType": "Application & Application User",
                             "throttlingPolicy": "Unlimited"}]}
            """
        let created = try await HTTP.send("POST", management + "/publisher/v4/apis", headers: admin, body: definition)
        #expect(created.status == 201)
        let apiID = try #require(try json(created.body)["id"] as? String)
        let lifecycle = management + "/publisher/v4/apis/change-lifecycle?apiId=\(apiID)&action="
        #expect(try await HTTP.send("POST", lifecycle + "Publish", headers: admin).status == 200)

        func application(_ name: String) async throws -> (id: String, token: String) {
            let app = try await HTTP.send(
                "POST", management + "/devportal/v3/applications", headers: admin,
                body: #"{"name": "\#(name)", "throttlingPolicy": "Unlimited"}"#)
            let id = try #require(try json(app.body)["applicationId"] as? String)
            let keys = try await HTTP.send(
                "POST", management + "/devportal/v3/applications/\(id)/generate-keys", headers: admin,
                body: #"{"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"]}"#)
            let token = try #require((try json(keys.body)["token"] as? [String: Any])?["accessToken"] as? String)
            return (id, token)
        }
        let subscribed = try await application("Subscribed")
        let stranger = try await application("Stranger")
        let subscription = try await HTTP.send(
            "POST", management + "/devportal/v3/subscriptions", headers: admin,
            body: #"{"applicationId": "\#(subscribed.id)", "apiId": "\#(apiID)", "throttlingPolicy": "Unlimited"}"#)
        #expect(subscription.status == 201)

        let menu = gateway + "/orders/1.0.0/menu"
        let served = try await eventually { try await HTTP.send("GET", menu, headers: ["Authorization": "Bearer \(subscribed.token)"]) } until: {
            $0.status == 200
        }
        #expect(served.body.contains("Chicken Parmesan"))
        let unsubscribed = try await HTTP.send("GET", menu, headers: ["Authorization": "Bearer \(stranger.token)", "Accept": "application/json"])
        #expect(unsubscribed.status == 403)
        #expect(unsubscribed.body.contains("900908"))
        let noToken = try await HTTP.send("GET", menu, headers: ["Accept": "application/json"])
        #expect(noToken.status == 401)
        #expect(noToken.body.contains("900902"))

        #expect(try await HTTP.send("POST", lifecycle + "Block", headers: admin).status == 200)
        let blocked = try await eventually { try await HTTP.send("GET", menu, headers: ["Authorization": "Bearer \(subscribed.token)"]) } until: {
            $0.body.contains("700700")
        }
        #expect(blocked.status == 503)

        #expect(try await HTTP.send("POST", lifecycle + "Deprecate", headers: admin).status == 200)
        #expect(try await HTTP.send("POST", lifecycle + "Retire", headers: admin).status == 200)
        let retired = try await eventually { try await HTTP.send("GET", menu, headers: ["Authorization": "Bearer \(subscribed.token)"]) } until: {
            $0.status == 404
        }
        #expect(retired.status == 404)

        server.terminate()
    }

    @Test func aServerWhoseManagementHTTPSPortIsTakenStartsAgainOnAnother() async throws {
        let server = try SluiceServerProcess()
        // Bound and never listening: the server's bind fails as when another socket took the port it was given.
        let held = try DeadPort()
        let attempts = try await server.start(firstManagementHTTPSPort: held.port)
        defer { server.stop() }
        #expect(attempts == 2)
        #expect(server.managementHTTPSPort != held.port)
        #expect(try await HTTP.send("GET", server.managementURL + "/api/am/openapi.json").status == 200)
        // The second start was a first start too: it made the certificate the HTTPS clients trust.
        #expect(server.serverOutput.contains("Generated a self-signed TLS certificate"))
    }

    // MARK: - Helpers

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Repeats `request` until `done` holds or 30 s pass: the gateway redeploys within about a second, more on a
    /// loaded machine.
    private func eventually(
        _ request: () async throws -> (status: Int, body: String),
        until done: ((status: Int, body: String)) -> Bool
    ) async throws -> (status: Int, body: String) {
        let deadline = Date().addingTimeInterval(30)
        var last = try await request()
        while !done(last) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            last = try await request()
        }
        return last
    }

    private func rewrite(_ path: String, _ old: String, _ new: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try #require(text.contains(old), "\(path) no longer mentions \(old)")
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func value(after label: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(label) }.map {
            $0.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        }
    }

    private func runToEnd(_ arguments: [String]) async throws -> String {
        let run = try await ChildProcess.run(Self.binaries + "/sluice", arguments)
        try #require(run.status == 0, "sluice \(arguments.joined(separator: " ")) failed: \(run.output)\(run.error)")
        return run.output
    }

    /// `sluice-backend --port 0`, and the port it bound.
    private func startBackend(in workspace: String) async throws -> (Process, Int) {
        let output = workspace + "/backend.out"
        let backend = try start(Self.binaries + "/sluice-backend", ["--port", "0"], output: output)
        return (backend, try await SluiceServerProcess.waitForBackendPort(backend, output: output))
    }

    /// `sluice server` with every listener on port 0, and the ports it bound (from `--ports-file`).
    private func startServer(
        repository: String,
        in workspace: String,
        password: String
    ) async throws -> (Process, (gateway: Int, gatewayHTTPS: Int, management: Int, managementHTTPS: Int)) {
        let portsFile = workspace + "/ports.json"
        let errors = workspace + "/server.err"
        let server = try start(
            Self.binaries + "/sluice",
            [
                "server", "--repository", repository, "--gateway-port", "0", "--management-port", "0",
                "--gateway-https-port", "0", "--management-https-port", "0", "--ports-file", portsFile,
            ],
            environment: ["SLUICE_ADMIN_PASSWORD": password],
            errors: errors
        )
        return (server, try await SluiceServerProcess.waitForPorts(server, file: portsFile, errors: errors))
    }

    private func start(
        _ binary: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        output: String? = nil,
        errors: String? = nil
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try output.map(Self.handle) ?? FileHandle.nullDevice
        process.standardError = try errors.map(Self.handle) ?? FileHandle.nullDevice
        try process.runWithoutInheritedDescriptors()
        return process
    }

    private static func handle(writingTo path: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    private func waitUntilAnswering(_ url: String) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let response = try? await HTTP.send("GET", url), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(url) did not answer 200 within 30 s")
    }
}

/// A minimal HTTP client for process-level tests.
enum HTTP {
    static func send(
        _ method: String,
        _ url: String,
        headers: [String: String] = [:],
        body: String? = nil
    ) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            if request.headers["Content-Type"].isEmpty {
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            }
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }
}
