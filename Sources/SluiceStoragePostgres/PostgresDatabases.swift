import Foundation
public import Logging
import PostgresNIO

/// Creates and drops whole databases on a server: for tests, which give each case a database of its own, and for
/// setting up a cluster's database.
public enum PostgresDatabases {
    /// Creates `name` (a plain identifier: letters, digits, underscores) unless it exists.
    /// - Parameters:
    ///   - name: The database to create.
    ///   - settings: The server, and a database to connect to while creating (usually `postgres`).
    ///   - logger: For the connection.
    /// - Throws: When the server cannot be reached or refuses.
    public static func create(_ name: String, on settings: PostgresConnectionSettings, logger: Logger) async throws {
        try check(name)
        try await withConnection(settings, logger: logger) { connection in
            let exists = try await connection.rows("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: logger)
            guard exists.isEmpty else { return }
            try await connection.run(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), logger: logger)
        }
    }

    /// Drops `name` if it exists, ending its other sessions first.
    public static func drop(_ name: String, on settings: PostgresConnectionSettings, logger: Logger) async throws {
        try check(name)
        try await withConnection(settings, logger: logger) { connection in
            try await connection.run(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)"), logger: logger)
        }
    }

    private static func check(_ name: String) throws {
        guard !name.isEmpty, name.utf8.count <= 63,
            name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) })
        else { throw PostgresSettingsError("a database name must be letters, digits and underscores: \(name)") }
    }

    private static func withConnection(
        _ settings: PostgresConnectionSettings,
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Void
    ) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try settings.connectionConfiguration(),
            id: 0,
            logger: logger
        )
        do {
            try await body(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
