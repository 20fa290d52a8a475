import SluiceStorage
import Synchronization

/// Stores issued tokens in batches, one transaction each, before or behind the answer (``TokenPersistence``).
///
/// Each issued token is a row, and each row was its own transaction: with the database file on a shared disk, the
/// commit's `fdatasync` (6-50 ms measured on the benchmark machine) and the write lock it holds bounded the token
/// endpoint to one token per commit. Batched, one commit serves every token issued meanwhile.
///
/// - ``TokenPersistence/beforeAnswer``: group commit. A request returns once the transaction holding its rows
///   committed; the tokens issued while a write is in flight share the next one. A batch that fails (one duplicate
///   row fails the whole transaction) is written again request by request, so each caller gets its own outcome.
/// - ``TokenPersistence/writeBehind(maximumDelay:batchSize:capacity:)``: a request returns once its rows are
///   queued. The writer gathers a batch until `maximumDelay` passed (on the injected clock), `batchSize` rows wait
///   or someone calls ``flush()``; rows that cannot be stored even alone are handed to the `lost` callback. When
///   `capacity` rows wait, callers wait for room.
final class TokenWriteBatcher: Sendable {
    /// Stores rows in one transaction (`TokenRepository.insertTokens`).
    typealias Write = @Sendable ([TokenRecord]) async throws -> Void
    /// Told of written-behind rows that could not be stored, whose tokens were already handed out.
    typealias Lost = @Sendable ([TokenRecord], any Error) -> Void

    private struct Entry {
        let records: [TokenRecord]
        /// The caller waiting for the commit; nil for rows written behind (their caller has its answer).
        let continuation: CheckedContinuation<Void, any Error>?
    }

