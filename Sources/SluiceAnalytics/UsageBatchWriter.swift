public import Logging
public import ServiceLifecycle
import SluiceModel
public import SluiceStorage

/// Writes queued usage events to storage in batches, as a `Service`: every `flushInterval` it drains the queue
/// in batches of `batchSize` (every twentieth of it while drains find at least a batch); on graceful shutdown it
/// writes what is left and stops.
///
/// A batch that storage refuses is logged and dropped (counted in ``failedCount``): usage statistics must not
/// grow the gateway's memory while the database is away.
public final class UsageBatchWriter<C: Clock>: Service where C.Duration == Duration {
    public let queue: UsageEventQueue
    private let repository: any UsageRepository
    private let batchSize: Int
    private let flushInterval: Duration
    private let clock: C
    private let logger: Logger
    private let counters = Counters()

    /// Creates the writer.
    /// - Parameters:
    ///   - queue: The queue the usage handlers fill.
    ///   - repository: Where events go.
    ///   - batchSize: Events per insert transaction.
    ///   - flushInterval: The pause between drains.
    ///   - clock: The clock the pause is measured on.
    ///   - logger: For storage failures.
    public init(
        queue: UsageEventQueue,
        repository: any UsageRepository,
        batchSize: Int = 500,
        flushInterval: Duration = .seconds(1),
        clock: C,
        logger: Logger
    ) {
        self.queue = queue
        self.repository = repository
        self.batchSize = max(1, batchSize)
        self.flushInterval = flushInterval
        self.clock = clock
        self.logger = logger
    }

    /// Drains and writes until graceful shutdown or cancellation, then writes what is left.
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            // Under load a full pause would let the bounded queue overflow (10,000 events last half a second at
            // 20,000 req/s), so after a busy drain the writer comes back sooner.
            let pause = await flush() >= batchSize ? flushInterval / 20 : flushInterval
            do {
                try await cancelWhenGracefulShutdown { [clock] in
                    try await clock.sleep(for: pause)
                }
            } catch {
                break
            }
        }
        _ = await flush()
    }

    /// Writes everything queued now, in batches.
    /// - Returns: How many events were written.
    @discardableResult
    public func flush() async -> Int {
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

    /// Events written since the start.
    public var writtenCount: Int { counters.written }
    /// Events lost to storage failures since the start.
    public var failedCount: Int { counters.failed }
}

extension UsageBatchWriter where C == ContinuousClock {
    /// Creates the writer on the continuous clock.
    public convenience init(
        queue: UsageEventQueue,
        repository: any UsageRepository,
        batchSize: Int = 500,
        flushInterval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.init(
            queue: queue, repository: repository, batchSize: batchSize, flushInterval: flushInterval,
            clock: ContinuousClock(), logger: logger
        )
    }
}
