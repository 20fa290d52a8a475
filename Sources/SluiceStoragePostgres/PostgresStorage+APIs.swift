import Foundation
import PostgresNIO
import SluiceModel
public import SluiceStorage

extension PostgresStorage: APIRepository {
    private static let apiColumns = """
        id, provider, name, version, context, description, lifecycle_state, visibility, is_default_version,
        definition, created_at, updated_at
        """

    public func createAPI(_ api: APIRecord, actor: String) async throws {
        try await write("API \(api.provider)--\(api.name):\(api.version)") { connection in
            let context = APIKey(context: api.context, version: api.version).context
            try await connection.run(
                """
                INSERT INTO apis
                    (id, provider, name, version, context, description, lifecycle_state, visibility,
                     is_default_version, definition, created_at, updated_at)
                VALUES (\(api.id), \(api.provider), \(api.name), \(api.version), \(context), \(api.description),
                        \(api.lifecycleState.rawValue), \(api.visibility), \(api.isDefaultVersion), \(api.definition),
                        \(api.createdAt.storageSeconds), \(api.updatedAt.storageSeconds))
                """,
                logger: logger
            )
            try await replaceTags(api.tags, apiID: api.id, on: connection)
            try await insertHistory(
                LifecycleHistoryEntry(
                    apiID: api.id,
                    previousState: nil,
                    newState: api.lifecycleState,
                    action: nil,
                    actor: actor,
                    changedAt: api.createdAt
                ),
                on: connection
            )
            try await appendEvent(.api, subject: api.id, on: connection)
        }
    }

    public func updateAPI(_ api: APIRecord) async throws {
        try await write("API \(api.provider)--\(api.name):\(api.version)") { connection in
            let context = APIKey(context: api.context, version: api.version).context
            let rows = try await connection.rows(
                """
                UPDATE apis SET provider = \(api.provider), name = \(api.name), version = \(api.version),
                    context = \(context), description = \(api.description), visibility = \(api.visibility),
                    is_default_version = \(api.isDefaultVersion), definition = \(api.definition),
                    updated_at = \(api.updatedAt.storageSeconds)
                WHERE id = \(api.id)
                RETURNING id
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("API \(api.id)") }
            try await replaceTags(api.tags, apiID: api.id, on: connection)
            try await appendEvent(.api, subject: api.id, on: connection)
        }
    }

    public func deleteAPI(id: String) async throws -> Bool {
        try await write("API \(id)") { connection in
            let deleted = !(try await connection.rows("DELETE FROM apis WHERE id = \(id) RETURNING id", logger: logger))
                .isEmpty
            if deleted { try await appendEvent(.api, subject: id, on: connection) }
            return deleted
        }
    }

    public func api(id: String) async throws -> APIRecord? {
        try await read { connection in
            let rows = try await connection.rows(
                "SELECT \(unescaped: Self.apiColumns) FROM apis WHERE id = \(id)",
                logger: logger
            )
            guard let row = rows.first else { return nil }
            return try await api(from: row, on: connection)
        }
    }

    public func api(key: APIKey) async throws -> APIRecord? {
        try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.apiColumns) FROM apis WHERE context = \(key.context) AND version = \(key.version)
                """,
                logger: logger
            )
            guard let row = rows.first else { return nil }
            return try await api(from: row, on: connection)
        }
    }

    public func apis() async throws -> [APIRecord] {
        try await apis(matching: APIFilter())
    }

