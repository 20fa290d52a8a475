import Foundation
import GRDB

extension SQLiteStorage: ConsumerSecretRepository {
    public func createConsumerSecret(_ secret: ConsumerSecretRecord) async throws {
        try await write("secret of consumer key \(secret.consumerKey)") { db in
            guard try Bool.fetchOne(
                db, sql: "SELECT 1 FROM consumer_keys WHERE consumer_key = ?", arguments: [secret.consumerKey]
            ) != nil else { throw StorageError.notFound("consumer key \(secret.consumerKey)") }
            try db.execute(
                sql: """
                    INSERT INTO consumer_secrets (id, consumer_key, secret_hash, description, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    secret.id, secret.consumerKey, secret.secretHash, secret.description,
                    secret.createdAt.storageSeconds, secret.expiresAt?.storageSeconds,
                ]
            )
        }
    }

    public func consumerSecrets(consumerKey: String) async throws -> [ConsumerSecretRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM consumer_secrets WHERE consumer_key = ? ORDER BY created_at, id",
                arguments: [consumerKey]
            ).map { row in
                ConsumerSecretRecord(
                    id: row["id"],
                    consumerKey: row["consumer_key"],
                    secretHash: row["secret_hash"],
                    description: row["description"],
                    createdAt: Date(storageSeconds: row["created_at"]),
                    expiresAt: (row["expires_at"] as Double?).map(Date.init(storageSeconds:))
                )
            }
        }
    }

    public func deleteConsumerSecret(id: String, consumerKey: String) async throws -> Bool {
        try await write("secret \(id)") { db in
            try db.execute(
                sql: "DELETE FROM consumer_secrets WHERE id = ? AND consumer_key = ?",
                arguments: [id, consumerKey]
            )
            return db.changesCount > 0
        }
    }
}
