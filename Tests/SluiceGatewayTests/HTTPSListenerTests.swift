import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SluiceTLS
import SluiceTesting
import Testing

@testable import SluiceGateway

/// The gateway's HTTPS listener beside plain HTTP, and APIs limited to one transport.
@Suite(.timeLimit(.minutes(1))) struct HTTPSListenerTests {
    static let keyStore: KeyStore = {
        // One generated pair for the suite; a failure is a generator bug every test then reports.
        let pair = try! SelfSignedCertificate(hostNames: [])
        return try! KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM)
    }()

    static let shippedMainSequence: String = {
        let file = #filePath
        let root = file[..<file.range(of: "/Tests/SluiceGatewayTests/")!.lowerBound]
        return try! String(
            contentsOfFile: root + "/repository/deployment/server/synapse-configs/default/sequences/main.xml",
            encoding: .utf8
        )
    }()

    /// Runs `body` with a client that trusts the generated certificate, as `curl --cacert` does.
    static func withTrustingClient(_ body: (HTTPClient) async throws -> Void) async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(keyStore.certificateChain)
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(tlsConfiguration: tls)
        )
        do {
            try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    static func listener() -> GatewayTLSListener {
        GatewayTLSListener(port: 0, configuration: ServerTLS.configuration(keyStores: [keyStore]))
    }

    @Test func apisAreServedOverBothAndHTTPSOnlyAPIsGetWSO2sAnswerOverPlainHTTP() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let endpoint = Artifact.address(backend.baseURL + "/echo")
        let gateway = try await GatewayHarness.start(
            files: [
                "api/open.xml": Artifact.api(name: "open", context: "/open", resources: Artifact.passthrough(endpoint: endpoint)),
                "api/secure.xml": Artifact.api(
                    name: "secure", context: "/secure", attributes: #"transports="https""#,
                    resources: Artifact.passthrough(endpoint: endpoint)
                ),
                "sequences/main.xml": Self.shippedMainSequence,
            ],
            configure: { $0.tls = Self.listener() }
        )
        defer { gateway.stopInBackground() }
        let https = "https://127.0.0.1:\(try await gateway.service.boundHTTPSPort)"
        try await Self.withTrustingClient { client in
            let open = try await client.send(.GET, https + "/open/a")
            #expect(open.header("X-Echo-URI") == "/echo/a")
            let secure = try await client.send(.GET, https + "/secure/b")
            #expect(secure.header("X-Echo-URI") == "/echo/b")
            let missing = try await client.send(.GET, https + "/nowhere")
            #expect(missing.status == 404)
        }
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/open/c").status == 200)

        let refused = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/secure/b?x=1")
        #expect(refused.status == 403)
        #expect(refused.body.contains("<am:code>403</am:code>"))
        #expect(refused.body.contains("<am:message>Forbidden</am:message>"))
        #expect(refused.body.contains("Unsupported Transport [ http ]. The requested resource (/secure/b?x=1) is not available."))
        #expect(backend.recordedRequests.count == 3)
    }

    @Test func withoutAMainSequenceTheGatewayAnswersTheTransportRefusalItself() async throws {
        let gateway = try await GatewayHarness.start(
            files: [
                "api/secure.xml": Artifact.api(
                    name: "secure", context: "/secure", attributes: #"transports="https""#,
                    resources: Artifact.passthrough(endpoint: Artifact.address("http://127.0.0.1:1/"))
                )
            ],
            configure: { $0.tls = Self.listener() }
        )
        defer { gateway.stopInBackground() }
        let refused = try await HTTPClient.shared.send(
            .GET, gateway.baseURL + "/secure/x", headers: [("Accept", "application/json")]
        )
        #expect(refused.status == 403)
        #expect(refused.body.hasPrefix(#"{"fault":{"code":403"#))
        #expect(refused.body.contains("Unsupported Transport [ http ]"))
    }

    @Test func plainHTTPCanBeSwitchedOff() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let gateway = try await GatewayHarness.start(
            files: [
                "api/open.xml": Artifact.api(
                    name: "open", context: "/open",
                    resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL))
                )
            ],
            configure: {
                $0.httpEnabled = false
                $0.tls = Self.listener()
            }
        )
        defer { gateway.stopInBackground() }
        let httpsPort = try await gateway.service.boundHTTPSPort
        #expect(gateway.port == httpsPort)
        try await Self.withTrustingClient { client in
            let answer = try await client.send(.GET, "https://127.0.0.1:\(httpsPort)/open/x")
            #expect(answer.status == 200)
        }
        // The only listener speaks TLS: a plain request to it gets no HTTP answer.
        await #expect(throws: (any Error).self) {
            _ = try await HTTPClient.shared.send(.GET, "http://127.0.0.1:\(httpsPort)/open/x")
        }
    }

    @Test func aClientThatDoesNotTrustTheCertificateIsNotServed() async throws {
        let gateway = try await GatewayHarness.start(configure: { $0.tls = Self.listener() })
        defer { gateway.stopInBackground() }
        let https = "https://127.0.0.1:\(try await gateway.service.boundHTTPSPort)"
        // Connection failures are retried until the connect timeout: keep it short, the failure is certain.
        let strict = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(2)))
        )
        await #expect(throws: (any Error).self) { _ = try await strict.send(.GET, https + "/anything") }
        try await strict.shutdown()
    }
}