    private struct State {
        var waiting: [Entry] = []
        /// How many of `waiting` are written behind.
        var waitingBehind = 0
        var writing = false
        /// Written-behind entries accepted so far, and of them those a finished write settled (stored or lost).
        var accepted: UInt64 = 0
        var settled: UInt64 = 0
        /// The batch the writer is gathering (0: none), its continuation and whether it was woken before waiting.
        var gathering: UInt64 = 0
        var gatherer: CheckedContinuation<Void, Never>?
        var woken = false
        var batches: UInt64 = 0
        var flushers: [(target: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
        var roomWaiters: [CheckedContinuation<Void, Never>] = []

        /// Ends the current gathering early: the writer's continuation to resume, if it already waits.
        mutating func wake() -> CheckedContinuation<Void, Never>? {
            guard gathering != 0 else { return nil }
            guard let gatherer else {
                woken = true
                return nil
            }
            self.gatherer = nil
            return gatherer
        }
    }

    private let write: Write
    private let lost: Lost
    private let persistence: TokenPersistence
    private let clock: any Clock<Duration>
    private let state = Mutex(State())

    /// Creates a batcher that stores with `write`.
    /// - Parameters:
    ///   - persistence: Before or behind the answer.
    ///   - clock: Paces the write-behind gathering.
    ///   - write: Stores rows in one transaction.
    ///   - lost: Told of written-behind rows that could not be stored.
    init(
        persistence: TokenPersistence = .beforeAnswer,
        clock: any Clock<Duration> = ContinuousClock(),
        write: @escaping Write,
        lost: @escaping Lost = { _, _ in }
    ) {
        self.persistence = persistence
        self.clock = clock
        self.write = write
        self.lost = lost
    }

    /// How many requests wait for the next write (tests watch it).
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Stores `records`: returns once they are committed (before the answer) or queued (write-behind).
    /// - Throws: The write's error for this request's records, before the answer only.
    func insert(_ records: [TokenRecord]) async throws {
        guard case .writeBehind = persistence else {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enqueue(Entry(records: records, continuation: continuation))
            }
            return
        }
        while !submit(records) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let full = state.withLock { state in
                    guard state.waitingBehind >= capacity else { return false }
                    state.roomWaiters.append(continuation)
                    return true
                }
                if !full { continuation.resume() }
            }
        }
    }

    /// Queues `records` to be written behind, without waiting.
    /// - Returns: False when `capacity` rows already wait (or the batcher stores before the answer): nothing queued.
    func submit(_ records: [TokenRecord]) -> Bool {
        guard case .writeBehind(_, let batchSize, let capacity) = persistence else { return false }
        let (queued, gatherer, startsWriting) = state.withLock {
            state -> (Bool, CheckedContinuation<Void, Never>?, Bool) in
            guard state.waitingBehind < capacity else { return (false, nil, false) }
            state.waiting.append(Entry(records: records, continuation: nil))
            state.waitingBehind += 1
            state.accepted += 1
            let startsWriting = !state.writing
            state.writing = true
            return (true, state.waitingBehind >= batchSize ? state.wake() : nil, startsWriting)
        }
        gatherer?.resume()
        if startsWriting { startWriter() }
        return queued
    }

    /// Returns once every row queued before the call is stored (or handed to `lost`).
    func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (done, gatherer) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard state.settled < state.accepted else { return (true, nil) }
                state.flushers.append((state.accepted, continuation))
                return (false, state.wake())
            }
            gatherer?.resume()
            if done { continuation.resume() }
        }
    }

    private var capacity: Int {
        if case .writeBehind(_, _, let capacity) = persistence { return capacity }
        return .max
    }

    private func enqueue(_ entry: Entry) {
        let startsWriting = state.withLock { state in
            state.waiting.append(entry)
            guard !state.writing else { return false }
            state.writing = true
            return true
        }
        if startsWriting { startWriter() }
    }

    /// The first request of an idle batcher starts the writer; later ones join the batch it gathers or the next.
    private func startWriter() {
        Task { await self.writeWaiting() }
    }

    /// Writes batches until none is waiting.
    private func writeWaiting() async {
        while true {
            await gather()
            let (batch, room) = state.withLock { state in
                let batch = state.waiting
                state.waiting = []
                state.waitingBehind = 0
                if batch.isEmpty { state.writing = false }
                defer { state.roomWaiters = [] }
                return (batch, state.roomWaiters)
            }
            for waiter in room { waiter.resume() }
            if batch.isEmpty { return }
            await store(batch)
            let behind = UInt64(batch.count { $0.continuation == nil })
            let flushed = state.withLock { state in
                state.settled += behind
                let settled = state.settled
                defer { state.flushers.removeAll { $0.target <= settled } }
                return state.flushers.filter { $0.target <= settled }.map(\.continuation)
            }
            for flusher in flushed { flusher.resume() }
        }
    }

    /// Waits, when writing behind, until the batch is due: `maximumDelay` passed, `batchSize` rows or a flush.
    private func gather() async {
        guard case .writeBehind(let delay, let batchSize, _) = persistence else { return }
        let batch: UInt64? = state.withLock { state in
            guard state.waitingBehind > 0, state.waitingBehind < batchSize, state.flushers.isEmpty else { return nil }
            state.batches += 1
            state.gathering = state.batches
            state.woken = false
            return state.batches
        }
        guard let batch else { return }
        Task { [clock] in
            try? await clock.sleep(for: delay)
            let gatherer = self.state.withLock { state in state.gathering == batch ? state.wake() : nil }
            gatherer?.resume()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let due = state.withLock { state in
                guard !state.woken else { return true }
                state.gatherer = continuation
                return false
            }
            if due { continuation.resume() }
        }
        state.withLock { $0.gathering = 0 }
    }

    private func store(_ batch: [Entry]) async {
        let failure: (any Error)?
        do {
            try await write(batch.flatMap(\.records))
            failure = nil
        } catch {
            failure = error
        }
        guard let failure else {
            for entry in batch { entry.continuation?.resume() }
            return
        }
        guard batch.count > 1 else {
            settle([(batch[0], failure)])
            return
        }
        // One request's rows must not fail the others': each is written on its own.
        var failed: [(Entry, any Error)] = []
        for entry in batch {
            do {
                try await write(entry.records)
                entry.continuation?.resume()
            } catch {
                failed.append((entry, error))
            }
        }
        settle(failed)
    }

    private func settle(_ failed: [(Entry, any Error)]) {
        var unstored: [TokenRecord] = []
        var cause: (any Error)?
        for (entry, error) in failed {
            if let continuation = entry.continuation {
                continuation.resume(throwing: error)
            } else {
                unstored += entry.records
                cause = error
            }
        }
        if let cause { lost(unstored, cause) }
    }
}
