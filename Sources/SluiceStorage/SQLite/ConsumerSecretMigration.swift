import GRDB

/// `v12-consumer-secrets`: more secrets of a consumer key (hashes, with an optional expiry).
enum ConsumerSecretMigration {
    static let identifier = "v12-consumer-secrets"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE consumer_secrets (
                    id TEXT PRIMARY KEY NOT NULL,
                    consumer_key TEXT NOT NULL REFERENCES consumer_keys(consumer_key) ON DELETE CASCADE,
                    secret_hash BLOB NOT NULL,
                    description TEXT,
                    created_at REAL NOT NULL,
                    expires_at REAL
                );
                CREATE INDEX consumer_secrets_by_key ON consumer_secrets(consumer_key);
                """
        )
    }
}
