public import Logging
import NIOConcurrencyHelpers
public import NIOCore
public import SluiceMediation
public import SluiceModel

/// The `DatabaseConnector` a node hands its gateway (`GatewayConfiguration.databases`): a new pool for each
/// mediator's own `<pool>` (PostgreSQL or SQLite), and one shared pool per datasource the node declares, opened
/// when a mediator first names it and kept for the node's life (Synapse does not close a global datasource when a
/// mediator goes either).
///
/// The drivers (PostgresNIO, GRDB) live in this module so that the gateway and the mediation runtime link no
/// database driver: they see only the `DatabaseConnector` protocol.
public final class DatabaseMediatorConnector: DatabaseConnector {
    public let statementTimeout: TimeAmount
    public let transactionTimeout: TimeAmount
    /// The statement timeout, as long as a statement waits for an SQLite connection a transaction holds.
    private let connectionWait: Duration
    private let logger: Logger
    private let declared: [String: DataSourceDefinition]
    private let shared = NIOLockedValueBox<[String: any DatabaseClient]>([:])

    /// - Parameters:
    ///   - dataSources: The datasources `<dsName>` may name (api-manager.xml's `<DataSources>`).
    ///   - statementTimeout: How long a mediator's statements may take before the message faults.
    ///   - transactionTimeout: How long a message's transaction may hold its connections, from its first statement.
    ///   - logger: The drivers' logger.
    public init(
        dataSources: [DataSourceDefinition],
        statementTimeout: Duration = .seconds(30),
        transactionTimeout: Duration = .seconds(60),
        logger: Logger
    ) {
        self.statementTimeout = Self.timeAmount(statementTimeout)
        self.transactionTimeout = Self.timeAmount(transactionTimeout)
        self.connectionWait = statementTimeout
        self.logger = logger
        self.declared = Dictionary(dataSources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func openPool(_ settings: DatabasePoolSettings) -> any DatabaseClient {
        open(settings.target, user: settings.user, password: settings.password, maximum: settings.maximumConnections)
    }

    public func dataSource(named name: String) -> (any DatabaseClient)? {
        guard let definition = declared[name], let target = DatabaseTarget(jdbcURL: definition.url) else { return nil }
        return shared.withLockedValue { pools in
            if let pool = pools[name] { return pool }
            let pool = open(
                target,
                user: definition.username,
                password: definition.password,
                maximum: definition.maxActive
            )
            pools[name] = pool
            return pool
        }
    }

    private func open(_ target: DatabaseTarget, user: String, password: String, maximum: Int?) -> any DatabaseClient {
        switch target {
        case .postgresql(let host, let port, let database, let sslMode):
            PostgresDatabaseClient(
                host: host,
                port: port,
                database: database,
                sslMode: sslMode,
                user: user,
                password: password,
                maximumConnections: maximum,
                logger: logger
            )
        case .sqlite(let path):
            SQLiteDatabaseClient(path: path, waitLimit: connectionWait)
        }
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(
            Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        )
    }
}
