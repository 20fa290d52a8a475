public import Foundation
import PostgresNIO
public import SluiceStorage

extension PostgresStorage: TokenRepository {
    private static let tokenColumns = """
        token_hash, kind, family_id, consumer_key, username, scopes, grant_type, issued_at, expires_at, state
        """

    public func insertTokens(_ tokens: [TokenRecord]) async throws {
        try await write("token") { connection in
            for token in tokens { try await insert(token, on: connection) }
        }
    }

    public func token(hash: Data) async throws -> TokenRecord? {
        try await read { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.tokenColumns) FROM tokens WHERE token_hash = \(hash)",
                logger: logger
            ).first.map(Self.token)
        }
    }

    public func exchangeRefreshToken(
        hash: Data,
        rotate: Bool,
        issue: @Sendable (TokenRecord) throws -> [TokenRecord]
    ) async throws -> RefreshExchange {
        try await write("token") { connection in
            // FOR UPDATE: two concurrent exchanges of one refresh token run one after the other, so the second one
            // sees it rotated (reuse) instead of both issuing.
            guard
                let presented = try await connection.rows(
                    "SELECT \(unescaped: Self.tokenColumns) FROM tokens WHERE token_hash = \(hash) FOR UPDATE",
                    logger: logger
                ).first.map(Self.token)
            else { return .notFound }
            guard presented.kind == .refresh else { return .notActive(presented) }
            switch presented.state {
            case .active:
                break
            case .rotated:
                let revoked = try await revokeFamily(presented.familyID, on: connection)
                return .reuseDetected(presented, revokedAccessTokens: revoked)
            case .revoked, .inactive:
                return .notActive(presented)
            }
            let issued = try issue(presented)
            if rotate {
                try await connection.run(
                    "UPDATE tokens SET state = 'ROTATED' WHERE token_hash = \(presented.tokenHash)",
                    logger: logger
                )
            }
            let deactivated = try await connection.rows(
                """
                UPDATE tokens SET state = 'INACTIVE'
                WHERE family_id = \(presented.familyID) AND kind = 'ACCESS' AND state = 'ACTIVE'
                RETURNING token_hash
                """,
                logger: logger
            ).map { try $0.decode(Data.self) }
            for token in issued { try await insert(token, on: connection) }
            if !deactivated.isEmpty {
                try await appendEvent(.tokensDeactivated, subject: ClusterEvent.subject(hashes: deactivated), on: connection)
            }
            return .exchanged(previous: presented, issued: issued, deactivatedAccessTokens: deactivated)
        }
    }

    public func revokeFamily(_ familyID: String) async throws -> [Data] {
        try await write("token family") { connection in try await revokeFamily(familyID, on: connection) }
    }

    public func activeTokenFamilies(consumerKey: String) async throws -> [String] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT DISTINCT family_id COLLATE "C" FROM tokens WHERE consumer_key = \(consumerKey) AND state = 'ACTIVE'
                ORDER BY 1
                """,
                logger: logger
            ).map { try $0.decode(String.self) }
        }
    }

    public func activeTokenFamilies(username: String) async throws -> [String] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT DISTINCT family_id COLLATE "C" FROM tokens
                WHERE lower(username) = lower(\(username)) AND state = 'ACTIVE'
                ORDER BY 1
                """,
                logger: logger
            ).map { try $0.decode(String.self) }
        }
    }

    public func deleteTokens(expiredBefore cutoff: Date) async throws -> [Data] {
        try await write("expired tokens") { connection in
            let seconds = cutoff.storageSeconds
            let accessHashes = try await connection.rows(
                """
                DELETE FROM tokens WHERE kind = 'ACCESS' AND expires_at IS NOT NULL AND expires_at < \(seconds)
                RETURNING token_hash
                """,
                logger: logger
            ).map { try $0.decode(Data.self) }
            // A rotated refresh token stays while a live descendant exists, so its reuse is still caught.
            try await connection.run(
                """
                DELETE FROM tokens AS t
                WHERE t.kind = 'REFRESH' AND t.expires_at IS NOT NULL AND t.expires_at < \(seconds)
                  AND NOT (t.state = 'ROTATED' AND EXISTS (
                      SELECT 1 FROM tokens AS live
                      WHERE live.family_id = t.family_id AND live.kind = 'REFRESH' AND live.state = 'ACTIVE'
                        AND (live.expires_at IS NULL OR live.expires_at >= \(seconds))))
                """,
                logger: logger
            )
            try await connection.run(
                "DELETE FROM revoked_api_keys WHERE expires_at IS NOT NULL AND expires_at < \(seconds)",
                logger: logger
            )
            return accessHashes
        }
    }

    public func revokeAPIKey(hash: Data, expiresAt: Date?) async throws {
        try await write("revoked API key") { connection in
            try await connection.run(
                """
                INSERT INTO revoked_api_keys (key_hash, expires_at) VALUES (\(hash), \(expiresAt?.storageSeconds))
                ON CONFLICT (key_hash) DO NOTHING
                """,
                logger: logger
            )
            _ = try await appendEvent(.apiKeysRevoked, subject: ClusterEvent.subject(hashes: [hash]), on: connection)
        }
    }

    public func revokedAPIKeys(notExpiredAt date: Date) async throws -> [Data] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT key_hash FROM revoked_api_keys
                WHERE expires_at IS NULL OR expires_at > \(date.storageSeconds)
                """,
                logger: logger
            ).map { try $0.decode(Data.self) }
        }
    }

    public func accessTokens(notExpiredAt date: Date) async throws -> [TokenRecord] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.tokenColumns) FROM tokens
                WHERE kind = 'ACCESS' AND (expires_at IS NULL OR expires_at > \(date.storageSeconds))
                """,
                logger: logger
            ).map(Self.token)
        }
    }

    private func revokeFamily(_ familyID: String, on connection: PostgresConnection) async throws -> [Data] {
        let accessHashes = try await connection.rows(
            """
            SELECT token_hash FROM tokens WHERE family_id = \(familyID) AND kind = 'ACCESS' AND state = 'ACTIVE'
            """,
            logger: logger
        ).map { try $0.decode(Data.self) }
        try await connection.run(
            "UPDATE tokens SET state = 'REVOKED' WHERE family_id = \(familyID) AND state IN ('ACTIVE', 'ROTATED')",
            logger: logger
        )
        try await appendEvent(.tokenFamilyRevoked, subject: familyID, on: connection)
        return accessHashes
    }

    private func insert(_ token: TokenRecord, on connection: PostgresConnection) async throws {
        try await connection.run(
            """
            INSERT INTO tokens
                (token_hash, kind, family_id, consumer_key, username, scopes, grant_type, issued_at, expires_at, state)
            VALUES (\(token.tokenHash), \(token.kind.rawValue), \(token.familyID), \(token.consumerKey),
                    \(token.username), \(token.scopes.storageList), \(token.grantType), \(token.issuedAt.storageSeconds),
                    \(token.expiresAt?.storageSeconds), \(token.state.rawValue))
            """,
            logger: logger
        )
    }

    static func token(from row: PostgresRow) throws -> TokenRecord {
        let (hash, kind, familyID, consumerKey, username, scopes, grantType, issuedAt, expiresAt, state) =
            try row.decode((Data, String, String, String, String, String, String, Double, Double?, String).self)
        return TokenRecord(
            tokenHash: hash,
            kind: TokenRecord.Kind(rawValue: kind) ?? .access,
            familyID: familyID,
            consumerKey: consumerKey,
            username: username,
            scopes: [String](storageList: scopes),
            grantType: grantType,
            issuedAt: Date(storageSeconds: issuedAt),
            expiresAt: expiresAt.map(Date.init(storageSeconds:)),
            state: TokenRecord.State(rawValue: state) ?? .revoked
        )
    }
}
