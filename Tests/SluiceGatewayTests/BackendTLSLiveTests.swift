import AsyncHTTPClient
import Foundation
import NIOSSL
import SluiceGateway
import SluiceTLS
import SluiceTesting
import Testing

/// `https://` endpoints: the gateway verifies the backend's certificate against the system's roots plus
/// `client-truststore.pem`, host names included, and answers 101503 with the TLS reason when it cannot.
@Suite(.timeLimit(.minutes(1))) struct BackendTLSLiveTests {
    /// A backend identity like the one a first start generates: self-signed for `localhost` and the loopback
    /// addresses, which makes it its own trust anchor.
    struct Identity {
        let certificatePEM: String
        let privateKeyPEM: String
        let server: NIOSSLContext

        static func privateKey(of identity: Identity) throws -> NIOSSLPrivateKey {
            try NIOSSLPrivateKey(bytes: Array(identity.privateKeyPEM.utf8), format: .pem)
        }

        init() throws {
            let generated = try SelfSignedCertificate(hostNames: [])
            certificatePEM = generated.certificatePEM
            privateKeyPEM = generated.privateKeyPEM
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(generated.certificatePEM.utf8))
            let key = try NIOSSLPrivateKey(bytes: Array(generated.privateKeyPEM.utf8), format: .pem)
            server = try NIOSSLContext(
                configuration: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            )
        }
    }

    /// A repository whose trust store holds `certificates` (none: no trust store file).
    static func repository(trusting certificates: [String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-trust-\(UUID().uuidString)").path
        let security = root + "/resources/security"
        try FileManager.default.createDirectory(atPath: security, withIntermediateDirectories: true)
        if !certificates.isEmpty {
            try certificates.joined(separator: "\n").write(toFile: root + "/" + BackendTrust.trustStoreFile, atomically: true, encoding: .utf8)
        }
        return root
    }

    static func gateway(to backend: TestHTTPBackend, trust: TLSConfiguration) async throws -> GatewayHarness {
        try await GatewayHarness.start(
            files: [
                "api/secure.xml": Artifact.api(
                    name: "secure", context: "/secure", resources: Artifact.passthrough(endpoint: Artifact.address(backend.baseURL))
                )
            ],
            configure: { $0.backendTLS = trust }
        )
    }

    @Test func aSelfSignedBackendIsRefusedUntilItsCertificateIsInTheTrustStore() async throws {
        let identity = try Identity()
        let backend = try await TestHTTPBackend.start(tls: identity.server)
        defer { backend.shutdownInBackground() }
        #expect(backend.baseURL.hasPrefix("https://localhost:"))

        // The system's roots alone do not know it.
        let untrusting = try await Self.gateway(to: backend, trust: try BackendTrust.clientConfiguration(repositoryPath: try Self.repository(trusting: [])))
        defer { untrusting.stopInBackground() }
        let refused = try await HTTPClient.shared.send(.GET, untrusting.baseURL + "/secure/items", headers: [("Accept", "application/json")])
        #expect(refused.status >= 500, "\(refused.body)")
        #expect(refused.body.contains("101503"), "\(refused.body)")
        // The TLS reason (certificate verify failed) goes to the log with the fault, not to the client.
        #expect(backend.recordedRequests.isEmpty)

        // Another self-signed certificate in the trust store (the wrong CA) does not help either.
        let other = try Identity()
        let wrong = try await Self.gateway(
            to: backend, trust: try BackendTrust.clientConfiguration(repositoryPath: try Self.repository(trusting: [other.certificatePEM]))
        )
        defer { wrong.stopInBackground() }
        let stillRefused = try await HTTPClient.shared.send(.GET, wrong.baseURL + "/secure/items", headers: [("Accept", "application/json")])
        #expect(stillRefused.body.contains("101503"), "\(stillRefused.body)")
        #expect(backend.recordedRequests.isEmpty)

        // Its own certificate in the trust store: served, over one pooled connection.
        let trusting = try await Self.gateway(
            to: backend,
            trust: try BackendTrust.clientConfiguration(
                repositoryPath: try Self.repository(trusting: [other.certificatePEM, identity.certificatePEM])
            )
        )
        defer { trusting.stopInBackground() }
        let accepted = backend.acceptedConnections
        for _ in 0..<3 {
            let served = try await HTTPClient.shared.send(.GET, trusting.baseURL + "/secure/items")
            #expect(served.status == 200, "\(served.body)")
        }
        #expect(backend.recordedRequests.count == 3)
        #expect(backend.recordedRequests.last?.header("Host") == "localhost:\(backend.port)")
        #expect(backend.acceptedConnections == accepted + 1)
    }

    @Test func anUnreadableTrustStoreStopsTheStartNamingTheFile() throws {
        let root = try Self.repository(trusting: [])
        let path = root + "/" + BackendTrust.trustStoreFile
        try "not a certificate".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try BackendTrust.clientConfiguration(repositoryPath: root)
        } throws: { error in
            String(describing: error).contains("client-truststore.pem")
        }
        #expect(try BackendTrust.clientConfiguration(repositoryPath: try Self.repository(trusting: [])).additionalTrustRoots.isEmpty)
    }
}
