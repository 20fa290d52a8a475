public import NIOSSL

/// TLS settings of Sluice's HTTPS listeners: TLS 1.2 and 1.3 only, forward-secret AEAD cipher suites, HTTP/1.1
/// by ALPN, and a certificate per host name by SNI.
public enum ServerTLS {
    /// TLS 1.2 suites allowed (TLS 1.3 suites are fixed by BoringSSL and all modern): ECDHE key exchange with
    /// AES-GCM or ChaCha20-Poly1305, for ECDSA and RSA certificates.
    public static let cipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// The configuration of a listener serving `keyStores`.
    /// - Parameters:
    ///   - keyStores: The default identity first; a client whose SNI names a host another key store's
    ///     certificate is for gets that one.
    ///   - requestClientCertificate: Ask clients for a certificate without requiring one (the gateway, for APIs
    ///     with mutual TLS); the listener's handler then accepts whatever is presented and the API checks it.
    /// - Returns: The configuration.
    public static func configuration(keyStores: [KeyStore], requestClientCertificate: Bool = false) -> TLSConfiguration {
        let primary = keyStores[0]
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: primary.certificateChain.map { .certificate($0) },
            privateKey: .privateKey(primary.privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = cipherSuites
        configuration.applicationProtocols = ["http/1.1"]
        if requestClientCertificate {
            configuration.certificateVerification = .optionalVerification
            configuration.trustRoots = .certificates([])
            configuration.sendCANameList = false
        }
        let others = Array(keyStores.dropFirst())
        if !others.isEmpty {
            configuration.sslContextCallback = { values, promise in
                // The primary identity wins for the names it serves itself; others only for theirs.
                guard let host = values.serverHostname, !primary.serves(host: host),
                    let match = others.first(where: { $0.serves(host: host) })
                else {
                    promise.succeed(.noChanges)
                    return
                }
                var override = NIOSSLContextConfigurationOverride()
                override.certificateChain = match.certificateChain.map { .certificate($0) }
                override.privateKey = .privateKey(match.privateKey)
                promise.succeed(override)
            }
        }
        return configuration
    }
}
