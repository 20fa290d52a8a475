import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// Hot deployment: add, change, rename, delete, broken files, unknown handlers, and redeploys under load.
@Suite(.timeLimit(.minutes(1))) struct HotDeploymentTests {
    private func api(_ name: String, context: String, backend: TestHTTPBackend, path: String) -> String {
        Artifact.api(name: name, context: context, resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL + path)))
    }

    @Test(arguments: [false, true]) func addChangeRenameAndDeleteTakeEffect(polling: Bool) async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start { $0.forcePolling = polling }
        defer { gateway.stopInBackground() }
        // Latency is measured by scripts/bench-scale (hot deploy), not asserted here: a loaded machine would flake.
        var generation = gateway.service.deploymentStatus.generation

        try gateway.write("api/a.xml", api("a", context: "/a", backend: backend, path: "/one"))
        generation = try await gateway.waitForDeployment(after: generation).generation
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/a/x").header("X-Echo-URI") == "/one/x")

        try gateway.write("api/a.xml", api("a", context: "/a", backend: backend, path: "/two"))
        generation = try await gateway.waitForDeployment(after: generation).generation
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/a/x").header("X-Echo-URI") == "/two/x")

        try FileManagerShim.move(gateway.synapsePath + "/api/a.xml", to: gateway.synapsePath + "/api/renamed.xml")
        let renamed = try await gateway.waitForDeployment(after: generation)
        generation = renamed.generation
        #expect(renamed.file(gateway.synapsePath + "/api/renamed.xml")?.state == .deployed)
        #expect(renamed.file(gateway.synapsePath + "/api/a.xml") == nil)
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/a/x").status == 200)

        try gateway.remove("api/renamed.xml")
        _ = try await gateway.waitForDeployment(after: generation)
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/a/x").status == 404)
    }

    @Test func brokenFileKeepsThePreviousVersionServingAndIsReported() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: ["api/b.xml": api("b", context: "/b", backend: backend, path: "/good")])
        defer { gateway.stopInBackground() }
        let path = gateway.synapsePath + "/api/b.xml"
        let generation = gateway.service.deploymentStatus.generation
        try gateway.write("api/b.xml", "<api xmlns=\"http://ws.apache.org/ns/synapse\" name=\"b\" context=\"/b\">\n  <resource>\n</api>\n")
        let status = try await gateway.waitForDeployment(after: generation)
        let file = try #require(status.file(path))
        #expect(file.state == .failed)
        #expect(file.servingPreviousVersion)
        let diagnostic = try #require(file.diagnostics.first)
        #expect(diagnostic.file == path)
        #expect(diagnostic.line > 1)
        #expect(diagnostic.description.hasPrefix("\(path):\(diagnostic.line):"))
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/b/x").header("X-Echo-URI") == "/good/x")
    }

    @Test func namedEndpointsAndSequencesRedeployAndMainAnswersUnmatchedRequests() async throws {
        let first = try await TestHTTPBackend.start(name: "first")
        defer { first.shutdownInBackground() }
        let second = try await TestHTTPBackend.start(name: "second")
        defer { second.shutdownInBackground() }
        func endpoint(_ backend: TestHTTPBackend) -> String {
            #"<endpoint xmlns="http://ws.apache.org/ns/synapse" name="SharedEP"><address uri="\#(backend.baseURL)"/></endpoint>"#
        }
        let stamp = #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="stamp"><header name="X-Stamp" value="v1" scope="transport"/></sequence>"#
        let main = """
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="main">
              <property name="HTTP_SC" value="418" scope="axis2"/>
              <payloadFactory media-type="json"><format>{"main":true}</format><args/></payloadFactory>
              <respond/>
            </sequence>
            """
        let resource = #"<resource methods="GET" url-mapping="/*"><inSequence><sequence key="stamp"/><send><endpoint key="SharedEP"/></send></inSequence><outSequence><send/></outSequence></resource>"#
        let gateway = try await GatewayHarness.start(files: [
            "endpoints/SharedEP.xml": endpoint(first),
            "sequences/stamp.xml": stamp,
            "sequences/main.xml": main,
            "api/n.xml": Artifact.api(name: "n", context: "/n", resources: resource),
        ])
        defer { gateway.stopInBackground() }
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/n/json").header("X-Backend-Name") == "first")
        #expect(first.recordedRequests.last?.header("X-Stamp") == "v1")
        let unmatched = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/nowhere")
        #expect(unmatched.status == 418)
        #expect(unmatched.body == #"{"main":true}"#)

        var generation = gateway.service.deploymentStatus.generation
        try gateway.write("endpoints/SharedEP.xml", endpoint(second))
        generation = try await gateway.waitForDeployment(after: generation).generation
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/n/json").header("X-Backend-Name") == "second")

        // A sequence that no longer compiles: the file is reported, its last good version keeps running.
        try gateway.write("sequences/stamp.xml", stamp.replacing("<header", with: #"<class name="com.example.Missing"/><header"#))
        let status = try await gateway.waitForDeployment(after: generation)
        let file = try #require(status.file(gateway.synapsePath + "/sequences/stamp.xml"))
        #expect(file.state == .failed)
        #expect(file.diagnostics.first?.message.contains("com.example.Missing") == true)
        _ = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/n/json")
        #expect(second.recordedRequests.last?.header("X-Stamp") == "v1")
    }

    @Test func defaultVersionArtifactDeploysBesideTheVersionedOneOfTheSameName() async throws {
        // WSO2 publishes a default-version API as a second artifact with the same name and no version.
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let passthrough = Artifact.passthrough(endpoint: Artifact.address(backend.baseURL))
        let gateway = try await GatewayHarness.start(files: [
            "api/admin--Pizza_v1.0.0.xml": Artifact.api(
                name: "admin--Pizza", context: "/pizza/{version}", version: "1.0.0", resources: passthrough
            ),
            "api/admin--Pizza.xml": Artifact.api(name: "admin--Pizza", context: "/pizza", resources: passthrough),
            "api/duplicate.xml": Artifact.api(
                name: "admin--Pizza", context: "/other", version: "1.0.0", resources: passthrough
            ),
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.file(gateway.synapsePath + "/api/admin--Pizza_v1.0.0.xml")?.state == .deployed)
        #expect(status.file(gateway.synapsePath + "/api/admin--Pizza.xml")?.state == .deployed)
        let duplicate = try #require(status.file(gateway.synapsePath + "/api/duplicate.xml"))
        #expect(duplicate.state == .failed)
        #expect(duplicate.diagnostics.first?.message.contains("'admin--Pizza:v1.0.0' is already deployed") == true)
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/pizza/1.0.0/x").status == 200)
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/pizza/x").status == 200)
    }

    @Test func unknownHandlerFailsOnlyThatAPI() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let handlers = #"<handlers><handler class="org.example.NoSuchHandler"/></handlers>"#
        let withHandler = """
            <handlers><handler class="HeaderInjectionHandler">
              <property name="response:X-Handled" value="yes"/></handler></handlers>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/bad.xml": Artifact.api(
                name: "bad", context: "/bad", resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL)),
                handlers: handlers
            ),
            "api/good.xml": Artifact.api(
                name: "good", context: "/good", resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL)),
                handlers: withHandler
            ),
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        let bad = try #require(status.file(gateway.synapsePath + "/api/bad.xml"))
        #expect(bad.state == .failed)
        #expect(bad.diagnostics.first?.message.contains("org.example.NoSuchHandler") == true)
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/bad/x").status == 404)
        let good = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/good/x")
        #expect(good.status == 200)
        #expect(good.header("X-Handled") == "yes")
    }

    @Test func redeployUnderConcurrentLoadLosesNoRequest() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: ["api/load.xml": api("load", context: "/load", backend: backend, path: "/v0")])
        defer { gateway.stopInBackground() }
        let failures = NIOLockedValueBox<[String]>([])
        let completed = NIOLockedValueBox(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<60 {
                        do {
                            let response = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/load/delay/5")
                            if response.status != 200 { failures.withLockedValue { $0.append("status \(response.status)") } }
                        } catch {
                            failures.withLockedValue { $0.append(String(describing: error)) }
                        }
                        completed.withLockedValue { $0 += 1 }
                    }
                }
            }
            group.addTask {
                for version in 1...6 {
                    try await Task.sleep(for: .milliseconds(60))
                    try gateway.write("api/load.xml", self.api("load", context: "/load", backend: backend, path: "/v\(version)"))
                }
            }
            try await group.waitForAll()
        }
        #expect(failures.withLockedValue { $0 }.isEmpty)
        #expect(completed.withLockedValue { $0 } == 480)
        #expect(gateway.service.deploymentStatus.generation > 1)
    }
}

import Foundation

/// Renames within one folder, as `mv` does (one inotify MOVED_FROM/MOVED_TO pair).
enum FileManagerShim {
    static func move(_ source: String, to destination: String) throws {
        try FileManager.default.moveItem(atPath: source, toPath: destination)
    }
}
