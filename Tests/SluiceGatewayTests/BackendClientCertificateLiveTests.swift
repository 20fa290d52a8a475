import AsyncHTTPClient
import Foundation
import NIOSSL
import SluiceGateway
import SluiceModel
import SluiceTLS
import SluiceTesting
import Testing

/// Mutual TLS towards the backend: a local HTTPS backend that requires a client certificate it trusts. The gateway
/// presents the node's key store by default (as WSO2's gateway presents `wso2carbon`) and the key store of a
/// `<BackendClientCertificate>` naming the backend's `host:port`; without an accepted certificate the backend
/// refuses the handshake and the client gets 101503 (101505 when TLS 1.3 reports it after the handshake).
@Suite(.timeLimit(.minutes(1))) struct BackendClientCertificateLiveTests {
    typealias Live = BackendTLSLiveTests

    /// A self-signed identity as PEM files under `folder`, loaded as a key store.
    static func keyStore(_ folder: String, _ name: String) throws -> (settings: KeyStoreSettings, store: KeyStore, pem: String) {
        let generated = try SelfSignedCertificate(hostNames: [name])
        try generated.write(certificatePath: folder + "/\(name).crt", keyPath: folder + "/\(name).key")
        let settings = KeyStoreSettings(format: .pem, location: "\(name).crt", privateKeyLocation: "\(name).key")
        return (settings, try KeyStore.load(settings, relativeTo: folder), generated.certificatePEM)
    }

    @Test func aBackendRequiringAClientCertificateGetsTheOneConfiguredForIt() async throws {
        let server = try Live.Identity()
        let repository = try Live.repository(trusting: [server.certificatePEM])
        let folder = URL(fileURLWithPath: repository).deletingLastPathComponent().path
        let gatewayIdentity = try Self.keyStore(folder, "gateway-\(UUID().uuidString)")
        let partner = try Self.keyStore(folder, "partner-\(UUID().uuidString)")

        // The backend requires a certificate and trusts only the partner certificate.
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(server.certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try Live.Identity.privateKey(of: server))
        )
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(partner.pem.utf8)))
        let backend = try await TestHTTPBackend.start(tls: try NIOSSLContext(configuration: configuration))
        defer { backend.shutdownInBackground() }

        // Neither no certificate nor the node's own default one is accepted: nothing reaches the backend.
        for identity in [nil, gatewayIdentity.store] {
            let trust = try BackendTrust.clientConfiguration(repositoryPath: repository, identity: identity)
            let refused = try await GatewayHarness.start(files: Self.files(backend), configure: { $0.backendTLS = trust })
            defer { refused.stopInBackground() }
            let answer = try await HTTPClient.shared.send(.GET, refused.baseURL + "/mutual/items", headers: [("Accept", "application/json")])
            // TLS 1.2 fails in the handshake (101503); in TLS 1.3 the backend's refusal arrives after the client's
            // Finished, as the connection closing under the request (101505).
            #expect(answer.status >= 500 && (answer.body.contains("101503") || answer.body.contains("101505")), "\(answer.body)")
        }
        #expect(backend.recordedRequests.isEmpty)

        // <BackendClientCertificate> for localhost:<port>: the partner certificate, for that backend only.
        let settings = BackendClientCertificate(servers: ["LOCALHOST:\(backend.port)"], keyStore: partner.settings)
        let configurations = try BackendTrust.gatewayConfigurations(
            repositoryPath: repository, primary: gatewayIdentity.store, clientCertificates: [settings]
        )
        #expect(configurations.byServer.keys.sorted() == ["localhost:\(backend.port)"])
        let accepted = try await GatewayHarness.start(
            files: Self.files(backend),
            configure: {
                $0.backendTLS = configurations.default
                $0.backendTLSByServer = configurations.byServer
            }
        )
        defer { accepted.stopInBackground() }
        let served = try await HTTPClient.shared.send(.GET, accepted.baseURL + "/mutual/items")
        #expect(served.status == 200, "\(served.body)")
        #expect(backend.recordedRequests.count == 1)
    }

    @Test func aMissingKeyStoreForABackendStopsTheStartNamingTheFile() throws {
        let repository = try Live.repository(trusting: [])
        let missing = BackendClientCertificate(
            servers: ["billing.example.com:443"],
            keyStore: KeyStoreSettings(format: .pem, location: "nowhere.crt", privateKeyLocation: "nowhere.key")
        )
        #expect {
            try BackendTrust.gatewayConfigurations(repositoryPath: repository, primary: nil, clientCertificates: [missing])
        } throws: { error in
            String(describing: error).contains("nowhere.crt")
        }
    }

    static func files(_ backend: TestHTTPBackend) -> [String: String] {
        ["api/mutual.xml": Artifact.api(name: "mutual", context: "/mutual", resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL)))]
    }
}
