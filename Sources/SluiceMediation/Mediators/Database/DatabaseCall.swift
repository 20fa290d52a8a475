import NIOConcurrencyHelpers
public import NIOCore

/// Database work a sequence waits for, handed to the gateway: the bound statements of one `dblookup`/`dbreport`,
/// or the end (`commit`/`rollback`) of the message's transaction. `start(on:)` does it without blocking the loop,
/// `resume(with:_:)` applies what came back (or faults as Synapse does).
public struct DatabaseCall: Sendable {
    private enum Work: Sendable {
        /// The statements, and the message's transaction when it has one.
        case statements(CompiledDatabaseMediator, [BoundStatement], MessageTransaction?)
        case end(MessageTransaction, commit: Bool)
    }

    private let work: Work
    private let timeout: TimeAmount

    /// The statements with their parameters bound (none for the end of a transaction).
    public var statements: [BoundStatement] {
        if case .statements(_, let statements, _) = work { return statements }
        return []
    }

    init(mediator: CompiledDatabaseMediator, statements: [BoundStatement], transaction: MessageTransaction?) {
        self.work = .statements(mediator, statements, transaction)
        self.timeout = mediator.timeout
    }

    init(ending transaction: MessageTransaction, commit: Bool, timeout: TimeAmount) {
        self.work = .end(transaction, commit: commit)
        self.timeout = timeout
    }

    /// Does the work; the future completes on `eventLoop`, failed with a timeout when the database has not answered
    /// within the node's statement timeout.
    ///
    /// Statements run inside the message's transaction when the mediator is a `dbreport useTransaction="true"`, or
    /// when the transaction already holds a connection of the mediator's datasource (Synapse's mediators use the
    /// enlisted connection of their thread); otherwise on a connection of the pool, `useTransaction` making them one
    /// transaction of their own.
    public func start(on eventLoop: any EventLoop) -> EventLoopFuture<[StatementOutcome]> {
        let running: EventLoopFuture<[StatementOutcome]>
        switch work {
        case .statements(let mediator, let statements, let transaction?)
        where mediator.usesTransaction || transaction.hasEnlisted(mediator.dataSourceName):
            running = transaction.execute(
                statements, on: mediator.client, dataSource: mediator.dataSourceName, eventLoop: eventLoop
            )
        case .statements(let mediator, let statements, _):
            running = mediator.client.execute(statements, transaction: mediator.usesTransaction, on: eventLoop)
        case .end(let transaction, let commit):
            // The timeout below only stops the message from waiting: the commit or rollback goes on and gives the
            // connections back.
            running = transaction.end(commit: commit, on: eventLoop).map { [] }
        }
        let promise = eventLoop.makePromise(of: [StatementOutcome].self)
        let settled = NIOLoopBoundBox(false, eventLoop: eventLoop)
        let timeout = timeout
        let deadline = eventLoop.scheduleTask(in: timeout) {
            guard !settled.value else { return }
            settled.value = true
            let seconds = timeout.nanoseconds / 1_000_000_000
            promise.fail(StatementError(statement: 0, message: "the database did not answer within \(seconds) s"))
        }
        running.hop(to: eventLoop).whenComplete { result in
            guard !settled.value else { return }
            settled.value = true
            deadline.cancel()
            promise.completeWith(result)
        }
        return promise.futureResult
    }

    /// Applies the outcome of `start(on:)` to the message.
    /// - Throws: `MediationFault` (ERROR_CODE 0, Synapse's message) when a statement, commit or rollback failed.
    public func resume(with result: Result<[StatementOutcome], any Error>, _ context: inout MessageContext)
        throws(MediationFault)
    {
        switch (work, result) {
        case (.statements(let mediator, _, _), .success(let outcomes)):
            try mediator.apply(outcomes, to: &context)
        case (.statements(let mediator, _, _), .failure(let error)):
            throw mediator.fault(for: error)
        case (.end, .success):
            return
        case (.end(_, let commit), .failure(let error)):
            // Synapse's words (TransactionMediator: handleException).
            throw CompiledTransactionMediator.fault(
                commit ? "Unable to commit transaction" : "Unable to rollback transaction",
                detail: MessageTransaction.describe(error)
            )
        }
    }
}
