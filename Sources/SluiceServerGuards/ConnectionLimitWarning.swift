public import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Logs refused connections without flooding the log: the first refusal at once, then at most one line per
/// interval with the count refused meanwhile.
public final class ConnectionLimitWarning: Sendable {
    private let logger: Logger
    private let server: String
    private let interval: TimeAmount
    private let lastLogged = NIOLockedValueBox<(at: NIODeadline?, refusedThen: Int)>((nil, 0))

    /// - Parameters:
    ///   - logger: Where the warning goes.
    ///   - server: `gateway` or `management`, for the metadata.
    ///   - interval: The least time between two lines.
    public init(logger: Logger, server: String, interval: TimeAmount = .seconds(10)) {
        self.logger = logger
        self.server = server
        self.interval = interval
    }

    /// Called by `ConnectionLimitHandler` for each refused connection.
    public func callAsFunction(_ limiter: ConnectionLimiter) {
        let now = NIODeadline.now()
        let refused = limiter.refusedConnections
        let due: Int? = lastLogged.withLockedValue { last in
            if let at = last.at, now - at < interval { return nil }
            defer { last = (now, refused) }
            return refused - last.refusedThen
        }
        guard let due else { return }
        logger.warning(
            "Connection limit reached: refusing new connections",
            metadata: [
                "sluice.server": .string(server),
                "sluice.connections.max": .stringConvertible(limiter.maximum),
                "sluice.connections.refused": .stringConvertible(due),
            ]
        )
    }
}
