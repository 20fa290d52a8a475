import GRDB
import NIOConcurrencyHelpers
import NIOCore
import SluiceMediation

/// A message's transaction on the SQLite connection: it holds the client's gate from `BEGIN IMMEDIATE` until
/// `COMMIT` or `ROLLBACK`.
final class SQLiteTransaction: DatabaseTransaction {
    private let database: DatabaseQueue
    private let gate: SQLiteConnectionGate
    private let ended = NIOLockedValueBox(false)

    init(database: DatabaseQueue, gate: SQLiteConnectionGate) {
        self.database = database
        self.gate = gate
    }

    func execute(_ statements: [BoundStatement], on eventLoop: any EventLoop) -> EventLoopFuture<[StatementOutcome]> {
        let promise = eventLoop.makePromise(of: [StatementOutcome].self)
        promise.completeWithTask { [self] in
            guard !ended.withLockedValue({ $0 }) else {
                throw StatementError(statement: 0, message: "the transaction has ended")
            }
            return try await database.writeWithoutTransaction { db in try SQLiteDatabaseClient.run(statements, in: db) }
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
            defer { gate.release() }
            do {
                try await database.writeWithoutTransaction { db in
                    // SQLite may have rolled back by itself (some errors do); there is nothing left to end then.
                    if db.isInsideTransaction { try db.execute(sql: sql) }
                }
            } catch {
                // A failed COMMIT leaves the transaction open: roll it back so the connection is clean for the next.
                try? await database.writeWithoutTransaction { db in
                    if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
                }
                throw StatementError(statement: 0, message: SQLiteDatabaseClient.describe(error))
            }
        }
        return promise.futureResult
    }
}
