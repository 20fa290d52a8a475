import Foundation
import GRDB
import SluiceModel

extension SQLiteStorage: APIRepository {
    public func createAPI(_ api: APIRecord, actor: String) async throws {
        try await write("API \(api.provider)--\(api.name):\(api.version)") { db in
            try db.execute(
                sql: """
                    INSERT INTO apis
                        (id, provider, name, version, context, description, lifecycle_state, visibility,
                         is_default_version, definition, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: Self.arguments(api, order: .insert)
            )
            try Self.replaceTags(api.tags, apiID: api.id, db: db)
            try Self.insertHistory(
                LifecycleHistoryEntry(
                    apiID: api.id,
                    previousState: nil,
                    newState: api.lifecycleState,
                    action: nil,
                    actor: actor,
                    changedAt: api.createdAt
                ),
                db: db
            )
        }
    }

    public func updateAPI(_ api: APIRecord) async throws {
        try await write("API \(api.provider)--\(api.name):\(api.version)") { db in
            try db.execute(
                sql: """
                    UPDATE apis SET provider = ?, name = ?, version = ?, context = ?, description = ?,
                        visibility = ?, is_default_version = ?, definition = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: Self.arguments(api, order: .update)
            )
            if db.changesCount == 0 { throw StorageError.notFound("API \(api.id)") }
            try Self.replaceTags(api.tags, apiID: api.id, db: db)
        }
    }

    public func deleteAPI(id: String) async throws -> Bool {
        try await write("API \(id)") { db in
            try db.execute(sql: "DELETE FROM apis WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func api(id: String) async throws -> APIRecord? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM apis WHERE id = ?", arguments: [id]) else {
                return nil
            }
            return try Self.api(from: row, db: db)
        }
    }

    public func api(key: APIKey) async throws -> APIRecord? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM apis WHERE context = ? AND version = ?",
                    arguments: [key.context, key.version]
                )
            else { return nil }
            return try Self.api(from: row, db: db)
        }
    }

    public func apis() async throws -> [APIRecord] {
        try await apis(matching: APIFilter())
    }

    public func apis(matching filter: APIFilter) async throws -> [APIRecord] {
        var conditions: [String] = []
        var arguments: [String] = []
        let columns = [
            ("lifecycle_state", filter.states.map { Set($0.map(\.rawValue)) }), ("visibility", filter.visibilities),
        ]
        for case (let column, let values?) in columns {
            let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
            conditions.append(values.isEmpty ? "0" : "\(column) IN (\(placeholders))")
            arguments += values.sorted()
        }
        let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let statementArguments = StatementArguments(arguments)
        return try await read { db in
            // One query for the tags of every listed API rather than one per API.
            let tagRows = try Row.fetchAll(
                db,
                sql: "SELECT api_id, tag FROM api_tags WHERE api_id IN (SELECT id FROM apis \(condition)) ORDER BY tag",
                arguments: statementArguments
            )
            var tags: [String: [String]] = [:]
            for row in tagRows { tags[row["api_id"], default: []].append(row["tag"]) }
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM apis \(condition) ORDER BY name, version",
                arguments: statementArguments
            ).map { row in Self.api(from: row, tags: tags[row["id"]] ?? []) }
        }
    }

    public func recordLifecycleChange(_ entry: LifecycleHistoryEntry) async throws {
        try await write("lifecycle of API \(entry.apiID)") { db in
            try db.execute(
                sql: "UPDATE apis SET lifecycle_state = ?, updated_at = ? WHERE id = ?",
                arguments: [entry.newState.rawValue, entry.changedAt.storageSeconds, entry.apiID]
            )
            if db.changesCount == 0 { throw StorageError.notFound("API \(entry.apiID)") }
            try Self.insertHistory(entry, db: db)
        }
    }

    public func lifecycleHistory(apiID: String) async throws -> [LifecycleHistoryEntry] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM api_lifecycle_history WHERE api_id = ? ORDER BY id",
                arguments: [apiID]
            ).map { row in
                let previous: String? = row["previous_state"]
                let action: String? = row["action"]
                return LifecycleHistoryEntry(
                    apiID: row["api_id"],
                    previousState: previous.flatMap(APILifecycleState.init(rawValue:)),
                    newState: APILifecycleState(rawValue: row["new_state"]) ?? .created,
                    action: action.flatMap(LifecycleAction.init(rawValue:)),
                    actor: row["actor"],
                    changedAt: Date(storageSeconds: row["changed_at"])
                )
            }
        }
    }

    private enum ArgumentOrder { case insert, update }

    private static func arguments(_ api: APIRecord, order: ArgumentOrder) -> StatementArguments {
        let context = APIKey(context: api.context, version: api.version).context
        switch order {
        case .insert:
            return [
                api.id, api.provider, api.name, api.version, context, api.description, api.lifecycleState.rawValue,
                api.visibility, api.isDefaultVersion, api.definition, api.createdAt.storageSeconds,
                api.updatedAt.storageSeconds,
            ]
        case .update:
            return [
                api.provider, api.name, api.version, context, api.description, api.visibility, api.isDefaultVersion,
                api.definition, api.updatedAt.storageSeconds, api.id,
            ]
        }
    }

    private static func replaceTags(_ tags: [String], apiID: String, db: Database) throws {
        try db.execute(sql: "DELETE FROM api_tags WHERE api_id = ?", arguments: [apiID])
        for tag in Set(tags) {
            try db.execute(sql: "INSERT OR IGNORE INTO api_tags (api_id, tag) VALUES (?, ?)", arguments: [apiID, tag])
        }
    }

    private static func insertHistory(_ entry: LifecycleHistoryEntry, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO api_lifecycle_history (api_id, previous_state, new_state, action, actor, changed_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.apiID, entry.previousState?.rawValue, entry.newState.rawValue, entry.action?.rawValue,
                entry.actor, entry.changedAt.storageSeconds,
            ]
        )
    }

    private static func api(from row: Row, db: Database) throws -> APIRecord {
        let id: String = row["id"]
        let tags = try String.fetchAll(db, sql: "SELECT tag FROM api_tags WHERE api_id = ? ORDER BY tag", arguments: [id])
        return api(from: row, tags: tags)
    }

    private static func api(from row: Row, tags: [String]) -> APIRecord {
        APIRecord(
            id: row["id"],
            provider: row["provider"],
            name: row["name"],
            version: row["version"],
            context: row["context"],
            description: row["description"],
            lifecycleState: APILifecycleState(rawValue: row["lifecycle_state"]) ?? .created,
            visibility: row["visibility"],
            isDefaultVersion: row["is_default_version"],
            tags: tags,
            definition: row["definition"],
            createdAt: Date(storageSeconds: row["created_at"]),
            updatedAt: Date(storageSeconds: row["updated_at"])
        )
    }
}
