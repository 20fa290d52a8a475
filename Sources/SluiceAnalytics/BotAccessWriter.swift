public import Logging
public import ServiceLifecycle
public import SluiceMediation
public import SluiceModel

/// Writes the bot trap's records to storage and keeps them bounded, as a `Service`: every `flushInterval` it
/// stores what ``BotAccessQueue`` holds (one transaction, after which at most `storedLimit` records remain, the
/// newest), and every `retentionInterval` (and once at start) it deletes records older than `retention`. On
/// graceful shutdown it writes what is left and stops.
///
/// A batch storage refuses goes back into the queue for the next flush, as far as the queue has room.
public final class BotAccessWriter<C: Clock>: Service where C.Duration == Duration {
    public let queue: BotAccessQueue
    private let repository: any BotAccessRepository
    private let storedLimit: Int
    private let retention: Duration
    private let flushInterval: Duration
    private let retentionInterval: Duration
    private let wallClock: EpochClock
    private let clock: C
    private let logger: Logger

    /// Creates the writer.
    /// - Parameters:
    ///   - queue: The records the mediator queues.
    ///   - repository: Where they go.
    ///   - storedLimit: Records kept at most (``BotAccess/defaultStoredLimit``).
    ///   - retention: How long records are kept (``BotAccess/defaultRetentionDays``).
    ///   - flushInterval: The pause between writes.
    ///   - retentionInterval: The pause between retention passes.
    ///   - wallClock: The time ages are measured from.
    ///   - clock: The clock the pauses are measured on.
    ///   - logger: For storage failures.
    public init(
        queue: BotAccessQueue,
        repository: any BotAccessRepository,
        storedLimit: Int = BotAccess.defaultStoredLimit,
        retention: Duration = .seconds(Int64(BotAccess.defaultRetentionDays) * 86_400),
        flushInterval: Duration = .seconds(1),
        retentionInterval: Duration = .seconds(3_600),
        wallClock: EpochClock = .system,
        clock: C,
        logger: Logger
    ) {
        self.queue = queue
        self.repository = repository
        self.storedLimit = max(1, storedLimit)
        self.retention = retention
        self.flushInterval = flushInterval
        self.retentionInterval = retentionInterval
        self.wallClock = wallClock
        self.clock = clock
        self.logger = logger
    }

    /// Writes until graceful shutdown or cancellation, then writes what is left.
    public func run() async throws {
        var sinceRetention = retentionInterval
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await flush()
            if sinceRetention >= retentionInterval {
                await deleteExpired()
                sinceRetention = .zero
            }
            do {
                try await cancelWhenGracefulShutdown { [clock, flushInterval] in
                    try await clock.sleep(for: flushInterval)
                }
            } catch {
                break
            }
            sinceRetention += flushInterval
        }
        await flush()
    }

    /// Writes the queued records now.
    /// - Returns: How many were written.
    @discardableResult
    public func flush() async -> Int {
        let batch = queue.drain()
        guard !batch.isEmpty else { return 0 }
        do {
            try await repository.insertBotAccesses(batch, keepingNewest: storedLimit)
            return batch.count
        } catch {
            queue.restore(batch)
            logger.error(
                "Bot detection records could not be stored; kept for the next flush",
                metadata: ["sluice.bot.records": .stringConvertible(batch.count), "sluice.error": "\(error)"]
            )
            return 0
        }
    }

    /// Deletes the records older than the retention; a failure is logged and the next pass tries again.
    /// - Returns: How many were deleted.
    @discardableResult
    public func deleteExpired() async -> Int {
        do {
            return try await repository.deleteBotAccesses(
                before: wallClock.millisecondsSinceEpoch() - retention.wholeMilliseconds
            )
        } catch {
            logger.error("Bot detection retention failed", metadata: ["sluice.error": "\(error)"])
            return 0
        }
    }
}

extension BotAccessWriter where C == ContinuousClock {
    /// Creates the writer paced by the continuous clock, with the default limits.
    public convenience init(queue: BotAccessQueue, repository: any BotAccessRepository, logger: Logger) {
        self.init(queue: queue, repository: repository, clock: ContinuousClock(), logger: logger)
    }
}
