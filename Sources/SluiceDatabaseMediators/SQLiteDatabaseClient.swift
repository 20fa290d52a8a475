import GRDB
import NIOConcurrencyHelpers
import NIOCore
import SluiceMediation

/// A `dblookup`/`dbreport` pool on an SQLite file (`jdbc:sqlite:path`), through GRDB: the file opens at the first
/// statement (as DBCP connects lazily), and statements run on GRDB's own queue, never on an event loop.
///
/// The pool is one connection (SQLite takes one writer at a time anyway, and a private `:memory:` database exists
/// only on its connection). A message's transaction (`MessageTransaction`) holds that connection from its first
/// statement to its commit or rollback, so another message's statements wait for it (as long as the statement
/// timeout at most) instead of running inside a transaction they are no part of.
final class SQLiteDatabaseClient: DatabaseClient {
    private let path: String
    private let queue = NIOLockedValueBox<DatabaseQueue?>(nil)
    let gate: SQLiteConnectionGate

    /// - Parameters:
    ///   - path: The file; `:memory:` or empty for a private in-memory database.
    ///   - waitLimit: How long a statement waits for the connection while a transaction holds it.
    init(path: String, waitLimit: Duration = .seconds(30)) {
        self.path = path
        self.gate = SQLiteConnectionGate(waitLimit: waitLimit)
    }

    func execute(_ statements: [BoundStatement], transaction: Bool, on eventLoop: any EventLoop)
        -> EventLoopFuture<[StatementOutcome]>
    {
        let promise = eventLoop.makePromise(of: [StatementOutcome].self)
        promise.completeWithTask { [self] in
            let database = try open()
            try await gate.acquire()
            defer { gate.release() }
            if transaction {
                return try await database.write { db in try Self.run(statements, in: db) }
            }
            return try await database.writeWithoutTransaction { db in try Self.run(statements, in: db) }
        }
        return promise.futureResult
    }

    func beginTransaction(on eventLoop: any EventLoop) -> EventLoopFuture<any DatabaseTransaction> {
        let promise = eventLoop.makePromise(of: (any DatabaseTransaction).self)
        promise.completeWithTask { [self] in
            let database = try open()
            try await gate.acquire()
            do {
                try await database.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
            } catch {
                gate.release()
                throw StatementError(statement: 0, message: "cannot begin a transaction: " + Self.describe(error))
            }
            return SQLiteTransaction(database: database, gate: gate)
        }
        return promise.futureResult
    }

    private func open() throws -> DatabaseQueue {
        try queue.withLockedValue { queue in
            if let queue { return queue }
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            // A message's transaction stays open between its statements (each a separate access to the queue);
            // the gate keeps every other statement off the connection meanwhile.
            configuration.allowsUnsafeTransactions = true
            let opened: DatabaseQueue
            do {
                opened = path.isEmpty || path == ":memory:"
                    ? try DatabaseQueue(configuration: configuration)
                    : try DatabaseQueue(path: path, configuration: configuration)
            } catch {
                throw StatementError(statement: 0, message: "cannot open the SQLite database \(path): \(Self.describe(error))")
            }
            queue = opened
            return opened
        }
    }

    static func run(_ statements: [BoundStatement], in db: Database) throws -> [StatementOutcome] {
        var outcomes: [StatementOutcome] = []
        for (index, bound) in statements.enumerated() {
            do {
                let statement = try db.makeStatement(sql: bound.sql)
                let arguments = StatementArguments(bound.bindings.map(Self.value))
                guard bound.returnsRows else {
                    try statement.execute(arguments: arguments)
                    outcomes.append(StatementOutcome(changedRows: db.changesCount))
                    continue
                }
                var outcome = StatementOutcome(columns: statement.columnNames)
                if let row = try Row.fetchOne(statement, arguments: arguments) {
                    outcome.firstRow = row.databaseValues.map(Self.text)
                }
                outcomes.append(outcome)
            } catch {
                throw StatementError(statement: index, message: describe(error))
            }
        }
        return outcomes
    }

    private static func value(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .text(let text), .decimal(let text), .date(let text), .time(let text), .timestamp(let text):
            text.databaseValue
        case .integer(let number): number.databaseValue
        case .real(let number): number.databaseValue
        case .boolean(let flag): flag.databaseValue
        }
    }

    private static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        case .blob(let data): String(decoding: data, as: UTF8.self)
        }
    }

    /// SQLite's message, without the statement's arguments.
    static func describe(_ error: any Error) -> String {
        if let error = error as? GRDB.DatabaseError {
            return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
        }
        if let error = error as? StatementError { return error.message }
        return String(describing: error)
    }
}
