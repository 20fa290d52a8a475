public import Logging
public import ServiceLifecycle
public import SluiceMediation
public import SluiceModel

/// Keeps stored usage bounded, as a `Service`: every `interval` (and once at start) it deletes the rollups older
/// than `rollupRetention` and the raw events older than `rawEventRetention`.
public struct UsageRetentionService<C: Clock>: Service where C.Duration == Duration {
    private let repository: any UsageRepository
    private let rollupRetention: Duration
    private let rawEventRetention: Duration
    private let interval: Duration
    private let wallClock: EpochClock
    private let clock: C
    private let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - repository: Where the usage is stored.
    ///   - rollupRetention: How long rollups are kept (90 days by default).
    ///   - rawEventRetention: How long raw events are kept (7 days by default).
    ///   - interval: The pause between passes.
    ///   - wallClock: The time the ages are measured from.
    ///   - clock: The clock that paces the passes.
    ///   - logger: For storage failures.
    public init(
        repository: any UsageRepository,
        rollupRetention: Duration = .seconds(90 * 86_400),
        rawEventRetention: Duration = .seconds(7 * 86_400),
        interval: Duration = .seconds(3_600),
        wallClock: EpochClock = .system,
        clock: C,
        logger: Logger
    ) {
        self.repository = repository
        self.rollupRetention = rollupRetention
        self.rawEventRetention = rawEventRetention
        self.interval = interval
        self.wallClock = wallClock
        self.clock = clock
        self.logger = logger
    }

    /// Deletes once per interval until graceful shutdown or cancellation.
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

    /// One pass; a failure is logged, not thrown, so the next pass tries again.
    /// - Returns: The rollup rows and raw events deleted.
    @discardableResult
    public func runOnce() async -> (rollups: Int, events: Int) {
        let now = wallClock.millisecondsSinceEpoch()
        do {
            let deleted = try await repository.deleteUsage(
                rollupsBefore: now - rollupRetention.wholeMilliseconds,
                eventsBefore: now - rawEventRetention.wholeMilliseconds
            )
            if deleted.rollups + deleted.events > 0 {
                logger.debug(
                    "Old usage deleted",
                    metadata: [
                        "sluice.usage.rollups": .stringConvertible(deleted.rollups),
                        "sluice.usage.events": .stringConvertible(deleted.events),
                    ]
                )
            }
            return deleted
        } catch {
            logger.error("Usage retention failed", metadata: ["sluice.error": "\(error)"])
            return (0, 0)
        }
    }
}

extension UsageRetentionService where C == ContinuousClock {
    /// Creates the service paced by the continuous clock.
    public init(
        repository: any UsageRepository,
        rollupRetention: Duration = .seconds(90 * 86_400),
        rawEventRetention: Duration = .seconds(7 * 86_400),
        interval: Duration = .seconds(3_600),
        logger: Logger
    ) {
        self.init(
            repository: repository, rollupRetention: rollupRetention, rawEventRetention: rawEventRetention,
            interval: interval, clock: ContinuousClock(), logger: logger
        )
    }
}
