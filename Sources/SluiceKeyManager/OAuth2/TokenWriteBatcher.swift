import SluiceStorage
import Synchronization

/// Group commit for the token endpoint: the tokens issued while a write is in flight are stored together, in one
/// transaction, by the next write.
///
/// Each issued token is a row, and each row was its own transaction: with the database file on a shared disk, the
/// commit's `fdatasync` (6-50 ms measured on the benchmark machine) and the write lock it holds bounded the token
/// endpoint to one token per commit, a few hundred per second, however many clients asked at once. Batched, one commit
/// serves every request that arrived meanwhile. Durability is unchanged: a request is answered only once the
/// transaction holding its token committed, as before; a batch that fails (one duplicate row fails the whole
/// transaction) is written again request by request, so each caller gets its own outcome.
final class TokenWriteBatcher: Sendable {
    /// Stores rows in one transaction (`TokenRepository.insertTokens`).
    typealias Write = @Sendable ([TokenRecord]) async throws -> Void

    private struct Request {
        let records: [TokenRecord]
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var waiting: [Request] = []
        var writing = false
    }

    private let write: Write
    private let state = Mutex(State())

    /// Creates a batcher that stores with `write`.
    init(write: @escaping Write) {
        self.write = write
    }

    /// How many requests wait for the next write (tests watch it).
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Stores `records` (with whatever other requests are waiting) and returns once they are committed.
    /// - Throws: The write's error for this request's records.
    func insert(_ records: [TokenRecord]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let startsWriting = state.withLock { state in
                state.waiting.append(Request(records: records, continuation: continuation))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            // The first request of an idle batcher writes; later ones wait for the write after the current one.
            if startsWriting { Task { await self.writeWaiting() } }
        }
    }

    /// Writes batches until none is waiting.
    private func writeWaiting() async {
        while true {
            let batch = state.withLock { state in
                let batch = state.waiting
                state.waiting = []
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            await store(batch)
        }
    }

    private func store(_ batch: [Request]) async {
        do {
            try await write(batch.flatMap(\.records))
            for request in batch { request.continuation.resume() }
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            // One request's rows must not fail the others': each is written on its own.
            for request in batch {
                do {
                    try await write(request.records)
                    request.continuation.resume()
                } catch {
                    request.continuation.resume(throwing: error)
                }
            }
        }
    }
}
