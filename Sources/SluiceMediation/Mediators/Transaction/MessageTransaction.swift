public import Logging
import NIOConcurrencyHelpers
public import NIOCore

/// The database transaction of one message, begun by `<transaction action="new"/>` (or `use-existing-or-new`) and
/// ended by `commit` or `rollback`: Synapse's per-thread JTA transaction, held by the message instead of a thread.
///
/// It takes no connection when it begins. The first statement it runs on a datasource (a `dbreport
/// useTransaction="true"`) enlists that datasource: one connection of its pool is taken, a transaction begun on it,
/// and every later statement of the message on that datasource (`dblookup` and `dbreport` alike, as Synapse's
/// mediators use the enlisted connection of their thread) runs there until the transaction ends.
///
/// Sluice has no XA two-phase commit. Over one datasource the transaction is the database's own, so it is atomic.
/// Over several, `commit` commits them one after the other in the order they were enlisted; when a later commit
/// fails after an earlier one succeeded the outcome is mixed (heuristic): it is logged as such, the datasources not
/// yet committed are rolled back and the message faults.
///
/// A statement that fails inside the transaction marks it rollback-only (PostgreSQL refuses any further statement
/// of such a transaction; SQLite would go on), so `commit` then rolls back and faults. A transaction nobody ended is
/// rolled back when its timeout passes (counted from its first statement), or when the message's last copy goes
/// (answered, faulted, abandoned by its client), whichever comes first; its connections go back to their pools.
public final class MessageTransaction: Sendable {
    private struct Enlistment {
        /// The datasource's name (`<dsName>`) or its pool's URL: one connection per datasource.
        let dataSource: String
        let session: EventLoopFuture<any DatabaseTransaction>
    }

    private struct State {
        var enlisted: [Enlistment] = []
        /// Why no statement may run any more (the transaction ended or timed out); nil while it is open.
        var closed: String?
        /// The first statement that failed inside the transaction: it can only roll back now.
        var failure: String?
        var timer: Scheduled<Void>?
    }

    private let state = NIOLockedValueBox(State())
    private let timeout: TimeAmount
    private let logger: Logger

    /// - Parameters:
    ///   - timeout: How long the transaction may hold connections, from its first statement.
    ///   - logger: The message's logger (the heuristic outcomes and rollbacks of forgotten transactions go there).
    public init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    deinit {
        let (sessions, timer) = state.withLockedValue { state in
            (state.closed == nil ? state.enlisted : [], state.timer)
        }
        timer?.cancel()
        guard !sessions.isEmpty else { return }
        logger.notice(
            "a message ended with its database transaction open; it is rolled back",
            metadata: ["sluice.transaction.datasources": .string(sessions.map(\.dataSource).joined(separator: ", "))]
        )
        Self.rollBackDetached(sessions)
    }

    /// True when the transaction has taken a connection of `dataSource` (its statements then run there).
    func hasEnlisted(_ dataSource: String) -> Bool {
        state.withLockedValue { state in state.enlisted.contains { $0.dataSource == dataSource } }
    }

    /// The datasources enlisted so far, in order.
    public var enlistedDataSources: [String] {
        state.withLockedValue { state in state.enlisted.map(\.dataSource) }
    }

    /// Runs `statements` inside the transaction on `dataSource`, enlisting it first when it is not yet.
    func execute(
        _ statements: [BoundStatement],
        on client: any DatabaseClient,
        dataSource: String,
        eventLoop: any EventLoop
    ) -> EventLoopFuture<[StatementOutcome]> {
        let timeout = timeout
        // One lock for the look-up and the enlistment, so two copies of the message (clone, iterate) running
        // statements at once cannot take two connections of one datasource. Beginning only makes a future.
        typealias Found = Result<EventLoopFuture<any DatabaseTransaction>, StatementError>
        let found = state.withLockedValue { state -> Found in
            if let reason = state.closed { return .failure(StatementError(statement: 0, message: reason)) }
            if let enlisted = state.enlisted.first(where: { $0.dataSource == dataSource }) {
                return .success(enlisted.session)
            }
            let begun = client.beginTransaction(on: eventLoop)
            state.enlisted.append(Enlistment(dataSource: dataSource, session: begun))
            if state.timer == nil {
                state.timer = eventLoop.scheduleTask(in: timeout) { [weak self] in self?.expire() }
            }
            return .success(begun)
        }
        let session: EventLoopFuture<any DatabaseTransaction>
        switch found {
        case .failure(let error): return eventLoop.makeFailedFuture(error)
        case .success(let future): session = future
        }
        return session.flatMap { $0.execute(statements, on: eventLoop) }
            .flatMapErrorThrowing { [self] error in
                state.withLockedValue { state in
                    if state.failure == nil { state.failure = String(describing: error) }
                }
                throw error
            }
    }

