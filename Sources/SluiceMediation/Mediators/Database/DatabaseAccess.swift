public import NIOCore

/// Opens the databases `dblookup` and `dbreport` use. The gateway supplies one (PostgreSQL and SQLite); the
/// compiler asks it once per deployed mediator, never per message.
public protocol DatabaseConnector: Sendable {
    /// A new pool for a mediator's own `<pool>`; it connects at its first statement and closes when the last
    /// deployment using it is gone.
    func openPool(_ settings: DatabasePoolSettings) -> any DatabaseClient
    /// The pool of a datasource the node declares, shared by every mediator naming it; nil when none has the name.
    func dataSource(named name: String) -> (any DatabaseClient)?
    /// How long a mediator's statements may take before the message faults.
    var statementTimeout: TimeAmount { get }
    /// How long a message's transaction (`<transaction action="new"/>`) may hold its connections, from its first
    /// statement: it is rolled back then, and its later statements and `commit` fault.
    var transactionTimeout: TimeAmount { get }
}

extension DatabaseConnector {
    /// 60 seconds unless the connector says otherwise.
    public var transactionTimeout: TimeAmount { .seconds(60) }
}

/// A database pool statements run on.
public protocol DatabaseClient: Sendable {
    /// Runs the statements in order (in one transaction when `transaction`), without blocking `eventLoop`.
    /// - Returns: A future completed on `eventLoop` with one outcome per statement, or failed with
    ///   `StatementError` naming the statement that failed.
    func execute(_ statements: [BoundStatement], transaction: Bool, on eventLoop: any EventLoop)
        -> EventLoopFuture<[StatementOutcome]>
    /// Takes a connection of the pool for a transaction and begins it there; the connection stays the
    /// transaction's until it commits or rolls back.
    /// - Returns: A future completed on `eventLoop`, failed with `StatementError` when no connection could be had
    ///   or the database refused to begin.
    func beginTransaction(on eventLoop: any EventLoop) -> EventLoopFuture<any DatabaseTransaction>
}

/// The database kinds Sluice speaks, read from a JDBC URL.
public enum DatabaseTarget: Sendable, Hashable {
    /// `jdbc:postgresql://host[:port]/database[?sslmode=…]`.
    case postgresql(host: String, port: Int, database: String, sslMode: String?)
    /// `jdbc:sqlite:path` (`:memory:` or an empty path: a private in-memory database).
    case sqlite(path: String)

    /// The JDBC driver classes Sluice has, by the kind of URL each accepts.
    public static let drivers: [String: String] = [
        "org.postgresql.Driver": "postgresql",
        "org.sqlite.JDBC": "sqlite",
    ]

    /// Reads a JDBC URL of a kind Sluice speaks; nil for any other.
    public init?(jdbcURL url: String) {
        if url.hasPrefix("jdbc:sqlite:") {
            self = .sqlite(path: String(url.dropFirst("jdbc:sqlite:".count)))
            return
        }
        guard url.hasPrefix("jdbc:postgresql:") else { return nil }
        var rest = Substring(url.dropFirst("jdbc:postgresql:".count))
        var query = Substring()
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var host = "localhost"
        var port = 5432
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<slash]
            rest = slash < rest.endIndex ? rest[rest.index(after: slash)...] : ""
            if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
                guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
                port = number
                authority = authority[..<colon]
            }
            if !authority.isEmpty { host = String(authority.trimmingPrefix("[").prefix { $0 != "]" }) }
        }
        var sslMode: String?
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "sslmode": sslMode = String(parts[1])
            case "ssl" where parts[1] == "true": sslMode = sslMode ?? "require"
            default: break
            }
        }
        self = .postgresql(host: host, port: port, database: String(rest), sslMode: sslMode)
    }
}

/// A mediator's pool, resolved at deploy time.
public struct DatabasePoolSettings: Sendable {
    public var target: DatabaseTarget
    /// The JDBC URL, as the fault messages name the datasource.
    public var url: String
    public var user: String
    public var password: String
    /// Pool properties by lower-case name (`maxactive` bounds the connections).
    public var properties: [String: String]

    public init(target: DatabaseTarget, url: String, user: String, password: String, properties: [String: String]) {
        self.target = target
        self.url = url
        self.user = user
        self.password = password
        self.properties = properties
    }

    /// `maxactive`, when it is a positive number.
    public var maximumConnections: Int? {
        properties["maxactive"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }
}

extension DatabasePoolSettings: CustomStringConvertible {
    /// The URL and user; never the password.
    public var description: String { "\(url) (user \(user))" }
}

/// A value bound to a `?` placeholder, converted from the message text as its JDBC type says.
public enum SQLValue: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    /// NUMERIC and DECIMAL, as their exact decimal text.
    case decimal(String)
    /// `yyyy-mm-dd`.
    case date(String)
    /// `hh:mm:ss`.
    case time(String)
    /// `yyyy-mm-dd hh:mm:ss[.fffffffff]`.
    case timestamp(String)

    /// The value as text (what a database infers the type of from the statement).
    public var text: String? {
        switch self {
        case .null: nil
        case .text(let value), .decimal(let value), .date(let value), .time(let value), .timestamp(let value): value
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        }
    }
}

/// A statement with its parameters bound, ready for the database.
public struct BoundStatement: Sendable, Hashable {
    /// The JDBC text, with `?` placeholders.
    public let sql: String
    public let bindings: [SQLValue]
    /// True for `dblookup` (a query whose first row is read), false for `dbreport` (rows changed are counted).
    public let returnsRows: Bool

    public init(sql: String, bindings: [SQLValue], returnsRows: Bool) {
        self.sql = sql
        self.bindings = bindings
        self.returnsRows = returnsRows
    }
}

/// What one statement gave back.
public struct StatementOutcome: Sendable, Hashable {
    /// The column labels of the result, in order (empty for an update).
    public var columns: [String]
    /// The first row's values as text (nil for SQL NULL); nil when the query returned no row.
    public var firstRow: [String?]?
    /// Rows an insert, update or delete changed.
    public var changedRows: Int

    public init(columns: [String] = [], firstRow: [String?]? = nil, changedRows: Int = 0) {
        self.columns = columns
        self.firstRow = firstRow
        self.changedRows = changedRows
    }
}

/// Why a statement failed, in the driver's words (the fault's `ERROR_DETAIL`).
public struct StatementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The position of the failed statement in the batch.
    public var statement: Int
    public var message: String

    public init(statement: Int, message: String) {
        self.statement = statement
        self.message = message
    }

    public var description: String { message }
}

/// A client that fails every statement: a JDBC driver Sluice lacks (Synapse's DBCP fails the first connection the
/// same way), or a datasource the node does not declare.
struct UnavailableDatabase: DatabaseClient {
    let reason: String

    func execute(_ statements: [BoundStatement], transaction: Bool, on eventLoop: any EventLoop)
        -> EventLoopFuture<[StatementOutcome]>
    {
        eventLoop.makeFailedFuture(StatementError(statement: 0, message: reason))
    }

    func beginTransaction(on eventLoop: any EventLoop) -> EventLoopFuture<any DatabaseTransaction> {
        eventLoop.makeFailedFuture(StatementError(statement: 0, message: reason))
    }
}
