import HummingbirdCore
import HummingbirdTLS
public import NIOSSL

/// The management server's HTTPS listener (9443, WSO2's): its port and the Hummingbird TLS server built from the
/// TLS settings (see `SluiceTLS.ServerTLS`).
public struct ManagementTLSListener: Sendable {
    /// Port to listen on; 0 picks an ephemeral port (reported through `ManagementConfiguration.onServerRunning`).
    public var port: Int
    /// Certificates, key, versions and ciphers.
    let tlsConfiguration: TLSConfiguration

    /// Creates the listener settings.
    /// - Parameters:
    ///   - port: The HTTPS port.
    ///   - configuration: Certificates, key, versions and ciphers.
    /// - Throws: NIOSSL's error when the configuration cannot make a TLS context.
    public init(port: Int = 9443, configuration: TLSConfiguration) throws {
        // Building the context here surfaces a bad configuration at start, not at the first connection.
        _ = try NIOSSLContext(configuration: configuration)
        self.port = port
        self.tlsConfiguration = configuration
    }

    /// The HTTP/1.1-over-TLS server: the management channel (with its connection guards) behind a handshake.
    func server(guards: ManagementHTTPChannel.Guards) -> HTTPServerBuilder {
        let configuration = tlsConfiguration
        return HTTPServerBuilder { responder in
            try TLSChannel(ManagementHTTPChannel(responder: responder, guards: guards), tlsConfiguration: configuration)
        }
    }
}
