import Foundation
import PostgresNIO
public import SluiceStorage

extension PostgresStorage: ConsumerSecretRepository {
    /// `v12-consumer-secrets`: more secrets of a consumer key (hashes, with an optional expiry).
    static let consumerSecretSchema = [
        """
        CREATE TABLE consumer_secrets (
            id TEXT PRIMARY KEY NOT NULL,
            consumer_key TEXT NOT NULL REFERENCES consumer_keys(consumer_key) ON DELETE CASCADE,
            secret_hash BYTEA NOT NULL,
            description TEXT,
            created_at DOUBLE PRECISION NOT NULL,
            expires_at DOUBLE PRECISION
        )
        """,
        "CREATE INDEX consumer_secrets_by_key ON consumer_secrets (consumer_key)",
    ]

    public func createConsumerSecret(_ secret: ConsumerSecretRecord) async throws {
        try await write("secret of consumer key \(secret.consumerKey)") { connection in
            let rows = try await connection.rows(
                """
                INSERT INTO consumer_secrets (id, consumer_key, secret_hash, description, created_at, expires_at)
                SELECT \(secret.id), consumer_key, \(secret.secretHash), \(secret.description),
                       \(secret.createdAt.storageSeconds), \(secret.expiresAt?.storageSeconds)
                FROM consumer_keys WHERE consumer_key = \(secret.consumerKey)
                RETURNING id
                """,
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("consumer key \(secret.consumerKey)") }
        }
    }

    public func consumerSecrets(consumerKey: String) async throws -> [ConsumerSecretRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT id, secret_hash, description, created_at, expires_at FROM consumer_secrets
                WHERE consumer_key = \(consumerKey) ORDER BY created_at, id
                """,
                logger: logger
            ).map { row in
                let (id, hash, description, createdAt, expiresAt) = try row.decode(
                    (String, Data, String?, Double, Double?).self
                )
                return ConsumerSecretRecord(
                    id: id,
                    consumerKey: consumerKey,
                    secretHash: hash,
                    description: description,
                    createdAt: Date(storageSeconds: createdAt),
                    expiresAt: expiresAt.map(Date.init(storageSeconds:))
                )
            }
        }
    }

    public func deleteConsumerSecret(id: String, consumerKey: String) async throws -> Bool {
        try await write("secret \(id)") { connection in
            !(try await connection.rows(
                "DELETE FROM consumer_secrets WHERE id = \(id) AND consumer_key = \(consumerKey) RETURNING id",
                logger: logger
            ).isEmpty)
        }
    }
}
