public import Foundation
import GRDB
import SluiceModel

extension SQLiteStorage: ApplicationRepository {
    public func createApplication(_ application: ApplicationRecord) async throws {
        try await write("application \(application.name) of \(application.owner)") { db in
            try db.execute(
                sql: """
                    INSERT INTO applications
                        (id, name, owner, throttling_tier, description, token_type, status, created_at, updated_at,
                         internal)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    application.id, application.name, application.owner, application.throttlingTier,
                    application.description, application.tokenType, application.status,
                    application.createdAt.storageSeconds, application.updatedAt.storageSeconds,
                    application.isInternal,
                ]
            )
        }
    }

    public func updateApplication(_ application: ApplicationRecord) async throws {
        try await write("application \(application.name) of \(application.owner)") { db in
            try db.execute(
                sql: """
                    UPDATE applications SET name = ?, owner = ?, throttling_tier = ?, description = ?, token_type = ?,
                        status = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    application.name, application.owner, application.throttlingTier, application.description, application.tokenType,
                    application.status, application.updatedAt.storageSeconds, application.id,
                ]
            )
            if db.changesCount == 0 { throw StorageError.notFound("application \(application.id)") }
        }
    }

    public func deleteApplication(id: String) async throws -> Bool {
        try await write("application \(id)") { db in
            try db.execute(sql: "DELETE FROM applications WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func application(id: String) async throws -> ApplicationRecord? {
        try await read { db in
            // Cached statements here and for consumer keys: the token endpoint reads both for every token.
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM applications WHERE id = ?"), arguments: [id])
                .map(Self.application)
        }
    }

    public func application(owner: String, name: String) async throws -> ApplicationRecord? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM applications WHERE owner = ? AND name = ?",
                arguments: [owner, name]
            ).map(Self.application)
        }
    }

    public func applications(owner: String?) async throws -> [ApplicationRecord] {
        try await read { db in
            if let owner {
                return try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM applications WHERE owner = ? ORDER BY name",
                    arguments: [owner]
                ).map(Self.application)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM applications ORDER BY owner, name").map(Self.application)
        }
    }

    public func saveConsumerKey(_ key: ConsumerKeyRecord) async throws {
        try await write("\(key.keyType.rawValue) key of application \(key.applicationID)") { db in
            try db.execute(
                sql: """
                    INSERT INTO consumer_keys
                        (consumer_key, application_id, key_type, secret_hash, grant_types, callback_url, state,
                         created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.consumerKey, key.applicationID, key.keyType.rawValue, key.secretHash,
                    key.grantTypes.storageList, key.callbackURL, key.state, key.createdAt.storageSeconds,
                ]
            )
        }
    }

    public func consumerKey(_ consumerKey: String) async throws -> ConsumerKeyRecord? {
        try await read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM consumer_keys WHERE consumer_key = ?"),
                arguments: [consumerKey]
            ).map(Self.consumerKey)
        }
    }

    public func consumerKeys(applicationID: String) async throws -> [ConsumerKeyRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM consumer_keys WHERE application_id = ? ORDER BY key_type",
                arguments: [applicationID]
            ).map(Self.consumerKey)
        }
    }

    public func allConsumerKeys() async throws -> [ConsumerKeyRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM consumer_keys").map(Self.consumerKey)
        }
    }

    public func setSecretHash(_ secretHash: Data, forConsumerKey consumerKey: String) async throws {
        try await write("consumer key \(consumerKey)") { db in
            try db.execute(
                sql: "UPDATE consumer_keys SET secret_hash = ? WHERE consumer_key = ?",
                arguments: [secretHash, consumerKey]
            )
            if db.changesCount == 0 { throw StorageError.notFound("consumer key \(consumerKey)") }
        }
    }

    public func updateConsumerKey(_ consumerKey: String, grantTypes: [String], callbackURL: String?) async throws {
        try await write("consumer key \(consumerKey)") { db in
            try db.execute(
                sql: "UPDATE consumer_keys SET grant_types = ?, callback_url = ? WHERE consumer_key = ?",
                arguments: [grantTypes.storageList, callbackURL, consumerKey]
            )
            if db.changesCount == 0 { throw StorageError.notFound("consumer key \(consumerKey)") }
        }
    }

    public func deleteConsumerKey(_ consumerKey: String) async throws -> Bool {
        try await write("consumer key \(consumerKey)") { db in
            try db.execute(sql: "DELETE FROM consumer_keys WHERE consumer_key = ?", arguments: [consumerKey])
            return db.changesCount > 0
        }
    }

    private static func application(from row: Row) -> ApplicationRecord {
        ApplicationRecord(
            id: row["id"],
            name: row["name"],
            owner: row["owner"],
            throttlingTier: row["throttling_tier"],
            description: row["description"],
            tokenType: row["token_type"],
            status: row["status"],
            createdAt: Date(storageSeconds: row["created_at"]),
            updatedAt: Date(storageSeconds: row["updated_at"]),
            isInternal: row["internal"]
        )
    }

    private static func consumerKey(from row: Row) -> ConsumerKeyRecord {
        ConsumerKeyRecord(
            consumerKey: row["consumer_key"],
            secretHash: row["secret_hash"],
            applicationID: row["application_id"],
            keyType: KeyType(rawValue: row["key_type"]) ?? .production,
            grantTypes: [String](storageList: row["grant_types"]),
            callbackURL: row["callback_url"],
            state: row["state"],
            createdAt: Date(storageSeconds: row["created_at"])
        )
    }
}
