import Logging
import ServiceLifecycle
import SluiceJWT

/// Loads a remote key manager's signing keys into a split gateway's ``KeyValidationCache`` and reloads them
/// periodically (a key store may be replaced), so JWTs are checked on the gateway without a call per token.
/// Until the first load succeeds (the key manager may start after the gateway) JWTs go to the key manager.
public struct SigningKeyRefreshService: Service {
    private let validator: RemoteKeyValidator
    private let cache: KeyValidationCache
    private let interval: Duration
    private let retryInterval: Duration
    private let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - validator: The key manager client.
    ///   - cache: The cache that checks JWTs.
    ///   - interval: The pause between reloads once loaded.
    ///   - retryInterval: The pause after a failed load.
    ///   - logger: For an unreachable key manager.
    public init(
        validator: RemoteKeyValidator,
        cache: KeyValidationCache,
        interval: Duration = .seconds(300),
        retryInterval: Duration = .seconds(5),
        logger: Logger
    ) {
        self.validator = validator
        self.cache = cache
        self.interval = interval
        self.retryInterval = retryInterval
        self.logger = logger
    }

    /// Reloads until graceful shutdown or cancellation.
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let pause = await refresh() ? interval : retryInterval
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
            } catch {
                return
            }
        }
    }

    /// Loads the key manager's signing keys and issuer into the cache once.
    /// - Returns: Whether they were loaded; on failure the cache keeps the keys it had (or none).
    @discardableResult
    public func refresh() async -> Bool {
        do {
            cache.useVerifier(try await validator.accessTokenVerifier())
            return true
        } catch {
            logger.warning("Key manager signing keys not reachable", metadata: ["sluice.error": "\(error)"])
            return false
        }
    }
}