    public func apis(matching filter: APIFilter) async throws -> [APIRecord] {
        // A nil set includes everything; an empty array matches nothing, as `= ANY('{}')` is false.
        let states = filter.states.map { $0.map(\.rawValue).sorted() }
        let visibilities = filter.visibilities.map { $0.sorted() }
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.apiColumns) FROM apis
                WHERE (\(states)::text[] IS NULL OR lifecycle_state = ANY(\(states)::text[]))
                  AND (\(visibilities)::text[] IS NULL OR visibility = ANY(\(visibilities)::text[]))
                ORDER BY name COLLATE "C", version COLLATE "C"
                """,
                logger: logger
            )
            // One query for the tags of every listed API rather than one per API.
            let ids = try rows.map { try $0.decode(String.self) }
            var tags: [String: [String]] = [:]
            for row in try await connection.rows(
                "SELECT api_id, tag FROM api_tags WHERE api_id = ANY(\(ids)) ORDER BY lower(tag) COLLATE \"C\"",
                logger: logger
            ) {
                let (apiID, tag) = try row.decode((String, String).self)
                tags[apiID, default: []].append(tag)
            }
            return try rows.map { row in try Self.api(from: row, tags: tags[try row.decode(String.self)] ?? []) }
        }
    }

    public func recordLifecycleChange(_ entry: LifecycleHistoryEntry) async throws {
        try await write("lifecycle of API \(entry.apiID)") { connection in
            let rows = try await connection.rows(
                """
                UPDATE apis SET lifecycle_state = \(entry.newState.rawValue), updated_at = \(entry.changedAt.storageSeconds)
                WHERE id = \(entry.apiID)
                RETURNING id
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("API \(entry.apiID)") }
            try await insertHistory(entry, on: connection)
            try await appendEvent(.api, subject: entry.apiID, on: connection)
        }
    }

    public func lifecycleHistory(apiID: String) async throws -> [LifecycleHistoryEntry] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT api_id, previous_state, new_state, action, actor, changed_at FROM api_lifecycle_history
                WHERE api_id = \(apiID) ORDER BY id
                """,
                logger: logger
            ).map { row in
                let (apiID, previous, new, action, actor, changedAt) = try row.decode(
                    (String, String?, String, String?, String, Double).self
                )
                return LifecycleHistoryEntry(
                    apiID: apiID,
                    previousState: previous.flatMap(APILifecycleState.init(rawValue:)),
                    newState: APILifecycleState(rawValue: new) ?? .created,
                    action: action.flatMap(LifecycleAction.init(rawValue:)),
                    actor: actor,
                    changedAt: Date(storageSeconds: changedAt)
                )
            }
        }
    }

    private func replaceTags(_ tags: [String], apiID: String, on connection: PostgresConnection) async throws {
        try await connection.run("DELETE FROM api_tags WHERE api_id = \(apiID)", logger: logger)
        for tag in Set(tags) {
            try await connection.run(
                "INSERT INTO api_tags (api_id, tag) VALUES (\(apiID), \(tag)) ON CONFLICT DO NOTHING",
                logger: logger
            )
        }
    }

    private func insertHistory(_ entry: LifecycleHistoryEntry, on connection: PostgresConnection) async throws {
        try await connection.run(
            """
            INSERT INTO api_lifecycle_history (api_id, previous_state, new_state, action, actor, changed_at)
            VALUES (\(entry.apiID), \(entry.previousState?.rawValue), \(entry.newState.rawValue),
                    \(entry.action?.rawValue), \(entry.actor), \(entry.changedAt.storageSeconds))
            """,
            logger: logger
        )
    }

    private func api(from row: PostgresRow, on connection: PostgresConnection) async throws -> APIRecord {
        let id = try row.decode(String.self)
        let tags = try await connection.rows(
            "SELECT tag FROM api_tags WHERE api_id = \(id) ORDER BY lower(tag) COLLATE \"C\"",
            logger: logger
        ).map { try $0.decode(String.self) }
        return try Self.api(from: row, tags: tags)
    }

    private static func api(from row: PostgresRow, tags: [String]) throws -> APIRecord {
        let (id, provider, name, version, context, description, state, visibility, isDefault, definition, createdAt,
            updatedAt) = try row.decode(
                (String, String, String, String, String, String?, String, String, Bool, Data?, Double, Double).self
            )
        return APIRecord(
            id: id,
            provider: provider,
            name: name,
            version: version,
            context: context,
            description: description,
            lifecycleState: APILifecycleState(rawValue: state) ?? .created,
            visibility: visibility,
            isDefaultVersion: isDefault,
            tags: tags,
            definition: definition,
            createdAt: Date(storageSeconds: createdAt),
            updatedAt: Date(storageSeconds: updatedAt)
        )
    }
}
