import Foundation
public import Logging
public import ServiceLifecycle
public import SluiceStorage
import Synchronization

/// Keeps a node's copies of shared state current: loads them at start, listens for change announcements, and on
/// each one applies the logged changes after the last one applied, in order, through the node's
/// ``ClusterChangeHandler``s. Work that reads storage to update those copies outside the log (a gateway looking up
/// a token it has not seen) runs through ``perform(_:)``, one job at a time with the log's changes, so no stale
/// read is applied after a newer one.
///
/// When the database is unreachable the node keeps what it has; the follower logs it once, reconnects with
/// backoff, and catches up by version (or reloads everything when the log no longer reaches back far enough).
/// A periodic check also catches up, in case an announcement was missed.
public final class ClusterFollower: Service {
    /// Timing and limits.
    public struct Configuration: Sendable {
        /// How often the log is checked without an announcement.
        public var pollInterval: Duration
        /// The first pause before reconnecting the listener.
        public var initialBackoff: Duration
        /// The longest pause before reconnecting.
        public var maximumBackoff: Duration
        /// Changes read per query.
        public var batchSize: Int
        /// Jobs waiting at most; ``perform(_:)`` refuses more (``ClusterFollowerError/busy``).
        public var maximumPendingJobs: Int
        /// Whether this node prunes the shared log and expired counters (control-plane nodes do).
        public var prunesSharedState: Bool

        /// Creates a configuration.
        public init(
            pollInterval: Duration = .seconds(2),
            initialBackoff: Duration = .milliseconds(100),
            maximumBackoff: Duration = .seconds(5),
            batchSize: Int = 500,
            maximumPendingJobs: Int = 64,
            prunesSharedState: Bool = false
        ) {
            self.pollInterval = pollInterval
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.batchSize = batchSize
            self.maximumPendingJobs = maximumPendingJobs
            self.prunesSharedState = prunesSharedState
        }
    }

    private struct Job: Sendable {
        let run: @Sendable () async -> Void
        let abandon: @Sendable () -> Void
    }

    private struct State {
        /// The last change applied; nil until the first full load.
        var applied: Int64?
        var catchUpRequested = false
        var jobs: [Job] = []
        var stopped = false
        /// False after a failure was logged, until storage answers again.
        var reachable = true
        var listening = false
        var lastPrune: ContinuousClock.Instant?
        var lastTidy: ContinuousClock.Instant?
    }

