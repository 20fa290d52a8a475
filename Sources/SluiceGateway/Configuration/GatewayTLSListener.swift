public import NIOSSL

/// The gateway's HTTPS listener: its port and TLS settings (see `SluiceTLS.ServerTLS`).
public struct GatewayTLSListener: Sendable {
    /// Port to listen on (8243, WSO2's); 0 picks an ephemeral port, reported by `GatewayService.boundHTTPSPort`.
    public var port: Int
    /// Certificates, key, versions and ciphers; a configuration that asks for client certificates makes them
    /// available to APIs with mutual TLS.
    public var configuration: TLSConfiguration
    /// True when `configuration` asks clients for a certificate (`ServerTLS.configuration(requestClientCertificate:)`):
    /// the listener then accepts any certificate a client proves it holds, and APIs with mutual TLS check it
    /// against the certificates their publisher uploaded.
    public var requestsClientCertificates: Bool

    /// Creates the listener settings.
    public init(port: Int = 8243, configuration: TLSConfiguration, requestsClientCertificates: Bool = false) {
        self.port = port
        self.configuration = configuration
        self.requestsClientCertificates = requestsClientCertificates
    }
}
