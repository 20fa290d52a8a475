public import Logging
public import ServiceLifecycle
public import SluiceModel

/// Writes the gateway's usage to storage, as a `Service`: every `flushInterval` it stores the per-minute rollups
/// gathered since the last flush (one transaction) and drains the raw-event queue in batches of `batchSize`
/// (coming back after a twentieth of the pause while drains find at least a batch); on graceful shutdown it writes
/// what is left and stops.
///
/// Rollups that storage refuses go back into the aggregator and are written with the next flush (bounded by its
/// key limit), so counts are not lost while the database is briefly away. A batch of raw events that storage
/// refuses is logged and dropped (counted in ``failedCount``): raw events must not grow the gateway's memory.
public final class UsageBatchWriter<C: Clock>: Service where C.Duration == Duration {
    public let rollups: UsageRollupAggregator?
    public let queue: UsageEventQueue?
    private let repository: any UsageRepository
    private let batchSize: Int
    private let flushInterval: Duration
    private let clock: C
    private let logger: Logger
    private let counters = Counters()

    /// Creates the writer.
    /// - Parameters:
    ///   - rollups: The rollups the recorder fills, if they are stored.
    ///   - queue: The raw events the recorder queues, if they are stored.
    ///   - repository: Where the usage goes.
    ///   - batchSize: Raw events per insert transaction.
    ///   - flushInterval: The pause between flushes.
    ///   - clock: The clock the pause is measured on.
    ///   - logger: For storage failures.
    public init(
        rollups: UsageRollupAggregator? = nil,
        queue: UsageEventQueue?,
        repository: any UsageRepository,
        batchSize: Int = 500,
        flushInterval: Duration = .seconds(1),
        clock: C,
        logger: Logger
    ) {
        self.rollups = rollups
        self.queue = queue
        self.repository = repository
        self.batchSize = max(1, batchSize)
        self.flushInterval = flushInterval
        self.clock = clock
        self.logger = logger
    }

    /// Flushes until graceful shutdown or cancellation, then writes what is left.
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            // Under load a full pause would let the bounded queue overflow (10,000 events last half a second at
            // 20,000 req/s), so after a busy drain the writer comes back sooner.
            let pause = await flushRawEvents() >= batchSize ? flushInterval / 20 : flushInterval
            await flushRollups()
            do {
                try await cancelWhenGracefulShutdown { [clock] in
                    try await clock.sleep(for: pause)
                }
            } catch {
                break
            }
        }
        await flush()
    }

    /// Writes everything gathered now: the rollups, then the raw events in batches.
    /// - Returns: How many calls were written: those the rollups count, or, without rollups, the raw events.
    @discardableResult
    public func flush() async -> Int {
        let calls = await flushRollups()
        let events = await flushRawEvents()
        return rollups == nil ? events : calls
    }

    /// Writes the rollups gathered since the last flush; returns the calls they count.
    @discardableResult
    private func flushRollups() async -> Int {
        guard let rollups else { return 0 }
        let taken = rollups.drain()
        guard !taken.isEmpty else { return 0 }
        let calls = taken.reduce(0) { $0 + $1.counts.requests }
        do {
            try await repository.insertUsageRollups(taken)
            counters.add(rolledUp: calls)
            return calls
        } catch {
            rollups.restore(taken)
            logger.error(
                "Usage rollups could not be stored; kept for the next flush",
                metadata: ["sluice.usage.rollups": .stringConvertible(taken.count), "sluice.error": "\(error)"]
            )
            return 0
        }
    }

    /// Drains and writes the raw-event queue in batches; returns how many were written.
    private func flushRawEvents() async -> Int {
        guard let queue else { return 0 }
        var written = 0
        while true {
            let batch = queue.drain(maxCount: batchSize)
            guard !batch.isEmpty else { return written }
            do {
                try await repository.insertUsageEvents(batch)
                written += batch.count
                counters.add(written: batch.count)
            } catch {
                counters.add(failed: batch.count)
                logger.error(
                    "Usage events could not be stored",
                    metadata: ["sluice.usage.events": .stringConvertible(batch.count), "sluice.error": "\(error)"]
                )
            }
        }
    }

    /// Raw events written since the start.
    public var writtenCount: Int { counters.written }
    /// Calls counted in rollups written since the start.
    public var rolledUpCount: Int { counters.rolledUp }
    /// Raw events lost to storage failures since the start.
    public var failedCount: Int { counters.failed }
}

extension UsageBatchWriter where C == ContinuousClock {
    /// Creates the writer on the continuous clock.
    public convenience init(
        rollups: UsageRollupAggregator? = nil,
        queue: UsageEventQueue?,
        repository: any UsageRepository,
        batchSize: Int = 500,
        flushInterval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.init(
            rollups: rollups, queue: queue, repository: repository, batchSize: batchSize, flushInterval: flushInterval,
            clock: ContinuousClock(), logger: logger
        )
    }
}