    private let repository: any ClusterRepository
    private let handlers: Mutex<[any ClusterChangeHandler]>
    private let configuration: Configuration
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// Creates a follower.
    /// - Parameters:
    ///   - repository: The shared log.
    ///   - handlers: The node's copies of shared state, applied in this order (``register(_:)`` adds more).
    ///   - configuration: Timing and limits.
    ///   - logger: For lost and regained connections.
    public init(
        repository: any ClusterRepository,
        handlers: [any ClusterChangeHandler] = [],
        configuration: Configuration = Configuration(),
        logger: Logger
    ) {
        self.repository = repository
        self.handlers = Mutex(handlers)
        self.configuration = configuration
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Adds a copy of shared state to keep current; call it before ``run()``.
    public func register(_ handler: any ClusterChangeHandler) {
        handlers.withLock { $0.append(handler) }
    }

    /// The version of the last change applied; nil before the first load.
    public var appliedVersion: Int64? { state.withLock { $0.applied } }

    /// Loads, listens and applies changes until graceful shutdown or cancellation.
    public func run() async throws {
        requestCatchUp()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.listen() }
                group.addTask { await self.poll() }
                await self.process()
                group.cancelAll()
            }
        }
        let abandoned = state.withLock { state in
            state.stopped = true
            defer { state.jobs = [] }
            return state.jobs
        }
        for job in abandoned { job.abandon() }
    }

    /// Runs `body` in turn with the application of changes.
    /// - Throws: ``ClusterFollowerError`` when too many jobs wait or the follower stopped; what `body` throws.
    public func perform<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job = Job(
                run: {
                    do { continuation.resume(returning: try await body()) } catch { continuation.resume(throwing: error) }
                },
                abandon: { continuation.resume(throwing: ClusterFollowerError.stopped) }
            )
            let refusal: ClusterFollowerError? = state.withLock { state in
                if state.stopped { return .stopped }
                if state.jobs.count >= configuration.maximumPendingJobs { return .busy }
                state.jobs.append(job)
                return nil
            }
            if let refusal { continuation.resume(throwing: refusal) } else { wake.yield() }
        }
    }

    /// Asks for the log to be read now (announcements do this).
    public func requestCatchUp() {
        state.withLock { $0.catchUpRequested = true }
        wake.yield()
    }

    // MARK: - The three tasks

    private enum Next {
        case job(Job)
        case catchUp
        case idle
    }

    /// Runs jobs and catch-ups one at a time until cancelled.
    private func process() async {
        for await _ in wakeups {
            while !Task.isCancelled {
                let next: Next = state.withLock { state in
                    if !state.jobs.isEmpty { return .job(state.jobs.removeFirst()) }
                    if state.catchUpRequested {
                        state.catchUpRequested = false
                        return .catchUp
                    }
                    return .idle
                }
                switch next {
                case .job(let job): await job.run()
                case .catchUp: await catchUp()
                case .idle: break
                }
                if case .idle = next { break }
            }
        }
    }

    private func listen() async {
        var backoff = Backoff(initial: configuration.initialBackoff, maximum: configuration.maximumBackoff)
        while !Task.isCancelled {
            do {
                try await repository.listenForClusterChanges(
                    onListening: {
                        self.state.withLock { $0.listening = true }
                        // Changes made while no one listened are in the log: read it now.
                        self.requestCatchUp()
                    },
                    onChange: { _ in self.requestCatchUp() }
                )
            } catch {
                report(failure: error)
            }
            if state.withLock({ state in defer { state.listening = false }; return state.listening }) { backoff.reset() }
            guard !Task.isCancelled else { return }
            try? await Task.sleep(for: backoff.next())
        }
    }

    private func poll() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.pollInterval)
            } catch {
                return
            }
            requestCatchUp()
            tidyIfDue()
            if configuration.prunesSharedState { await pruneIfDue() }
        }
    }

    // MARK: - Catching up

    /// Reads the log after the applied version (loading everything first, or again after a gap) and applies it.
    func catchUp() async {
        do {
            if appliedVersion == nil { try await loadEverything() }
            while let applied = appliedVersion {
                let page = try await repository.clusterEvents(after: applied, limit: configuration.batchSize)
                guard page.complete else {
                    logger.warning("Cluster change log pruned past this node's position: reloading everything")
                    try await loadEverything()
                    continue
                }
                let handlers = self.handlers.withLock { $0 }
                for event in page.events {
                    for handler in handlers { try await handler.apply(event) }
                    state.withLock { $0.applied = event.version }
                }
                if page.events.count < configuration.batchSize { break }
            }
            reportSuccess()
        } catch {
            report(failure: error)
        }
    }

    private func loadEverything() async throws {
        // The version is read first: changes committed during the load are applied again afterwards, which
        // handlers tolerate (they read current state).
        let version = try await repository.latestClusterVersion()
        for handler in handlers.withLock({ $0 }) { try await handler.reloadAll() }
        state.withLock { $0.applied = version }
        logger.debug("Cluster state loaded", metadata: ["sluice.cluster.version": "\(version)"])
    }

    private func tidyIfDue() {
        let now = ContinuousClock.now
        let due = state.withLock { state in
            guard state.lastTidy.map({ now - $0 >= .seconds(60) }) ?? true else { return false }
            state.lastTidy = now
            return true
        }
        if due { for handler in handlers.withLock({ $0 }) { handler.tidy() } }
    }

    private func pruneIfDue() async {
        let now = ContinuousClock.now
        let due = state.withLock { state in
            guard state.lastPrune.map({ now - $0 >= .seconds(600) }) ?? true else { return false }
            state.lastPrune = now
            return true
        }
        guard due else { return }
        do {
            try await repository.pruneClusterEvents(olderThan: 86_400, keeping: 10_000)
            try await repository.pruneSharedCounters(endedBefore: Date().addingTimeInterval(-60))
        } catch {
            report(failure: error)
        }
    }

    private func report(failure error: any Error) {
        let first = state.withLock { state in
            defer { state.reachable = false }
            return state.reachable
        }
        guard first else { return }
        logger.warning(
            "Cluster database unreachable: this node keeps serving what it knows and reconnects",
            metadata: ["sluice.error": "\(error)"]
        )
    }

    private func reportSuccess() {
        let recovered = state.withLock { state in
            defer { state.reachable = true }
            return !state.reachable
        }
        if recovered { logger.notice("Cluster database reachable again: caught up") }
    }
}

/// Why ``ClusterFollower/perform(_:)`` did not run a job.
public enum ClusterFollowerError: Error, Sendable, Hashable {
    /// Too many jobs are waiting.
    case busy
    /// The follower has stopped.
    case stopped
}
