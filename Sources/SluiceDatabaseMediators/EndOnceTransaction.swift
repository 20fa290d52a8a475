import NIOConcurrencyHelpers
import NIOCore
import SluiceMediation

/// The part every driver's transaction shares: async work bridged to the caller's event loop, statements refused
/// once the transaction has ended, and `COMMIT`/`ROLLBACK` sent at most once (a second end is a no-op). A driver
/// supplies only how statements run and how the transaction ends on its connection.
protocol EndOnceTransaction: DatabaseTransaction, AnyObject {
    /// Set by the first `commit` or `rollback`.
    var ended: NIOLockedValueBox<Bool> { get }
    /// Runs the statements on the transaction's connection.
    func run(_ statements: [BoundStatement]) async throws -> [StatementOutcome]
    /// Sends `sql` (`COMMIT` or `ROLLBACK`) and gives the connection back, whatever happens.
    func end(sql: String) async throws
}

extension EndOnceTransaction {
    func execute(_ statements: [BoundStatement], on eventLoop: any EventLoop) -> EventLoopFuture<[StatementOutcome]> {
        let promise = eventLoop.makePromise(of: [StatementOutcome].self)
        promise.completeWithTask { [self] in
            guard !ended.withLockedValue({ $0 }) else {
                throw StatementError(statement: 0, message: "the transaction has ended")
            }
            return try await run(statements)
        }
        return promise.futureResult
    }

    func commit(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        finish(eventLoop, sql: "COMMIT")
    }

    func rollback(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        finish(eventLoop, sql: "ROLLBACK")
    }

    private func finish(_ eventLoop: any EventLoop, sql: String) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { [self] in
            let first = ended.withLockedValue { ended in
                defer { ended = true }
                return !ended
            }
            guard first else { return }
            try await end(sql: sql)
        }
        return promise.futureResult
    }
}
