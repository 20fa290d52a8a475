import Foundation
import Logging
import SluiceControlPlane
import SluiceModel
import SluiceStorage
import SluiceStoragePostgres

/// Opens the database a node's settings name.
enum NodeStorage {
    /// An open database: the repositories, and the cluster storage when it is PostgreSQL.
    struct Opened {
        var repositories: any APIManagerStorage
        var cluster: PostgresStorage?
    }

    /// Opens the node's database: SQLite only for a control plane (a gateway on its own keeps none), PostgreSQL
    /// for every node of a cluster. A relative SQLite path is relative to the folder that holds the repository.
    /// - Returns: Nil for a gateway-only node on SQLite.
    /// - Throws: ``NodeAssemblyError`` for a database URL that cannot work; storage errors.
    static func open(_ options: NodeOptions, plan: NodePlan) async throws -> Opened? {
        switch options.settings.database {
        case .sqlite(let path):
            guard plan.runsControlPlane else { return nil }
            return Opened(repositories: try sqlite(path, repository: options.repository), cluster: nil)
        case .postgres(let url):
            let settings: PostgresConnectionSettings
            do {
                settings = try PostgresConnectionSettings(url: url, environment: options.environment)
            } catch {
                throw NodeAssemblyError.invalidConfiguration("<Database><URL>: \(error)")
            }
            var logger = options.logger
            logger[metadataKey: "sluice.component"] = "database"
            // Control planes migrate (and need the database to start); a gateway starts without it.
            let storage = try await PostgresStorage.open(settings: settings, logger: logger, migrate: plan.runsControlPlane)
            return Opened(repositories: storage, cluster: storage)
        }
    }

    private static func sqlite(_ path: String, repository: String) throws -> SQLiteStorage {
        if path == APIManagerSettings.defaultDatabasePath {
            return try SQLiteStorage(repository: repository)
        }
        if path.hasPrefix("/") { return try SQLiteStorage(path: path) }
        let base = URL(fileURLWithPath: repository).deletingLastPathComponent()
        return try SQLiteStorage(path: base.appendingPathComponent(path).path)
    }
}
