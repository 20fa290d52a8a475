import Foundation
public import NIOSSL

/// Whom the node trusts when it is the TLS client: the gateway towards `https://` endpoints, a split gateway towards
/// its key manager. The system's roots, plus the certificates of `repository/resources/security/client-truststore.pem`
/// when that file exists (WSO2 keeps them in `client-truststore.jks`; export them as a PEM bundle, for example
/// `keytool -exportcert -rfc -alias NAME -keystore client-truststore.jks >> client-truststore.pem`).
///
/// Certificates are verified fully, host names included, with TLS 1.2 or later; WSO2 has no per-endpoint switch
/// to turn the check off, and neither has Sluice.
public enum BackendTrust {
    /// The trust store, relative to the `repository/` folder.
    public static let trustStoreFile = "resources/security/client-truststore.pem"

    /// The client TLS configuration.
    /// - Parameter repositoryPath: The `repository/` folder.
    /// - Returns: The configuration, with the trust store's certificates when it exists.
    /// - Throws: ``KeyStoreError`` when the file exists but cannot be read or holds no certificate.
    public static func clientConfiguration(repositoryPath: String) throws(KeyStoreError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        let path = URL(fileURLWithPath: repositoryPath).appendingPathComponent(trustStoreFile).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: path) else { return configuration }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw .unreadable(path, role: "trust store", detail: "\(error)")
        }
        guard !certificates.isEmpty else { throw .noCertificate(path) }
        configuration.additionalTrustRoots = [.certificates(certificates)]
        return configuration
    }
}
