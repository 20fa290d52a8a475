public import Foundation
import GRDB

extension SQLiteStorage: TokenRepository {
    public func insertTokens(_ tokens: [TokenRecord]) async throws {
        try await write("token") { db in
            for token in tokens { try Self.insert(token, db: db) }
        }
    }

    public func token(hash: Data) async throws -> TokenRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE token_hash = ?", arguments: [hash]).map(Self.token)
        }
    }

    public func exchangeRefreshToken(
        hash: Data,
        rotate: Bool,
        issue: @Sendable (TokenRecord) throws -> [TokenRecord]
    ) async throws -> RefreshExchange {
        // GRDB wants an escaping closure; the transaction finishes before this method returns.
        try await withoutActuallyEscaping(issue) { issue in
            let issue = UncheckedSendableBox(issue)
            return try await write("token") { db in
                guard
                    let presented = try Row.fetchOne(
                        db,
                        sql: "SELECT * FROM tokens WHERE token_hash = ?",
                        arguments: [hash]
                    ).map(Self.token)
                else { return .notFound }
                guard presented.kind == .refresh else { return .notActive(presented) }
                switch presented.state {
                case .active:
                    break
                case .rotated:
                    let revoked = try Self.revokeFamily(presented.familyID, db: db)
                    return .reuseDetected(presented, revokedAccessTokens: revoked)
                case .revoked, .inactive:
                    return .notActive(presented)
                }
                let issued = try issue.value(presented)
                if rotate {
                    try db.execute(
                        sql: "UPDATE tokens SET state = 'ROTATED' WHERE token_hash = ?",
                        arguments: [presented.tokenHash]
                    )
                }
                let deactivated = try Data.fetchAll(
                    db,
                    sql: "SELECT token_hash FROM tokens WHERE family_id = ? AND kind = 'ACCESS' AND state = 'ACTIVE'",
                    arguments: [presented.familyID]
                )
                try db.execute(
                    sql: """
                        UPDATE tokens SET state = 'INACTIVE'
                        WHERE family_id = ? AND kind = 'ACCESS' AND state = 'ACTIVE'
                        """,
                    arguments: [presented.familyID]
                )
                for token in issued { try Self.insert(token, db: db) }
                return .exchanged(previous: presented, issued: issued, deactivatedAccessTokens: deactivated)
            }
        }
    }

    public func revokeFamily(_ familyID: String) async throws -> [Data] {
        try await write("token family") { db in try Self.revokeFamily(familyID, db: db) }
    }

    public func activeTokenFamilies(consumerKey: String) async throws -> [String] {
        try await read { db in
            try String.fetchAll(
                db,
                sql: "SELECT DISTINCT family_id FROM tokens WHERE consumer_key = ? AND state = 'ACTIVE' ORDER BY family_id",
                arguments: [consumerKey]
            )
        }
    }

    public func activeTokenFamilies(username: String) async throws -> [String] {
        try await read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT family_id FROM tokens
                    WHERE username = ? COLLATE NOCASE AND state = 'ACTIVE' ORDER BY family_id
                    """,
                arguments: [username]
            )
        }
    }

    public func deleteTokens(expiredBefore cutoff: Date) async throws -> [Data] {
        try await write("expired tokens") { db in
            let seconds = cutoff.storageSeconds
            let accessHashes = try Data.fetchAll(
                db,
                sql: "SELECT token_hash FROM tokens WHERE kind = 'ACCESS' AND expires_at IS NOT NULL AND expires_at < ?",
                arguments: [seconds]
            )
            try db.execute(
                sql: "DELETE FROM tokens WHERE kind = 'ACCESS' AND expires_at IS NOT NULL AND expires_at < ?",
                arguments: [seconds]
            )
            // A rotated refresh token stays while a live descendant exists, so its reuse is still caught.
            try db.execute(
                sql: """
                    DELETE FROM tokens AS t
                    WHERE t.kind = 'REFRESH' AND t.expires_at IS NOT NULL AND t.expires_at < ?
                      AND NOT (t.state = 'ROTATED' AND EXISTS (
                          SELECT 1 FROM tokens AS live
                          WHERE live.family_id = t.family_id AND live.kind = 'REFRESH' AND live.state = 'ACTIVE'
                            AND (live.expires_at IS NULL OR live.expires_at >= ?)))
                    """,
                arguments: [seconds, seconds]
            )
            try db.execute(
                sql: "DELETE FROM revoked_api_keys WHERE expires_at IS NOT NULL AND expires_at < ?",
                arguments: [seconds]
            )
            return accessHashes
        }
    }

    public func accessTokens(notExpiredAt date: Date) async throws -> [TokenRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM tokens WHERE kind = 'ACCESS' AND (expires_at IS NULL OR expires_at > ?)",
                arguments: [date.storageSeconds]
            ).map(Self.token)
        }
    }

    public func revokeAPIKey(hash: Data, expiresAt: Date?) async throws {
        try await write("revoked API key") { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO revoked_api_keys (key_hash, expires_at) VALUES (?, ?)",
                arguments: [hash, expiresAt?.storageSeconds]
            )
        }
    }

    public func revokedAPIKeys(notExpiredAt date: Date) async throws -> [Data] {
        try await read { db in
            try Data.fetchAll(
                db,
                sql: "SELECT key_hash FROM revoked_api_keys WHERE expires_at IS NULL OR expires_at > ?",
                arguments: [date.storageSeconds]
            )
        }
    }

    private static func revokeFamily(_ familyID: String, db: Database) throws -> [Data] {
        let accessHashes = try Data.fetchAll(
            db,
            sql: "SELECT token_hash FROM tokens WHERE family_id = ? AND kind = 'ACCESS' AND state = 'ACTIVE'",
            arguments: [familyID]
        )
        try db.execute(
            sql: "UPDATE tokens SET state = 'REVOKED' WHERE family_id = ? AND state IN ('ACTIVE', 'ROTATED')",
            arguments: [familyID]
        )
        return accessHashes
    }

    private static func insert(_ token: TokenRecord, db: Database) throws {
        // Compiled once per connection: the token endpoint inserts a row per token.
        try db.cachedStatement(
            sql: """
                INSERT INTO tokens
                    (token_hash, kind, family_id, consumer_key, username, scopes, grant_type, issued_at, expires_at,
                     state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                token.tokenHash, token.kind.rawValue, token.familyID, token.consumerKey, token.username,
                token.scopes.storageList, token.grantType, token.issuedAt.storageSeconds,
                token.expiresAt?.storageSeconds, token.state.rawValue,
            ]
        )
    }

    private static func token(from row: Row) -> TokenRecord {
        let expiresAt: Double? = row["expires_at"]
        return TokenRecord(
            tokenHash: row["token_hash"],
            kind: TokenRecord.Kind(rawValue: row["kind"]) ?? .access,
            familyID: row["family_id"],
            consumerKey: row["consumer_key"],
            username: row["username"],
            scopes: [String](storageList: row["scopes"]),
            grantType: row["grant_type"],
            issuedAt: Date(storageSeconds: row["issued_at"]),
            expiresAt: expiresAt.map(Date.init(storageSeconds:)),
            state: TokenRecord.State(rawValue: row["state"]) ?? .revoked
        )
    }
}

/// Carries the caller's non-`@Sendable` closure into GRDB's writer.
// Safe: the closure runs exactly once inside the awaited write, while the caller is suspended.
private struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
