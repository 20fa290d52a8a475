import GRDB
import NIOConcurrencyHelpers
import NIOCore
import SluiceMediation

/// A message's transaction on the SQLite connection: it holds the client's gate from `BEGIN IMMEDIATE` until
/// `COMMIT` or `ROLLBACK`.
final class SQLiteTransaction: EndOnceTransaction {
    private let database: DatabaseQueue
    private let gate: SQLiteConnectionGate
    let ended = NIOLockedValueBox(false)

    init(database: DatabaseQueue, gate: SQLiteConnectionGate) {
        self.database = database
        self.gate = gate
    }

    func run(_ statements: [BoundStatement]) async throws -> [StatementOutcome] {
        try await database.writeWithoutTransaction { db in try SQLiteDatabaseClient.run(statements, in: db) }
    }

    func end(sql: String) async throws {
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
}
