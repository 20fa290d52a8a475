public import Foundation
import PostgresNIO
import SluiceModel
public import SluiceStorage

extension PostgresStorage: ApplicationRepository {
    private static let applicationColumns = """
        id, name, owner, throttling_tier, description, token_type, status, created_at, updated_at, internal
        """
    private static let keyColumns = """
        consumer_key, secret_hash, application_id, key_type, grant_types, callback_url, state, created_at
        """

    public func createApplication(_ application: ApplicationRecord) async throws {
        try await write("application \(application.name) of \(application.owner)") { connection in
            try await connection.run(
                """
                INSERT INTO applications
                    (id, name, owner, throttling_tier, description, token_type, status, created_at, updated_at,
                     internal)
                VALUES (\(application.id), \(application.name), \(application.owner), \(application.throttlingTier),
                        \(application.description), \(application.tokenType), \(application.status),
                        \(application.createdAt.storageSeconds), \(application.updatedAt.storageSeconds),
                        \(application.isInternal))
                """,
                logger: logger
            )
            try await appendEvent(.application, subject: application.id, on: connection)
        }
    }

    public func updateApplication(_ application: ApplicationRecord) async throws {
        try await write("application \(application.name) of \(application.owner)") { connection in
            let rows = try await connection.rows(
                """
                UPDATE applications SET name = \(application.name), owner = \(application.owner),
                    throttling_tier = \(application.throttlingTier),
                    description = \(application.description), token_type = \(application.tokenType),
                    status = \(application.status), updated_at = \(application.updatedAt.storageSeconds)
                WHERE id = \(application.id)
                RETURNING id
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("application \(application.id)") }
            try await appendEvent(.application, subject: application.id, on: connection)
        }
    }

    public func deleteApplication(id: String) async throws -> Bool {
        try await write("application \(id)") { connection in
            let deleted = !(try await connection.rows(
                "DELETE FROM applications WHERE id = \(id) RETURNING id",
                logger: logger
            )).isEmpty
            if deleted { try await appendEvent(.application, subject: id, on: connection) }
            return deleted
        }
    }

    public func application(id: String) async throws -> ApplicationRecord? {
        try await read { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.applicationColumns) FROM applications WHERE id = \(id)",
                logger: logger
            ).first.map(Self.application)
        }
    }

    public func application(owner: String, name: String) async throws -> ApplicationRecord? {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.applicationColumns) FROM applications
                WHERE lower(owner) = lower(\(owner)) AND name = \(name)
                """,
                logger: logger
            ).first.map(Self.application)
        }
    }

    public func applications(owner: String?) async throws -> [ApplicationRecord] {
        try await read { connection in
            let rows: [PostgresRow]
            if let owner {
                rows = try await connection.rows(
                    """
                    SELECT \(unescaped: Self.applicationColumns) FROM applications
                    WHERE lower(owner) = lower(\(owner)) ORDER BY name COLLATE "C"
                    """,
                    logger: logger
                )
            } else {
                rows = try await connection.rows(
                    """
                    SELECT \(unescaped: Self.applicationColumns) FROM applications
                    ORDER BY lower(owner) COLLATE "C", name COLLATE "C"
                    """,
                    logger: logger
                )
            }
            return try rows.map(Self.application)
        }
    }

    public func saveConsumerKey(_ key: ConsumerKeyRecord) async throws {
        try await write("\(key.keyType.rawValue) key of application \(key.applicationID)") { connection in
            try await connection.run(
                """
                INSERT INTO consumer_keys
                    (consumer_key, application_id, key_type, secret_hash, grant_types, callback_url, state, created_at)
                VALUES (\(key.consumerKey), \(key.applicationID), \(key.keyType.rawValue), \(key.secretHash),
                        \(key.grantTypes.storageList), \(key.callbackURL), \(key.state), \(key.createdAt.storageSeconds))
                """,
                logger: logger
            )
            try await appendEvent(.consumerKey, subject: key.consumerKey, on: connection)
        }
    }

    public func consumerKey(_ consumerKey: String) async throws -> ConsumerKeyRecord? {
        try await read { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.keyColumns) FROM consumer_keys WHERE consumer_key = \(consumerKey)",
                logger: logger
            ).first.map(Self.consumerKey)
        }
    }

    public func consumerKeys(applicationID: String) async throws -> [ConsumerKeyRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.keyColumns) FROM consumer_keys WHERE application_id = \(applicationID)
                ORDER BY key_type COLLATE "C"
                """,
                logger: logger
            ).map(Self.consumerKey)
        }
    }

    public func allConsumerKeys() async throws -> [ConsumerKeyRecord] {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.keyColumns) FROM consumer_keys", logger: logger)
                .map(Self.consumerKey)
        }
    }

    public func setSecretHash(_ secretHash: Data, forConsumerKey consumerKey: String) async throws {
        try await write("consumer key \(consumerKey)") { connection in
            let rows = try await connection.rows(
                """
                UPDATE consumer_keys SET secret_hash = \(secretHash) WHERE consumer_key = \(consumerKey)
                RETURNING consumer_key
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("consumer key \(consumerKey)") }
        }
    }

    public func updateConsumerKey(_ consumerKey: String, grantTypes: [String], callbackURL: String?) async throws {
        try await write("consumer key \(consumerKey)") { connection in
            let rows = try await connection.rows(
                """
                UPDATE consumer_keys SET grant_types = \(grantTypes.storageList), callback_url = \(callbackURL)
                WHERE consumer_key = \(consumerKey)
                RETURNING consumer_key
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("consumer key \(consumerKey)") }
            try await appendEvent(.consumerKey, subject: consumerKey, on: connection)
        }
    }

    public func deleteConsumerKey(_ consumerKey: String) async throws -> Bool {
        try await write("consumer key \(consumerKey)") { connection in
            let rows = try await connection.rows(
                "DELETE FROM consumer_keys WHERE consumer_key = \(consumerKey) RETURNING consumer_key",
                logger: logger
            )
            // Gateways drop the client when the event's key is gone.
            if !rows.isEmpty { try await appendEvent(.consumerKey, subject: consumerKey, on: connection) }
            return !rows.isEmpty
        }
    }

    private static func application(from row: PostgresRow) throws -> ApplicationRecord {
        let (id, name, owner, tier, description, tokenType, status, createdAt, updatedAt, isInternal) = try row.decode(
            (String, String, String, String, String?, String, String, Double, Double, Bool).self
        )
        return ApplicationRecord(
            id: id,
            name: name,
            owner: owner,
            throttlingTier: tier,
            description: description,
            tokenType: tokenType,
            status: status,
            createdAt: Date(storageSeconds: createdAt),
            updatedAt: Date(storageSeconds: updatedAt),
            isInternal: isInternal
        )
    }

    private static func consumerKey(from row: PostgresRow) throws -> ConsumerKeyRecord {
        let (key, secretHash, applicationID, keyType, grantTypes, callbackURL, state, createdAt) = try row.decode(
            (String, Data, String, String, String, String?, String, Double).self
        )
        return ConsumerKeyRecord(
            consumerKey: key,
            secretHash: secretHash,
            applicationID: applicationID,
            keyType: KeyType(rawValue: keyType) ?? .production,
            grantTypes: [String](storageList: grantTypes),
            callbackURL: callbackURL,
            state: state,
            createdAt: Date(storageSeconds: createdAt)
        )
    }
}
