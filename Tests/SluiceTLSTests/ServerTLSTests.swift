import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Testing

@testable import SluiceTLS

/// The listeners' TLS settings, checked with real handshakes on loopback.
@Suite(.timeLimit(.minutes(1))) struct ServerTLSTests {
    static let primary = Self.keyStore(hosts: [])
    static let other = Self.keyStore(hosts: ["api.example.com"])

    static func keyStore(hosts: [String]) -> KeyStore {
        // Generated once per test run; a failure here is a bug in the generator that every test reports.
        let pair = try! SelfSignedCertificate(hostNames: hosts)
        return try! KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM)
    }

    @Test func tls12AndTls13AreServedAndOlderVersionsRefused() async throws {
        try await withServer(ServerTLS.configuration(keyStores: [Self.primary])) { port in
            for (version, accepted) in [(TLSVersion.tlsv13, true), (.tlsv12, true), (.tlsv11, false), (.tlsv1, false)] {
                var client = TLSConfiguration.makeClientConfiguration()
                client.minimumTLSVersion = .tlsv1
                client.maximumTLSVersion = version
                let outcome = try await Self.handshake(port: port, client: client, serverName: "localhost")
                #expect((outcome.certificate != nil) == accepted, "TLS \(version)")
            }
        }
    }

    @Test func tls12WithoutForwardSecrecyOrAEADIsRefused() async throws {
        try await withServer(ServerTLS.configuration(keyStores: [Self.primary])) { port in
            var client = TLSConfiguration.makeClientConfiguration()
            client.maximumTLSVersion = .tlsv12
            client.cipherSuiteValues = [.TLS_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]
            let refused = try await Self.handshake(port: port, client: client, serverName: "localhost")
            #expect(refused.certificate == nil)
            client.cipherSuiteValues = [.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]
            let accepted = try await Self.handshake(port: port, client: client, serverName: "localhost")
            #expect(accepted.certificate != nil)
        }
    }

    @Test func sniPicksTheKeyStoreWhoseCertificateNamesTheHost() async throws {
        try await withServer(ServerTLS.configuration(keyStores: [Self.primary, Self.other])) { port in
            let client = TLSConfiguration.makeClientConfiguration()
            let api = try await Self.handshake(port: port, client: client, serverName: "api.example.com")
            #expect(try api.certificate?.toDERBytes() == Self.other.leafDER)
            let local = try await Self.handshake(port: port, client: client, serverName: "localhost")
            #expect(try local.certificate?.toDERBytes() == Self.primary.leafDER)
            let unknown = try await Self.handshake(port: port, client: client, serverName: "elsewhere.example.org")
            #expect(try unknown.certificate?.toDERBytes() == Self.primary.leafDER)
        }
    }

    @Test func alpnOffersHTTP11() async throws {
        try await withServer(ServerTLS.configuration(keyStores: [Self.primary])) { port in
            var client = TLSConfiguration.makeClientConfiguration()
            client.applicationProtocols = ["h2", "http/1.1"]
            let outcome = try await Self.handshake(port: port, client: client, serverName: "localhost")
            #expect(outcome.protocol == "http/1.1")
        }
    }

    // MARK: - Helpers

    private func withServer(_ configuration: TLSConfiguration, _ body: (Int) async throws -> Void) async throws {
        let context = try NIOSSLContext(configuration: configuration)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        do {
            try await body(try #require(server.localAddress?.port))
        } catch {
            try? await server.close()
            throw error
        }
        try await server.close()
    }

    /// Connects, completes (or fails) the handshake; the certificate is nil when the handshake failed.
    static func handshake(
        port: Int,
        client: TLSConfiguration,
        serverName: String
    ) async throws -> (certificate: NIOSSLCertificate?, protocol: String?) {
        let context = try NIOSSLContext(configuration: client)
        let seen = NIOLockedValueBox<NIOSSLCertificate?>(nil)
        let done = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: String?.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(context: context, serverHostname: serverName) { certificates, promise in
                        seen.withLockedValue { $0 = certificates.first }
                        promise.succeed(.certificateVerified)
                    }
                    try channel.pipeline.syncOperations.addHandler(tls)
                    try channel.pipeline.syncOperations.addHandler(HandshakeObserver(done: done))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        let negotiated: String??
        do {
            negotiated = .some(try await done.futureResult.get())
        } catch {
            negotiated = nil
        }
        try? await channel.close()
        guard let negotiated else { return (nil, nil) }
        return (seen.withLockedValue { $0 }, negotiated)
    }
}

/// Completes `done` with the negotiated ALPN protocol when the handshake finishes, or fails it.
private final class HandshakeObserver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let done: EventLoopPromise<String?>

    init(done: EventLoopPromise<String?>) {
        self.done = done
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted(let negotiated) = event as? TLSUserEvent { done.succeed(negotiated) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension HandshakeObserver: Sendable {}
