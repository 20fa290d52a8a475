import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SluiceMediation
import SluiceTesting

@testable import SluiceGateway

/// A gateway on 127.0.0.1 port 0 over a temporary repository, for live loopback tests.
final class GatewayHarness: Sendable {
    let root: String
    let service: GatewayService
    let port: Int
    private let task: Task<Void, any Error>

    /// Writes `files` (paths relative to `synapse-configs/default`), starts the gateway and waits until it listens.
    static func start(
        files: [String: String] = [:],
        configure: (inout GatewayConfiguration) -> Void = { _ in },
        handlerRegistry: GatewayHandlerRegistry = .standard,
        logger: Logger? = nil,
        now: @escaping @Sendable () -> NIODeadline = { NIODeadline.now() }
    ) async throws -> GatewayHarness {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-gateway-\(UUID().uuidString)").path
        var configuration = GatewayConfiguration(host: "127.0.0.1", port: 0, repositoryPath: root)
        configuration.deploymentDebounce = .milliseconds(30)
        configuration.deploymentPollInterval = .milliseconds(50)
        configuration.shutdownGracePeriod = .seconds(5)
        configure(&configuration)
        let synapse = configuration.synapseConfigPath
        for folder in ["api", "sequences", "endpoints", "local-entries", "templates"] {
            try FileManager.default.createDirectory(atPath: synapse + "/" + folder, withIntermediateDirectories: true)
        }
        for (path, content) in files {
            try content.write(toFile: synapse + "/" + path, atomically: true, encoding: .utf8)
        }
        var quiet = Logger(label: "sluice.gateway.test")
        quiet.logLevel = .critical
        let logger = logger ?? quiet
        let service = GatewayService(
            configuration: configuration,
            logger: logger,
            handlerRegistry: handlerRegistry,
            classMediators: .standard,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            now: now
        )
        let task = Task { try await service.run() }
        let port = try await service.boundPort
        return GatewayHarness(root: root, service: service, port: port, task: task)
    }

    private init(root: String, service: GatewayService, port: Int, task: Task<Void, any Error>) {
        self.root = root
        self.service = service
        self.port = port
        self.task = task
    }

    var synapsePath: String { root + "/deployment/server/synapse-configs/default" }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Writes (creates or replaces) an artifact file.
    func write(_ path: String, _ content: String) throws {
        try content.write(toFile: synapsePath + "/" + path, atomically: true, encoding: .utf8)
    }

    /// Deletes an artifact file.
    func remove(_ path: String) throws {
        try FileManager.default.removeItem(atPath: synapsePath + "/" + path)
    }

    /// Waits until the deployment generation passes `generation` (or fails after `timeout`).
    func waitForDeployment(after generation: Int, timeout: Duration = .seconds(10)) async throws -> DeploymentStatus {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let status = service.deploymentStatus
            if status.generation > generation { return status }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw HarnessError.deploymentTimedOut
    }

    /// Stops the gateway gracefully and removes the repository.
    func stop() async {
        service.triggerGracefulShutdown()
        _ = try? await task.value
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Starts `stop()` without waiting for it: for `defer`, so a test that fails half-way leaks no gateway.
    func stopInBackground() {
        Task { await stop() }
    }

    enum HarnessError: Error {
        case deploymentTimedOut
    }
}

/// A response read whole.
struct TestResponse {
    let status: Int
    let headers: HTTPHeaders
    let body: String

    func header(_ name: String) -> String? { headers.first(name: name) }
}

extension HTTPClient {
    /// Sends a request and reads the whole response (bodies up to 64 MiB).
    func send(
        _ method: HTTPMethod = .GET,
        _ url: String,
        headers: [(String, String)] = [],
        body: String? = nil
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await execute(request, timeout: .seconds(20))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }
}

/// XML builders for test artifacts.
enum Artifact {
    /// A mediator that reads the payload, so the gateway must buffer the body before running its sequence.
    static let bodyReader = #"<property name="peek" expression="$body"/>"#

    static func api(
        name: String,
        context: String,
        version: String? = nil,
        versionType: String = "context",
        attributes: String = "",
        resources: String,
        handlers: String = ""
    ) -> String {
        let versionAttributes = version.map { #" version="\#($0)" version-type="\#(versionType)""# } ?? ""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <api xmlns="http://ws.apache.org/ns/synapse" name="\(name)" context="\(context)"\(versionAttributes) \(attributes)>
            \(resources)
            \(handlers)
            </api>
            """
    }

    /// A resource that sends everything to an address endpoint.
    static func passthrough(
        methods: String = "GET POST PUT DELETE",
        mapping: String = "url-mapping=\"/*\"",
        endpoint: String,
        inMediators: String = "",
        outSequence: String = "<send/>",
        extra: String = ""
    ) -> String {
        """
        <resource methods="\(methods)" \(mapping) \(extra)>
          <inSequence>\(inMediators)<send>\(endpoint)</send></inSequence>
          <outSequence>\(outSequence)</outSequence>
        </resource>
        """
    }

    static func address(_ uri: String, qos: String = "", format: String? = nil) -> String {
        let formatAttribute = format.map { #" format="\#($0)""# } ?? ""
        return #"<endpoint><address uri="\#(uri)"\#(formatAttribute)>\#(qos)</address></endpoint>"#
    }
}
