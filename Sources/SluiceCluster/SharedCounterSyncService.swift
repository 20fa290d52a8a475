public import Logging
public import ServiceLifecycle
public import SluiceStorage
public import SluiceThrottling
import Synchronization

/// Every `interval`, adds what this gateway's ``SharedCounterStore`` counted to the cluster's shared totals and
/// reads them back, in one statement. A failed sync keeps the counts for the next one.
public final class SharedCounterSyncService: Service {
    private let store: SharedCounterStore
    private let repository: any ClusterRepository
    private let interval: Duration
    private let clock: any ThrottleClock
    private let logger: Logger
    private let reachable = Mutex(true)

    /// Creates the service.
    /// - Parameters:
    ///   - store: The gateway's counters.
    ///   - repository: The shared totals.
    ///   - interval: The pause between syncs: the shorter, the smaller the overshoot and the busier the database.
    ///   - clock: The throttle's clock.
    ///   - logger: For a database that cannot be reached.
    public init(
        store: SharedCounterStore,
        repository: any ClusterRepository,
        interval: Duration,
        clock: any ThrottleClock = SystemThrottleClock(),
        logger: Logger
    ) {
        self.store = store
        self.repository = repository
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    /// Syncs every interval until graceful shutdown or cancellation, then once more.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: self.interval)
                } catch {
                    return
                }
                await self.sync()
            }
        }
        await sync()
    }

    /// One sync.
    public func sync() async {
        let items = store.beginSync(nowMillis: clock.nowMillis())
        guard !items.isEmpty else { return }
        do {
            let totals = try await repository.addToSharedCounters(
                items.map {
                    SharedCounterDelta(key: $0.name, windowStart: $0.windowStart, windowEnd: $0.windowEnd, delta: $0.delta)
                }
            )
            store.finishSync(items, totals: totals)
            if reachable.withLock({ state in defer { state = true }; return !state }) {
                logger.notice("Shared throttle counters synced again")
            }
        } catch {
            store.finishSync(items, totals: nil)
            if reachable.withLock({ state in defer { state = false }; return state }) {
                logger.warning(
                    "Shared throttle counters cannot be synced: this gateway counts on its own meanwhile",
                    metadata: ["sluice.error": "\(error)"]
                )
            }
        }
    }
}
