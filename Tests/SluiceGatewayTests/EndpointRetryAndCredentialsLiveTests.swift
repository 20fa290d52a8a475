import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<authentication><basicAuth>` and `<retryConfig>` through the live gateway: the backend gets the credentials,
/// and a member's disabled error code keeps a failover group from trying the next member.
@Suite(.timeLimit(.minutes(1))) struct EndpointRetryAndCredentialsLiveTests {
    @Test func basicAuthReachesTheBackendAndRetryConfigStopsTheFailover() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let dead = try DeadPort()
        let resources = """
            <resource methods="GET" url-mapping="/login">
              <inSequence><call><endpoint>
                <http uri-template="\(backend.baseURL)/echo/login" method="get">
                  <authentication><basicAuth><username>admin</username><password>{$trp:X-Secret}</password></basicAuth></authentication>
                </http>
              </endpoint></call>
              <payloadFactory media-type="json"><format>{"statusCode": $1}</format>
                <args><arg evaluator="xml" expression="$axis2:HTTP_SC"/></args></payloadFactory>
              <respond/></inSequence>
            </resource>
            <resource methods="GET" url-mapping="/stopped">
              <inSequence><send><endpoint><failover>
                <endpoint name="primary"><address uri="\(dead.baseURL)/a">
                  <retryConfig><disabledErrorCodes>101503</disabledErrorCodes></retryConfig></address></endpoint>
                <endpoint name="secondary"><address uri="\(backend.baseURL)/echo/secondary"/></endpoint>
              </failover></endpoint></send></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            <resource methods="GET" url-mapping="/retried">
              <inSequence><send><endpoint><failover>
                <endpoint name="primary2"><address uri="\(dead.baseURL)/b">
                  <retryConfig><disabledErrorCodes>101504</disabledErrorCodes></retryConfig></address></endpoint>
                <endpoint name="secondary2"><address uri="\(backend.baseURL)/echo/secondary"/></endpoint>
              </failover></endpoint></send></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/auth.xml": Artifact.api(name: "auth", context: "/auth", resources: resources)
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")

        let login = try await HTTPClient.shared.send(
            .GET,
            gateway.baseURL + "/auth/login",
            headers: [("X-Secret", "pa55"), ("Authorization", "Bearer from-the-client")]
        )
        #expect(login.status == 200)
        #expect(login.body == #"{"statusCode": 200}"#, "\(login.body)")
        let seen = try #require(backend.recordedRequests.last)
        #expect(seen.uri == "/echo/login/login")
        // base64("admin:pa55")
        #expect(seen.header("Authorization") == "Basic YWRtaW46cGE1NQ==")

        let before = backend.recordedRequests.count
        let stopped = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/auth/stopped")
        #expect(stopped.status >= 500)
        #expect(stopped.body.contains("101503"), "\(stopped.body)")
        #expect(backend.recordedRequests.count == before)

        let retried = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/auth/retried")
        #expect(retried.status == 200)
        #expect(backend.recordedRequests.last?.uri == "/echo/secondary/retried")
    }
}