    /// Ends the transaction: commits (or rolls back) every enlisted datasource and gives their connections back.
    /// - Returns: A future failed with `StatementError` when a commit failed (the transaction was rolled back, or
    ///   partly committed: see the type's notes), when a statement of it had failed, or when it had timed out.
    func end(commit: Bool, on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let (sessions, closed, failure) = state.withLockedValue { state in
            let taken = state.closed == nil ? state.enlisted : []
            let closed = state.closed
            state.enlisted = []
            state.closed = closed ?? "the transaction has ended"
            state.timer?.cancel()
            state.timer = nil
            return (taken, closed, state.failure)
        }
        if let closed {
            guard commit else { return eventLoop.makeSucceededVoidFuture() }
            return eventLoop.makeFailedFuture(StatementError(statement: 0, message: closed))
        }
        guard commit else { return Self.rollBack(sessions, on: eventLoop) }
        if let failure {
            return Self.rollBack(sessions, on: eventLoop).flatMapThrowing {
                throw StatementError(
                    statement: 0,
                    message: "a statement of the transaction failed (\(failure)); the transaction was rolled back"
                )
            }
        }
        return commitInOrder(sessions[...], committed: [], on: eventLoop)
    }

    /// Commits the sessions one after the other; on a failure rolls back those not reached.
    private func commitInOrder(
        _ sessions: ArraySlice<Enlistment>,
        committed: [String],
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<Void> {
        guard let next = sessions.first else { return eventLoop.makeSucceededVoidFuture() }
        let rest = sessions.dropFirst()
        return next.session.flatMap { $0.commit(on: eventLoop) }.hop(to: eventLoop)
            .flatMap { [self] in commitInOrder(rest, committed: committed + [next.dataSource], on: eventLoop) }
            .flatMapError { [self] error in
                // A later commit's own failure was already reported by the inner call; pass it on unchanged.
                if let failure = error as? CommitFailure { return eventLoop.makeFailedFuture(failure) }
                let reason = String(describing: error)
                if !committed.isEmpty {
                    logger.error(
                        "heuristic outcome: a transaction committed on some datasources and failed on another",
                        metadata: [
                            "sluice.transaction.committed": .string(committed.joined(separator: ", ")),
                            "sluice.transaction.failed": .string(next.dataSource),
                            "sluice.transaction.rolledBack": .string(rest.map(\.dataSource).joined(separator: ", ")),
                            "sluice.transaction.reason": .string(reason),
                        ]
                    )
                }
                let message =
                    committed.isEmpty
                    ? "the commit on \(next.dataSource) failed (\(reason)); the transaction was rolled back"
                    : "the commit on \(next.dataSource) failed (\(reason)) after \(committed.joined(separator: ", ")) "
                        + "committed: a mixed (heuristic) outcome"
                return Self.rollBack(Array(rest), on: eventLoop).flatMapThrowing {
                    throw CommitFailure(error: StatementError(statement: 0, message: message))
                }
            }
    }

    /// A commit failure already described, on its way out of the chain of commits.
    private struct CommitFailure: Error {
        let error: StatementError
    }

    /// Rolls back when the timeout passes while the transaction is still open.
    private func expire() {
        let nanoseconds = timeout.nanoseconds
        let span =
            nanoseconds % 1_000_000_000 == 0 ? "\(nanoseconds / 1_000_000_000) s" : "\(nanoseconds / 1_000_000) ms"
        let sessions = state.withLockedValue { state -> [Enlistment] in
            guard state.closed == nil else { return [] }
            state.closed = "the transaction timed out after \(span) and was rolled back"
            state.timer = nil
            defer { state.enlisted = [] }
            return state.enlisted
        }
        guard !sessions.isEmpty else { return }
        logger.warning(
            "a database transaction timed out; it is rolled back",
            metadata: ["sluice.transaction.datasources": .string(sessions.map(\.dataSource).joined(separator: ", "))]
        )
        Self.rollBackDetached(sessions)
    }

    /// Rolls every session back (all of them, whatever fails); fails with the first failure.
    private static func rollBack(_ sessions: [Enlistment], on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        // A datasource whose transaction never began (no connection could be had) has nothing to roll back.
        let rollbacks = sessions.map { enlistment in
            enlistment.session.map(Optional.some).recover { _ in nil }
                .flatMap { session in session?.rollback(on: eventLoop) ?? eventLoop.makeSucceededVoidFuture() }
                .hop(to: eventLoop)
        }
        return EventLoopFuture.whenAllComplete(rollbacks, on: eventLoop).flatMapThrowing { results in
            for case .failure(let error) in results {
                let message = (error as? StatementError)?.message ?? String(describing: error)
                throw StatementError(statement: 0, message: "the rollback failed: " + message)
            }
        }
    }

    /// Rolls the sessions back with nobody waiting (the message is gone or timed out).
    private static func rollBackDetached(_ sessions: [Enlistment]) {
        for enlistment in sessions {
            enlistment.session.whenSuccess { session in
                _ = session.rollback(on: enlistment.session.eventLoop)
            }
        }
    }
}

extension MessageTransaction {
    /// The message of a commit failure: the chain of commits wraps it once so that it is not described twice.
    static func describe(_ error: any Error) -> String {
        if let failure = error as? CommitFailure { return failure.error.message }
        if let failure = error as? StatementError { return failure.message }
        return String(describing: error)
    }
}
