import Logging
public import ServiceLifecycle

/// Deletes expired tokens every `interval`, from storage and from the validation index.
///
/// Generic over the clock that paces it, so tests can drive it; expiry itself follows the key manager's
/// wall clock.
public struct TokenCleanupService<C: Clock>: Service where C.Duration == Duration {
    private let keyManager: KeyManager
    private let interval: Duration
    private let clock: C

    /// Creates the service.
    /// - Parameters:
    ///   - keyManager: Whose tokens to clean.
    ///   - interval: Pause between runs.
    ///   - clock: The clock that paces the runs.
    public init(keyManager: KeyManager, interval: Duration = .seconds(600), clock: C) {
        self.keyManager = keyManager
        self.interval = interval
        self.clock = clock
    }

    /// Cleans once per interval until graceful shutdown or cancellation.
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await runOnce()
            do {
                try await cancelWhenGracefulShutdown {
                    try await clock.sleep(for: interval)
                }
            } catch {
                return
            }
        }
    }

    /// One cleanup pass; failures are logged, not thrown, so one bad pass does not stop the service.
    /// - Returns: How many access tokens were removed.
    @discardableResult
    public func runOnce() async -> Int {
        do {
            let removed = try await keyManager.removeExpiredTokens()
            if removed > 0 {
                keyManager.configuration.logger.debug(
                    "Expired tokens removed",
                    metadata: ["sluice.km.removed": "\(removed)"]
                )
            }
            return removed
        } catch {
            keyManager.configuration.logger.error(
                "Token cleanup failed",
                metadata: ["sluice.km.error": "\(String(describing: error))"]
            )
            return 0
        }
    }
}

extension TokenCleanupService where C == ContinuousClock {
    /// Creates the service paced by the continuous clock.
    /// - Parameters:
    ///   - keyManager: Whose tokens to clean.
    ///   - interval: Pause between runs.
    public init(keyManager: KeyManager, interval: Duration = .seconds(600)) {
        self.init(keyManager: keyManager, interval: interval, clock: ContinuousClock())
    }
}
