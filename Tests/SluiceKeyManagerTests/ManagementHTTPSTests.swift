import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import SluiceManagement
import SluiceTLS
import Synchronization
import ServiceLifecycle
import Testing

/// The management server's HTTPS listener beside plain HTTP: the same routes on both, the token endpoint over TLS.
@Suite(.timeLimit(.minutes(1))) struct ManagementHTTPSTests {
    static let keyStore: KeyStore = {
        // One generated pair for the suite; a failure is a generator bug every test then reports.
        let pair = try! SelfSignedCertificate(hostNames: [])
        return try! KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM)
    }()

    @Test func theTokenEndpointAnswersOverHTTPSAndPlainHTTP() async throws {
        let fixture = try await KeyManagerFixture()
        let ports = try await Self.run(fixture, httpEnabled: true) { ports in
            try await Self.withTrustingClient { client in
            let keys = fixture.production
            let basic = Data("\(keys.consumerKey):\(keys.consumerSecret)".utf8).base64EncodedString()
            for base in ["https://localhost:\(try #require(ports["https"]))", "http://127.0.0.1:\(try #require(ports["http"]))"] {
                var request = HTTPClientRequest(url: base + "/oauth2/token")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Basic \(basic)")
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.body = .bytes(ByteBuffer(string: "grant_type=client_credentials"))
                let response = try await client.execute(request, timeout: .seconds(20))
                #expect(response.status == .ok, "\(base)")
                let body = try await response.body.collect(upTo: 1 << 20)
                #expect(String(buffer: body).contains("\"access_token\""))
            }
            }
        }
        #expect(ports.count == 2)
    }

    @Test func plainHTTPCanBeSwitchedOff() async throws {
        let fixture = try await KeyManagerFixture()
        let ports = try await Self.run(fixture, httpEnabled: false) { ports in
            try await Self.withTrustingClient { client in
                let response = try await client.execute(
                    HTTPClientRequest(url: "https://localhost:\(try #require(ports["https"]))/oauth2/jwks-not-here"),
                    timeout: .seconds(20)
                )
                #expect(response.status == .notFound)
            }
        }
        #expect(ports.keys.sorted() == ["https"])
    }

    /// Runs `body` with a client that trusts the generated certificate.
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

    /// Runs the management app on ephemeral ports until `body` is done; returns the ports each transport got.
    static func run(
        _ fixture: KeyManagerFixture,
        httpEnabled: Bool,
        _ body: @Sendable ([String: Int]) async throws -> Void
    ) async throws -> [String: Int] {
        let ports = Mutex<[String: Int]>([:])
        let (running, continuation) = AsyncStream.makeStream(of: Void.self)
        let expected = httpEnabled ? 2 : 1
        let configuration = ManagementConfiguration(
            host: "127.0.0.1",
            port: 0,
            httpEnabled: httpEnabled,
            tls: try ManagementTLSListener(port: 0, configuration: ServerTLS.configuration(keyStores: [keyStore])),
            onServerRunning: { transport, port in
                let count = ports.withLock { ports in
                    ports[transport] = port
                    return ports.count
                }
                if count == expected { continuation.finish() }
            }
        )
        var logger = Logger(label: "sluice.management.test")
        logger.logLevel = .critical
        let app = buildManagementApplication(keyManager: fixture.keyManager, configuration: configuration, logger: logger)
        // Stopped by a graceful shutdown, not by cancelling its task: a cancelled server with accepted connections
        // still queued deinits their writers unfinished, which is a fatal error in NIO (seen once in a whole run).
        let services = ServiceGroup(services: [app], logger: logger)
        let server = Task { try await services.run() }
        for await _ in running {}
        let bound = ports.withLock { $0 }
        let outcome: Result<Void, any Error>
        do {
            try await body(bound)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await services.triggerGracefulShutdown()
        _ = await server.result
        try outcome.get()
        return bound
    }
}
