import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<authentication><oauth>` endpoints through the live gateway, against a token endpoint and a protected resource
/// on loopback: the token is fetched once and reused, renewed when it expires, renewed once when the backend
/// answers 401, and a token endpoint that fails gives a 303003 fault while the gateway keeps serving.
@Suite(.timeLimit(.minutes(1))) struct OAuthEndpointLiveTests {
    static func api(server: OAuthTestServer, grant: String? = nil) -> String {
        let grant =
            grant ?? """
            <clientCredentials><clientId>app</clientId><clientSecret>s3cret</clientSecret>
              <tokenUrl>\(server.baseURL)/token</tokenUrl></clientCredentials>
            """
        let resources = """
            <resource methods="GET" url-mapping="/orders">
              <inSequence><send><endpoint name="Secured">
                <http uri-template="\(server.baseURL)/resource" method="get">
                  <authentication><oauth>\(grant)</oauth></authentication>
                </http>
              </endpoint></send></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            <resource methods="POST" url-mapping="/clone">
              <inSequence><clone><target><endpoint name="ClonedSecured">
                <http uri-template="\(server.baseURL)/resource" method="get">
                  <authentication><oauth>\(grant)</oauth></authentication>
                </http>
              </endpoint></target></clone></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            <resource methods="GET" url-mapping="/plain">
              <inSequence><payloadFactory media-type="json"><format>{"plain": true}</format><args/></payloadFactory>
                <respond/></inSequence>
            </resource>
            """
        return Artifact.api(name: "secured", context: "/secured", resources: resources)
    }

    static func start(
        grant: String? = nil,
        now: @escaping @Sendable () -> NIODeadline = { NIODeadline.now() }
    ) async throws -> (OAuthTestServer, GatewayHarness) {
        let server = try await OAuthTestServer.start()
        let gateway = try await GatewayHarness.start(files: ["api/secured.xml": api(server: server, grant: grant)], now: now)
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")
        return (server, gateway)
    }

    @Test func theTokenIsFetchedOnceAndSentAsABearerToken() async throws {
        let (server, gateway) = try await Self.start()
        defer {
            gateway.stopInBackground()
            server.shutdownInBackground()
        }
        for _ in 0..<3 {
            let response = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secured/orders")
            #expect(response.status == 200)
            #expect(response.body == #"{"token":"token-1"}"#, "\(response.body)")
        }
        let seen = server.snapshot
        #expect(seen.issued == 1)
        #expect(seen.tokenForms == ["grant_type=client_credentials"])
        // base64("app:s3cret")
        #expect(seen.tokenAuthorizations == ["Basic YXBwOnMzY3JldA=="])
        #expect(seen.tokenHeaders.first?["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(seen.refusedCalls == 0)
    }

    @Test func aRefusedTokenIsRenewedOnceAndTheRequestSentAgain() async throws {
        let (server, gateway) = try await Self.start()
        defer {
            gateway.stopInBackground()
            server.shutdownInBackground()
        }
        let first = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secured/orders")
        #expect(first.body == #"{"token":"token-1"}"#)
        server.revokeTokens()
        let second = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secured/orders")
        #expect(second.status == 200)
        #expect(second.body == #"{"token":"token-2"}"#, "\(second.body)")
        var seen = server.snapshot
        #expect(seen.issued == 2 && seen.refusedCalls == 1 && seen.resourceCalls == 3)

        // A split-off flow (clone) renews the same way (its endpoint has a cache of its own).
        let warm = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/secured/clone", body: "{}")
        #expect(warm.status == 200)
        server.revokeTokens()
        let cloned = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/secured/clone", body: "{}")
        #expect(cloned.status == 200)
        #expect(cloned.body.contains("token-"), "\(cloned.body)")
        seen = server.snapshot
        #expect(seen.refusedCalls == 2)
    }

    @Test func aBackendThatKeepsRefusingGetsOneNewTokenThenItsAnswer() async throws {
        let issuer = try await OAuthTestServer.start()
        let refusing = try await OAuthTestServer.start()
        defer {
            issuer.shutdownInBackground()
            refusing.shutdownInBackground()
        }
        // `refusing` never issued a token, so its resource refuses every one `issuer` gives.
        let resources = """
            <resource methods="GET" url-mapping="/orders">
              <inSequence><send><endpoint name="Refusing">
                <http uri-template="\(refusing.baseURL)/resource" method="get">
                  <authentication><oauth><clientCredentials><clientId>app</clientId><clientSecret>s3cret</clientSecret>
                  <tokenUrl>\(issuer.baseURL)/token</tokenUrl></clientCredentials></oauth></authentication>
                </http>
              </endpoint></send></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/refusing.xml": Artifact.api(name: "refusing", context: "/refusing", resources: resources)
        ])
        defer { gateway.stopInBackground() }
        let refused = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/refusing/orders")
        #expect(refused.status == 401)
        #expect(refusing.snapshot.refusedCalls == 2)
        #expect(issuer.snapshot.issued == 2)
    }

    @Test func anExpiredTokenIsReplacedBeforeItIsRefused() async throws {
        let clock = ManualDeadlineClock()
        let (server, gateway) = try await Self.start(now: clock.now)
        defer {
            gateway.stopInBackground()
            server.shutdownInBackground()
        }
        server.state.withLockedValue { $0.expiresIn = 60 }
        let first = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secured/orders")
        #expect(first.body == #"{"token":"token-1"}"#)
        clock.advance(by: .seconds(59))
        let cached = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secured/orders")
        #expect(cached.body == #"{"token":"token-1"}"#)
        clock.advance(by: .seconds(2))
        let renewed = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secured/orders")
        #expect(renewed.body == #"{"token":"token-2"}"#)
        #expect(server.snapshot.refusedCalls == 0)
    }

    @Test func aFailingTokenEndpointFaultsWith303003AndTheGatewayKeepsServing() async throws {
        let (server, gateway) = try await Self.start()
        defer {
            gateway.stopInBackground()
            server.shutdownInBackground()
        }
        server.state.withLockedValue { $0.failStatus = 400 }
        let failed = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secured/orders")
        #expect(failed.status >= 500)
        #expect(failed.body.contains("303003"), "\(failed.body)")
        #expect(failed.body.contains("HTTP 400"), "\(failed.body)")
        #expect(!failed.body.contains("s3cret"))
        #expect(server.snapshot.resourceCalls == 0)

        let plain = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secured/plain")
        #expect(plain.status == 200)

        // The failure is not cached: once the token endpoint works, so does the API.
        server.state.withLockedValue { $0.failStatus = nil }
        let recovered = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secured/orders")
        #expect(recovered.status == 200)
        #expect(recovered.body == #"{"token":"token-1"}"#)
    }

    @Test func anUnreachableTokenEndpointFaultsWith303003() async throws {
        let dead = try DeadPort()
        let server = try await OAuthTestServer.start()
        defer { server.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(files: [
            "api/secured.xml": Self.api(server: server, grant: """
                <clientCredentials><clientId>app</clientId><clientSecret>s3cret</clientSecret>
                  <tokenUrl>\(dead.baseURL)/token</tokenUrl></clientCredentials>
                """)
        ])
        defer { gateway.stopInBackground() }
        let failed = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secured/orders")
        #expect(failed.status >= 500)
        #expect(failed.body.contains("303003"), "\(failed.body)")
        #expect(failed.body.contains("Unable to connect to the OAuth token endpoint"), "\(failed.body)")
        #expect(server.snapshot.resourceCalls == 0)
    }

    @Test func aPasswordGrantPostsItsFormFromTheMessage() async throws {
        let (server, gateway) = try await Self.start(grant: """
            <passwordCredentials><username>ann</username><password>pw</password><clientId>app</clientId>
              <clientSecret>s3cret</clientSecret><tokenUrl>{$trp:X-Token-URL}</tokenUrl><authMode>payload</authMode>
              <requestParameters><parameter name="account">{$trp:X-Account}</parameter></requestParameters>
              <customHeaders><header name="X-Tenant">t1</header></customHeaders></passwordCredentials>
            """)
        defer {
            gateway.stopInBackground()
            server.shutdownInBackground()
        }
        let response = try await HTTPClient.shared.send(
            .GET,
            gateway.baseURL + "/secured/orders",
            headers: [("X-Token-URL", server.baseURL + "/token"), ("X-Account", "42")]
        )
        #expect(response.status == 200, "\(response.body)")
        let seen = server.snapshot
        #expect(seen.tokenForms == ["grant_type=password&username=ann&password=pw&client_id=app&client_secret=s3cret&account=42"])
        #expect(seen.tokenAuthorizations == [""])
        #expect(seen.tokenHeaders.first?["X-Tenant"] == "t1")
    }
}
