import Foundation
import SluiceModel
public import Logging
public import ServiceLifecycle
import Synchronization

/// Polls a remote key manager for revoked tokens and drops them from a gateway's ``KeyValidationCache``, so a
/// revocation reaches a split gateway within one poll interval; when the key manager reports a gap, the whole
/// cache is flushed.
public final class RevocationFeedService: Service {
    private let validator: RemoteKeyValidator
    private let cache: KeyValidationCache
    private let interval: Duration
    private let logger: Logger
    private let generation = Mutex<UInt64?>(nil)

    /// Creates the service.
    /// - Parameters:
    ///   - validator: The key manager client.
    ///   - cache: The cache to keep clean.
    ///   - interval: The pause between polls.
    ///   - logger: For unreachable key managers.
    public init(validator: RemoteKeyValidator, cache: KeyValidationCache, interval: Duration = .milliseconds(500), logger: Logger) {
        self.validator = validator
        self.cache = cache
        self.interval = interval
        self.logger = logger
    }

    /// Polls until graceful shutdown or cancellation.
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await poll()
            } catch {
                logger.warning("Revocation feed not reachable", metadata: ["sluice.error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// Asks for the revocations since the last poll and applies them. The first poll only learns the generation
    /// and flushes the cache, since revocations before it are unknown.
    /// - Throws: When the key manager cannot be reached.
    public func poll() async throws {
        let seen = generation.withLock { $0 }
        let answer = try await validator.revocations(since: seen ?? 0)
        if seen == nil || !answer.complete {
            cache.removeAll()
        } else if !answer.tokenHashes.isEmpty {
            cache.invalidate(tokenHashes: answer.tokenHashes.compactMap(Self.bytes))
        }
        generation.withLock { $0 = answer.generation }
    }

    private static func bytes(_ hex: String) -> Data? {
        HexEncoding.decode(hex).map { Data($0) }
    }
}
