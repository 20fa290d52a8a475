import GRDB

/// `v8-revoked-api-keys`: revoked API keys, kept by hash until they expire. API keys themselves are self-contained
/// signed JWTs and are not stored.
enum RevokedAPIKeyMigration {
    static let identifier = "v8-revoked-api-keys"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE revoked_api_keys (
                    key_hash BLOB PRIMARY KEY NOT NULL,
                    expires_at REAL
                );
                CREATE INDEX revoked_api_keys_by_expiry ON revoked_api_keys(expires_at);
                """
        )
    }
}
