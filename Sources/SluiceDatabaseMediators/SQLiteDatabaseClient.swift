import GRDB
import NIOConcurrencyHelpers
import NIOCore
import SluiceMediation

/// A `dblookup`/`dbreport` pool on an SQLite file (`jdbc:sqlite:path`), through GRDB: the file opens at the first
/// statement (as DBCP connects lazily), and statements run on GRDB's own queue, never on an event loop.
final class SQLiteDatabaseClient: DatabaseClient {
    private let path: String
    private let queue = NIOLockedValueBox<DatabaseQueue?>(nil)

    /// - Parameter path: The file; `:memory:` or empty for a private in-memory database.
    init(path: String) {
        self.path = path
    }

    func execute(_ statements: [BoundStatement], transaction: Bool, on eventLoop: any EventLoop)
        -> EventLoopFuture<[StatementOutcome]>
    {
        let promise = eventLoop.makePromise(of: [StatementOutcome].self)
        promise.completeWithTask { [self] in
            let database = try open()
            if transaction {
                return try await database.write { db in try Self.run(statements, in: db) }
            }
            return try await database.writeWithoutTransaction { db in try Self.run(statements, in: db) }
        }
        return promise.futureResult
    }

    private func open() throws -> DatabaseQueue {
        try queue.withLockedValue { queue in
            if let queue { return queue }
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
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

    private static func run(_ statements: [BoundStatement], in db: Database) throws -> [StatementOutcome] {
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
    private static func describe(_ error: any Error) -> String {
        if let error = error as? GRDB.DatabaseError {
            return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
        }
        return String(describing: error)
    }
}
