import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `_sandbox_key_error_` and `_production_key_error_` as the repository ships them, run from the in sequence the
/// publisher writes for an API with one kind of endpoint (`AM_KEY_TYPE` decides), and edited.
@Suite(.timeLimit(.minutes(1))) struct KeyErrorSequencesLiveTests {
    /// The file this repository ships, whole.
    static func shipped(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try String(
            contentsOf: root.appendingPathComponent("repository/deployment/server/synapse-configs/default/sequences/\(name).xml"),
            encoding: .utf8
        )
    }

    /// The key type comes from a header here (the authentication handler sets it from the token in a real chain).
    static func api(_ backend: TestHTTPBackend) -> String {
        let endpoint = Artifact.address(backend.baseURL)
        return Artifact.api(
            name: "keys",
            context: "/keys",
            resources: """
                <resource methods="GET" url-mapping="/production-only">
                  <inSequence><property name="AM_KEY_TYPE" expression="$trp:X-Key-Type"/>
                    <filter source="$ctx:AM_KEY_TYPE" regex="PRODUCTION">
                      <then><send>\(endpoint)</send></then><else><sequence key="_sandbox_key_error_"/></else>
                    </filter></inSequence>
                  <outSequence><send/></outSequence>
                </resource>
                <resource methods="GET" url-mapping="/sandbox-only">
                  <inSequence><property name="AM_KEY_TYPE" expression="$trp:X-Key-Type"/>
                    <filter source="$ctx:AM_KEY_TYPE" regex="SANDBOX">
                      <then><send>\(endpoint)</send></then><else><sequence key="_production_key_error_"/></else>
                    </filter></inSequence>
                  <outSequence><send/></outSequence>
                </resource>
                """
        )
    }

    @Test func theShippedSequencesAnswer900901With403() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: [
            "api/keys.xml": Self.api(backend),
            "sequences/_sandbox_key_error_.xml": try Self.shipped("_sandbox_key_error_"),
            "sequences/_production_key_error_.xml": try Self.shipped("_production_key_error_"),
        ])
        defer { gateway.stopInBackground() }
        let sandbox = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/keys/production-only", headers: [("X-Key-Type", "SANDBOX")])
        #expect(sandbox.status == 403)
        #expect(sandbox.body.contains("<ams:code>900901</ams:code>"))
        #expect(sandbox.body.contains("Sandbox key offered to the API with no sandbox endpoint"))
        let production = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/keys/sandbox-only", headers: [("X-Key-Type", "PRODUCTION")])
        #expect(production.status == 403)
        #expect(production.body.contains("Production key offered to the API with no production endpoint"))
        #expect(backend.recordedRequests.isEmpty)
        let allowed = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/keys/production-only", headers: [("X-Key-Type", "PRODUCTION")])
        #expect(allowed.status == 200)
        #expect(backend.recordedRequests.count == 1)
    }

    @Test func anEditedSequenceChangesTheAnswer() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let edited = """
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="_sandbox_key_error_">
              <payloadFactory media-type="json"><format>{"error":"no sandbox here","type":"$1"}</format>
                <args><arg expression="$ctx:AM_KEY_TYPE"/></args></payloadFactory>
              <property name="HTTP_SC" value="401" scope="axis2"/>
              <respond/>
            </sequence>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/keys.xml": Self.api(backend),
            "sequences/_sandbox_key_error_.xml": edited,
        ])
        defer { gateway.stopInBackground() }
        let sandbox = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/keys/production-only", headers: [("X-Key-Type", "SANDBOX")])
        #expect(sandbox.status == 401)
        #expect(sandbox.body == #"{"error":"no sandbox here","type":"SANDBOX"}"#)
        #expect(backend.recordedRequests.isEmpty)
    }
}
