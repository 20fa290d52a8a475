import Foundation
import Testing

/// `sluice server` over HTTPS with real clients: the first start generates a self-signed certificate and says where
/// it is; curl trusts it with `--cacert`; a broken key store stops the start with the reason.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TLSServerProcessTests {
    @Test func theFirstStartGeneratesACertificateThatCurlTrustsWithCacert() async throws {
        let server = try SluiceServerProcess()
        try await server.start()
        defer { server.stop() }
        let output = server.serverOutput
        #expect(output.contains("Generated a self-signed TLS certificate for localhost"))
        #expect(output.contains(server.certificatePath))
        let fingerprint = try #require(output.split(separator: "\n").first { $0.contains("SHA-256 fingerprint") })
        #expect(fingerprint.split(separator: " ").last?.split(separator: ":").count == 32)

        // The fingerprint printed is the certificate's, as openssl computes it.
        let openssl = try await server.execute("/usr/bin/openssl", ["x509", "-in", server.certificatePath, "-noout", "-fingerprint", "-sha256"])
        #expect(openssl.output.uppercased().contains(String(fingerprint.split(separator: " ").last ?? "")))

        let management = try await server.execute(
            "/usr/bin/curl",
            ["-sS", "--cacert", server.certificatePath, "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}",
             server.managementHTTPSURL + "/api/am/openapi.json"]
        )
        #expect(management.output == "200 0", "\(management.error)")
        let gateway = try await server.execute(
            "/usr/bin/curl",
            ["-sS", "--cacert", server.certificatePath, "--tlsv1.2", server.gatewayHTTPSURL + "/pizzashack/1.0.0/menu"]
        )
        #expect(gateway.status == 0, "\(gateway.error)")
        // Without the certificate curl refuses the server: it is self-signed.
        let untrusted = try await server.execute("/usr/bin/curl", ["-sS", server.gatewayHTTPSURL + "/pizzashack/1.0.0/menu"])
        #expect(untrusted.status == 60)
        // TLS 1.1 is not offered.
        let old = try await server.execute(
            "/usr/bin/curl",
            ["-sS", "--cacert", server.certificatePath, "--tls-max", "1.1", server.gatewayHTTPSURL + "/"]
        )
        #expect(old.status != 0)
    }

    @Test func aBrokenKeyStoreStopsTheStartWithTheReason() async throws {
        let server = try SluiceServerProcess()
        let repository = server.workspace + "/repository"
        try SluiceServerProcess.copyShippedRepository(to: repository)
        let configuration = repository + "/conf/api-manager.xml"
        let original = try String(contentsOfFile: configuration, encoding: .utf8)
        func start(security: String) async throws -> (status: Int32, output: String, error: String) {
            try original.replacingOccurrences(of: "</APIManager>", with: security + "\n</APIManager>")
                .write(toFile: configuration, atomically: true, encoding: .utf8)
            return try await server.execute(
                SluiceServerProcess.sluice,
                [
                    // It stops before binding anything: no port is taken, whatever it is.
                    "server", "--repository", repository, "--gateway-port", "0", "--management-port", "0",
                    "--gateway-https-port", "0", "--management-https-port", "0",
                ],
                environment: ["SLUICE_ADMIN_PASSWORD": SluiceServerProcess.adminPassword]
            )
        }

        let missing = try await start(security: "<Security><KeyStore><Location>repository/resources/security/missing.p12</Location></KeyStore></Security>")
        #expect(missing.status != 0)
        #expect(missing.error.contains("TLS key store: the key store \(server.workspace)/repository/resources/security/missing.p12 does not exist"))

        // A PKCS#12 store made with openssl, opened with the wrong password.
        let security = repository + "/resources/security"
        try FileManager.default.createDirectory(atPath: security, withIntermediateDirectories: true)
        let made = try await server.execute(
            "/usr/bin/openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "2",
             "-keyout", security + "/other.key", "-out", security + "/other.crt"]
        )
        try #require(made.status == 0, "\(made.error)")
        let exported = try await server.execute(
            "/usr/bin/openssl",
            ["pkcs12", "-export", "-in", security + "/other.crt", "-inkey", security + "/other.key",
             "-out", security + "/store.p12", "-passout", "pass:right-password"]
        )
        try #require(exported.status == 0, "\(exported.error)")
        let wrong = try await start(security: "<Security><KeyStore><Location>repository/resources/security/store.p12</Location><Password>wrong</Password></KeyStore></Security>")
        #expect(wrong.status != 0)
        #expect(wrong.error.contains("the password does not open the PKCS#12 key store"))

        // A certificate with another key.
        let key = try await server.execute(
            "/usr/bin/openssl",
            ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", security + "/second.key"]
        )
        try #require(key.status == 0, "\(key.error)")
        let pem = "<Security><KeyStore><Type>PEM</Type><Location>repository/resources/security/other.crt</Location>"
        let mismatch = try await start(
            security: pem + "<PrivateKey>repository/resources/security/second.key</PrivateKey></KeyStore></Security>"
        )
        #expect(mismatch.status != 0)
        #expect(mismatch.error.contains("does not belong to the certificate"))
    }
}
