import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import PostgresNIO
import SluiceMediation

/// A `dblookup`/`dbreport` pool on PostgreSQL (PostgresNIO connections): created at deploy, it connects at the
/// first statement (as DBCP does), keeps up to `maxactive` connections (8 by default; more statements wait for
/// one), and closes its idle connections when the last deployment holding it is released. A server that cannot
/// be reached fails the statement at once, with the connection error.
final class PostgresDatabaseClient: DatabaseClient {
    private struct State {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
        var nextID = 0
    }

    private let configuration: PostgresConnection.Configuration
    private let maximumConnections: Int
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(
        host: String,
        port: Int,
        database: String,
        sslMode: String?,
        user: String,
        password: String,
        maximumConnections: Int?,
        logger: Logger
    ) {
        var configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: user,
            password: password.isEmpty ? nil : password,
            database: database.isEmpty ? nil : database,
            tls: Self.tls(sslMode)
        )
        configuration.options.connectTimeout = .seconds(5)
        self.configuration = configuration
        self.maximumConnections = maximumConnections ?? 8
        self.logger = logger
    }

    deinit {
        for connection in state.withLockedValue({ $0.idle }) {
            let closing: EventLoopFuture<Void> = connection.close()
            // The connection must live until it is closed (PostgresNIO asserts it).
            closing.whenComplete { _ in _ = connection }
        }
    }

    /// The JDBC driver's `sslmode` (and `ssl=true`): `prefer` by default, as the driver does.
    private static func tls(_ mode: String?) -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            switch mode {
            case "disable", "allow": return .disable
            case "verify-full": return .require(try NIOSSLContext(configuration: tls))
            case "verify-ca":
                tls.certificateVerification = .noHostnameVerification
                return .require(try NIOSSLContext(configuration: tls))
            case "require":
                tls.certificateVerification = .none
                return .require(try NIOSSLContext(configuration: tls))
            default:
                tls.certificateVerification = .none
                return .prefer(try NIOSSLContext(configuration: tls))
            }
        } catch {
            return .disable
        }
    }

    func execute(_ statements: [BoundStatement], transaction: Bool, on eventLoop: any EventLoop)
        -> EventLoopFuture<[StatementOutcome]>
    {
        let promise = eventLoop.makePromise(of: [StatementOutcome].self)
        promise.completeWithTask { [self] in
            let connection = try await lease(on: eventLoop)
            do {
                let outcomes =
                    if transaction {
                        try await connection.withTransaction(logger: logger) { connection in
                            try await Self.run(statements, on: connection, logger: logger)
                        }
                    } else {
                        try await Self.run(statements, on: connection, logger: logger)
                    }
                release(connection)
                return outcomes
            } catch {
                release(connection)
                throw error
            }
        }
        return promise.futureResult.flatMapErrorThrowing { error in
            throw error as? StatementError ?? StatementError(statement: 0, message: Self.describe(error))
        }
    }

    func beginTransaction(on eventLoop: any EventLoop) -> EventLoopFuture<any DatabaseTransaction> {
        let promise = eventLoop.makePromise(of: (any DatabaseTransaction).self)
        promise.completeWithTask { [self] in
            let connection = try await lease(on: eventLoop)
            do {
                let _: PostgresQueryResult = try await connection.query(
                    PostgresQuery(unsafeSQL: "BEGIN"), logger: logger
                ).get()
            } catch {
                release(connection)
                throw StatementError(statement: 0, message: "cannot begin a transaction: " + Self.describe(error))
            }
            return PostgresTransaction(connection: connection, client: self, logger: logger)
        }
        return promise.futureResult
    }

    /// An idle connection, a new one while fewer than the maximum are open, or the next one released.
    private func lease(on eventLoop: any EventLoop) async throws -> PostgresConnection {
        while true {
            enum Next { case use(PostgresConnection), connect(Int), wait }
            let next = state.withLockedValue { state -> Next in
                while let connection = state.idle.popLast() {
                    if !connection.isClosed { return .use(connection) }
                    state.open -= 1
                }
                guard state.open < maximumConnections else { return .wait }
                state.open += 1
                state.nextID += 1
                return .connect(state.nextID)
            }
            switch next {
            case .use(let connection):
                return connection
            case .connect(let id):
                let connected: Result<PostgresConnection, any Error>
                do {
                    connected = .success(
                        try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: id, logger: logger)
                    )
                } catch {
                    connected = .failure(error)
                }
                guard case .failure(let error) = connected else { return try connected.get() }
                freeSlot()
                throw StatementError(statement: 0, message: "cannot connect: " + Self.describe(error))
            case .wait:
                await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                    let ready = state.withLockedValue { state -> Bool in
                        if !state.idle.isEmpty || state.open < maximumConnections { return true }
                        state.waiting.append(waiter)
                        return false
                    }
                    if ready { waiter.resume() }
                }
            }
        }
    }

    /// Gives a connection back (a closed one frees its place) and wakes a waiting statement.
    func release(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return freeSlot() }
        let waiter = state.withLockedValue { state in
            state.idle.append(connection)
            return state.waiting.isEmpty ? nil : state.waiting.removeFirst()
        }
        waiter?.resume()
    }

    private func freeSlot() {
        let waiter = state.withLockedValue { state in
            state.open -= 1
            return state.waiting.isEmpty ? nil : state.waiting.removeFirst()
        }
        waiter?.resume()
    }

    static func run(
        _ statements: [BoundStatement],
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [StatementOutcome] {
        var outcomes: [StatementOutcome] = []
        for (index, statement) in statements.enumerated() {
            var bindings = PostgresBindings(capacity: statement.bindings.count)
            for value in statement.bindings {
                // Sent as text of no declared type: the server infers each parameter's type from the statement, as
                // it does for the JDBC driver's typed parameters.
                if let text = value.text { bindings.append(UntypedText(text: text)) } else { bindings.appendNull() }
            }
            let query = PostgresQuery(unsafeSQL: JDBCPlaceholders.numbered(statement.sql), binds: bindings)
            let first = NIOLockedValueBox<PostgresRow?>(nil)
            let metadata: PostgresQueryMetadata
            do {
                metadata = try await connection.query(query, logger: logger) { row in
                    first.withLockedValue { if $0 == nil { $0 = row } }
                }.get()
            } catch {
                throw StatementError(statement: index, message: describe(error))
            }
            var outcome = StatementOutcome(changedRows: metadata.rows ?? 0)
            if let row = first.withLockedValue({ $0 }) {
                outcome.columns = row.map(\.columnName)
                outcome.firstRow = row.map(Self.text)
            }
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// A cell as Java's `toString()` of the value JDBC's `getObject` gives; nil for NULL.
    private static func text(_ cell: PostgresCell) -> String? {
        guard cell.bytes != nil else { return nil }
        do {
            switch cell.dataType {
            case .bool: return try cell.decode(Bool.self) ? "true" : "false"
            case .int2, .int4, .int8: return String(try cell.decode(Int64.self))
            case .float4, .float8: return String(try cell.decode(Double.self))
            case .numeric: return try cell.decode(Decimal.self).description
            case .uuid: return try cell.decode(UUID.self).uuidString.lowercased()
            case .date: return String(SQLTimestampText.format(try cell.decode(Date.self)).prefix(10))
            case .timestamp, .timestamptz: return SQLTimestampText.format(try cell.decode(Date.self))
            default: return try cell.decode(String.self)
            }
        } catch {
            return cell.bytes.map { String(buffer: $0) }
        }
    }

    /// The server's message for a failed statement (never the connection's password).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresTransactionError {
            if let failure = error.closureError as? StatementError { return failure.message }
            return describe(error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? error)
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let code = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + code
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return String(describing: error)
    }
}

/// A parameter bound as text with no type, so PostgreSQL infers it from where it stands in the statement.
private struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String
    var psqlType: PostgresDataType { PostgresDataType(0) }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(text)
    }
}

/// Timestamps as `java.sql.Timestamp.toString()` writes them (UTC here): `yyyy-mm-dd hh:mm:ss.f`.
enum SQLTimestampText {
    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        func pad(_ value: Int?, _ width: Int = 2) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var fraction = pad((parts.nanosecond ?? 0) / 1000, 6)
        while fraction.count > 1 && fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day)) "
            + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second)).\(fraction)"
    }
}
