import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import SluiceServerGuards

/// Hummingbird's HTTP/1.1 child channel with the guards the gateway has too: the connection cap in front of
/// everything, and right behind the HTTP decoder the idle/header-read/request-read timeouts and the `Host` checks
/// (`HTTPConnectionGuardHandler`; Hummingbird's own additional handlers come after its HTTP-types codec, where
/// the request's version and repeated `Host` headers are no longer visible).
struct ManagementHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value

    /// What every connection of the server shares, whichever listener (HTTP, HTTPS) it arrived on.
    struct Guards: Sendable {
        let limiter: ConnectionLimiter
        let warning: ConnectionLimitWarning
        let idleTimeout: TimeAmount
        let readTimeout: TimeAmount

        init(configuration: ManagementConfiguration, logger: Logger) {
            limiter = ConnectionLimiter(maximum: configuration.maxConnections)
            warning = ConnectionLimitWarning(logger: logger, server: "management")
            idleTimeout = TimeAmount(configuration.idleTimeout)
            readTimeout = TimeAmount(configuration.readTimeout)
        }
    }

    private let http1: HTTP1Channel
    private let guards: Guards

    init(responder: @escaping HTTPChannelHandler.Responder, guards: Guards) {
        self.http1 = HTTP1Channel(responder: responder)
        self.guards = guards
    }

    var responder: HTTPChannelHandler.Responder { http1.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let guards = self.guards
        do {
            // First, before a TLS handler too: a connection over the cap costs no handshake.
            try channel.pipeline.syncOperations.addHandler(
                ConnectionLimitHandler(limiter: guards.limiter, onRefusal: { guards.warning($0) }),
                position: .first
            )
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(
                HTTPConnectionGuardHandler(idleTimeout: guards.idleTimeout, readTimeout: guards.readTimeout),
                position: .after(decoder)
            )
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
