import Foundation
import GRDB

/// The embedded storage: one SQLite database (WAL mode for files) implementing every repository protocol.
///
/// Opening runs the pending migrations. The type is `Sendable`: GRDB serializes writes and lets reads run
/// concurrently with them.
public final class SQLiteStorage: Sendable {
    /// The database file name inside `repository/database/`.
    public static let defaultFileName = "sluice.db"

    let writer: any DatabaseWriter

    /// Opens (creating when needed) the database file at `path`, in WAL mode, and migrates it.
    /// - Parameter path: The database file; its folder is created when missing.
    /// - Throws: ``StorageError/unavailable(_:)`` when the file cannot be opened or migrated.
    public convenience init(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try self.init(writer: DatabasePool(path: path, configuration: Self.configuration()))
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.unavailable("cannot open the database at \(path): \(error)")
        }
    }

    /// Opens the database of a repository folder: `<repository>/database/sluice.db`.
    /// - Parameter repository: The repository folder (`./repository` by default in the CLI).
    public convenience init(repository: String) throws {
        let path = URL(fileURLWithPath: repository).appendingPathComponent("database")
            .appendingPathComponent(Self.defaultFileName).path
        try self.init(path: path)
    }

    /// Opens a private in-memory database (tests, ephemeral runs).
    public static func inMemory() throws -> SQLiteStorage {
        do {
            return try SQLiteStorage(writer: DatabaseQueue(configuration: configuration()))
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.unavailable("cannot open an in-memory database: \(error)")
        }
    }

    private init(writer: any DatabaseWriter) throws {
        self.writer = writer
        do {
            try SQLiteMigrations.migrator().migrate(writer)
        } catch {
            throw StorageError.unavailable("cannot migrate the database: \(error)")
        }
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "sluice"
        return configuration
    }

    /// Identifiers of the migrations applied to this database, in order.
    public func appliedMigrations() async throws -> [String] {
        try await writer.read { db in try SQLiteMigrations.migrator().completedMigrations(db) }
    }

    /// The SQLite journal mode (`wal` for files, `memory` for in-memory databases).
    public func journalMode() async throws -> String {
        try await writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Names of the tables, sorted.
    public func tableNames() async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        }
    }

    // MARK: - Helpers shared by the repository extensions

    /// Runs a write transaction, translating constraint violations into ``StorageError``.
    func write<T: Sendable>(_ what: String, _ updates: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(updates)
        } catch let error as DatabaseError {
            throw Self.translate(error, what: what)
        }
    }

    /// Runs a read.
    func read<T: Sendable>(_ value: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await writer.read(value)
    }

    private static func translate(_ error: DatabaseError, what: String) -> any Error {
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            return StorageError.duplicate(what)
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            return StorageError.notFound("a row referenced by \(what)")
        default:
            return error
        }
    }
}

extension Date {
    /// The storage representation: seconds since 1970 (SQLite and PostgreSQL alike).
    package var storageSeconds: Double { timeIntervalSince1970 }

    /// A date from its storage representation.
    package init(storageSeconds: Double) {
        self.init(timeIntervalSince1970: storageSeconds)
    }
}

extension Array where Element == String {
    /// Space-separated list, the storage form of scopes, grant types and roles' scopes.
    package var storageList: String { joined(separator: " ") }

    /// A list from its storage form.
    package init(storageList: String) {
        self = storageList.split(separator: " ").map(String.init)
    }
}

extension Array where Element == String {
    /// The list as a JSON array, for names that may hold spaces (role aliases).
    package var storageJSON: String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// A list read back from ``storageJSON`` (an unreadable one is empty).
    package init(storageJSON: String) {
        self = (try? JSONDecoder().decode([String].self, from: Data(storageJSON.utf8))) ?? []
    }
}
