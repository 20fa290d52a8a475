import Foundation
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// Opens the database a node's settings name.
enum NodeStorage {
    /// Opens the node's database. A relative SQLite path is relative to the folder that holds the repository.
    /// - Throws: ``NodeAssemblyError`` for a database kind this build cannot open; storage errors.
    static func open(_ database: APIManagerSettings.Database, repository: String) throws -> any APIManagerStorage {
        switch database {
        case .sqlite(let path):
            if path == APIManagerSettings.defaultDatabasePath {
                return try SQLiteStorage(repository: repository)
            }
            if path.hasPrefix("/") { return try SQLiteStorage(path: path) }
            let base = URL(fileURLWithPath: repository).deletingLastPathComponent()
            return try SQLiteStorage(path: base.appendingPathComponent(path).path)
        case .postgres:
            throw NodeAssemblyError.unsupportedDatabase(
                "PostgreSQL storage is not available in this build; use sqlite in api-manager.xml"
            )
        }
    }
}
