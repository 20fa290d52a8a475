public import Logging
import PostgresNIO
public import ServiceLifecycle
import SluiceStorage
import Synchronization

/// The cluster storage: one PostgreSQL database implementing every repository protocol, through a pool of
/// connections (PostgresNIO's `PostgresClient`).
///
/// ``open(settings:logger:)`` starts the pool and runs the pending migrations (one node at a time, under an
/// advisory lock), so a node can query it while it assembles; add the storage to the node's services so the pool
/// closes when the node shuts down. Writes that change what gateways serve also append a ``ClusterEvent`` in the
/// same transaction (see ``ClusterRepository``).
public final class PostgresStorage: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// The connection settings, for the notification listener's own connection.
    public let settings: PostgresConnectionSettings
    private let pool: PoolRunner

    private init(settings: PostgresConnectionSettings, logger: Logger) throws(PostgresSettingsError) {
        self.settings = settings
        self.logger = logger
        self.client = PostgresClient(configuration: try settings.clientConfiguration(), backgroundLogger: logger)
        self.pool = PoolRunner()
    }

    /// Starts the connection pool and migrates the database.
    /// - Parameters:
    ///   - settings: The server and database.
    ///   - logger: For the pool's background work and the migrations.
    ///   - migrate: Whether to apply pending migrations now (control-plane nodes do). Without it nothing is
    ///     asked of the server yet, so a gateway starts while the database is away and connects when it returns.
    /// - Returns: The storage, ready for queries.
    /// - Throws: ``StorageError/unavailable(_:)`` when the server cannot be reached or migrated.
    public static func open(
        settings: PostgresConnectionSettings,
        logger: Logger,
        migrate: Bool = true
    ) async throws -> PostgresStorage {
        let storage: PostgresStorage
        do {
            storage = try PostgresStorage(settings: settings, logger: logger)
        } catch {
            throw StorageError.unavailable(error.description)
        }
        if migrate {
            do {
                try await PostgresMigrations.migrate(settings, logger: logger)
            } catch {
                throw StorageError.unavailable(
                    "cannot open the PostgreSQL database \(settings.database) at \(settings.host):\(settings.port): "
                        + Self.describe(error)
                )
            }
        }
        storage.pool.start(storage.client)
        return storage
    }

    /// Closes the pool (queries after this fail).
    public func close() async {
        await pool.stop()
    }

    /// Identifiers of the migrations applied to this database, in order.
    public func appliedMigrations() async throws -> [String] {
        try await read { connection in
            try await connection.rows(
                "SELECT identifier FROM schema_migrations ORDER BY position",
                logger: logger
            ).map { try $0.decode(String.self) }
        }
    }

    /// Names of the tables, sorted.
    public func tableNames() async throws -> [String] {
        try await read { connection in
            try await connection.rows(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
                logger: logger
            ).map { try $0.decode(String.self) }
        }
    }

    // MARK: - Helpers shared by the repository extensions

    /// Runs `body` in a transaction, translating constraint violations into ``StorageError``.
    func write<T: Sendable>(
        _ what: String,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw Self.translate(error.closureError ?? error.beginError ?? error.commitError ?? error, what: what)
        } catch {
            throw Self.translate(error, what: what)
        }
    }

    /// Runs reads on one pooled connection.
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw Self.translate(error, what: "")
        }
    }

    private static func translate(_ error: any Error, what: String) -> any Error {
        if error is StorageError { return error }
        guard let error = error as? PSQLError else { return error }
        let state = error.serverInfo?[.sqlState]
        switch state {
        case "23505": return StorageError.duplicate(what)
        case "23503": return StorageError.notFound("a row referenced by \(what)")
        case .some(let state) where !state.hasPrefix("08") && !state.hasPrefix("57"):
            return error
        default:
            // No answer from the server, a broken connection or a server shutting down: the database is away.
            return StorageError.unavailable("the PostgreSQL database cannot be reached: \(describe(error))")
        }
    }

    /// A short reason for a driver error, without the query's bound values.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}

extension PostgresStorage: Service {
    /// Keeps the pool open until graceful shutdown or cancellation, then closes it.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}

/// Runs the client's connection pool. `PostgresClient.run()` must be running before any query, and a node queries
/// its storage while it assembles, before its `ServiceGroup` starts: so the pool runs in a task of its own, which
/// ``stop()`` (called when the node's services shut down) cancels and awaits.
private final class PoolRunner: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    func start(_ client: PostgresClient) {
        task.withLock { task in
            guard task == nil else { return }
            // Bridges the pool's lifetime to the storage object's: ended by stop().
            task = Task { await client.run() }
        }
    }

    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }
}

extension PostgresConnection {
    /// Runs a query and collects its rows.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await self.query(query, logger: logger) { rows.append(row) }
        return rows
    }

    /// Runs a statement whose rows do not matter.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        for try await _ in try await self.query(query, logger: logger) {}
    }
}
