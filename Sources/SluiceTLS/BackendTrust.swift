import Foundation
public import NIOSSL
public import SluiceModel

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
    /// - Parameters:
    ///   - repositoryPath: The `repository/` folder.
    ///   - identity: The certificate and key presented to a backend that asks for one (mutual TLS to the backend);
    ///     nil presents none.
    /// - Returns: The configuration, with the trust store's certificates when it exists.
    /// - Throws: ``KeyStoreError`` when the file exists but cannot be read or holds no certificate.
    public static func clientConfiguration(
        repositoryPath: String,
        identity: KeyStore? = nil
    ) throws(KeyStoreError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        if let identity {
            configuration.certificateChain = identity.certificateChain.map { .certificate($0) }
            configuration.privateKey = .privateKey(identity.privateKey)
        }
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

    /// The TLS of a gateway towards backends: the default configuration (presenting `primary`, the node's own key
    /// store, to backends that ask, as WSO2's gateway presents `wso2carbon`), and one per `host:port` given a client
    /// certificate of its own.
    /// - Parameters:
    ///   - repositoryPath: The `repository/` folder; relative key store paths are relative to its parent.
    ///   - primary: The node's default key store, nil when the node has none.
    ///   - clientCertificates: `<BackendClientCertificate>` settings.
    /// - Throws: ``KeyStoreError`` for an unreadable trust store or key store.
    public static func gatewayConfigurations(
        repositoryPath: String,
        primary: KeyStore?,
        clientCertificates: [BackendClientCertificate]
    ) throws(KeyStoreError) -> (default: TLSConfiguration, byServer: [String: TLSConfiguration]) {
        let base = URL(fileURLWithPath: repositoryPath).standardizedFileURL.deletingLastPathComponent().path
        var byServer: [String: TLSConfiguration] = [:]
        for certificate in clientCertificates {
            let identity = try KeyStore.load(certificate.keyStore, relativeTo: base)
            let configuration = try clientConfiguration(repositoryPath: repositoryPath, identity: identity)
            for server in certificate.servers { byServer[server] = configuration }
        }
        return (try clientConfiguration(repositoryPath: repositoryPath, identity: primary), byServer)
    }
}
