import Foundation
import PostgresNIO
public import SluiceModel
public import SluiceStorage

extension PostgresStorage: UserRepository {
    private static let userColumns = "id, username, password_hash, email, first_name, last_name, created_at"

    public func createUser(_ user: UserRecord) async throws {
        try await write("user \(user.username)") { connection in
            let rows = try await connection.rows(
                """
                INSERT INTO users (username, password_hash, email, first_name, last_name, created_at)
                VALUES (\(user.username), \(user.passwordHash), \(user.email), \(user.firstName), \(user.lastName),
                        \(user.createdAt.storageSeconds))
                RETURNING id
                """,
                logger: logger
            )
            let id = try rows[0].decode(Int64.self)
            try await replaceRoles(user.roles, userID: id, on: connection)
        }
    }

    public func user(named username: String) async throws -> UserRecord? {
        try await read { connection in
            let rows = try await connection.rows(
                "SELECT \(unescaped: Self.userColumns) FROM users WHERE lower(username) = lower(\(username))",
                logger: logger
            )
            guard let row = rows.first else { return nil }
            return try await user(from: row, on: connection)
        }
    }

    public func users() async throws -> [UserRecord] {
        try await read { connection in
            var users: [UserRecord] = []
            for row in try await connection.rows(
                "SELECT \(unescaped: Self.userColumns) FROM users ORDER BY lower(username), username",
                logger: logger
            ) {
                users.append(try await user(from: row, on: connection))
            }
            return users
        }
    }

    public func userCount() async throws -> Int {
        try await read { connection in
            try await connection.rows("SELECT COUNT(*) FROM users", logger: logger)[0].decode(Int.self)
        }
    }

    public func setPasswordHash(_ passwordHash: String, forUser username: String) async throws {
        try await write("user \(username)") { connection in
            let rows = try await connection.rows(
                "UPDATE users SET password_hash = \(passwordHash) WHERE lower(username) = lower(\(username)) RETURNING id",
                logger: logger
            )
            if rows.isEmpty { throw StorageError.notFound("user \(username)") }
        }
    }

    public func setRoles(_ roles: [String], forUser username: String) async throws {
        try await write("roles of \(username)") { connection in
            let rows = try await connection.rows(
                "SELECT id FROM users WHERE lower(username) = lower(\(username))",
                logger: logger
            )
            guard let row = rows.first else { throw StorageError.notFound("user \(username)") }
            try await replaceRoles(roles, userID: try row.decode(Int64.self), on: connection)
        }
    }

    public func deleteUser(named username: String) async throws -> Bool {
        try await write("user \(username)") { connection in
            // user_roles rows go with the user (ON DELETE CASCADE); applications stay.
            !(try await connection.rows(
                "DELETE FROM users WHERE lower(username) = lower(\(username)) RETURNING id",
                logger: logger
            )).isEmpty
        }
    }

    public func saveRole(_ role: Role) async throws {
        try await write("role \(role.name)") { connection in
            try await connection.run(
                """
                INSERT INTO roles (name, scopes, aliases)
                VALUES (\(role.name), \(role.scopes.sorted().storageList), \(role.aliases.storageJSON))
                ON CONFLICT (name) DO UPDATE SET scopes = excluded.scopes, aliases = excluded.aliases
                """,
                logger: logger
            )
        }
    }

    public func roles() async throws -> [Role] {
        try await read { connection in
            try await connection.rows("SELECT name, scopes, aliases FROM roles ORDER BY name", logger: logger).map { row in
                let (name, scopes, aliases) = try row.decode((String, String, String).self)
                return Role(name: name, scopes: Set([String](storageList: scopes)), aliases: [String](storageJSON: aliases))
            }
        }
    }

    private func replaceRoles(_ roles: [String], userID: Int64, on connection: PostgresConnection) async throws {
        try await connection.run("DELETE FROM user_roles WHERE user_id = \(userID)", logger: logger)
        for role in Set(roles) {
            guard !(try await connection.rows("SELECT 1 FROM roles WHERE name = \(role)", logger: logger)).isEmpty
            else { throw StorageError.notFound("role \(role)") }
            try await connection.run(
                "INSERT INTO user_roles (user_id, role_name) VALUES (\(userID), \(role))",
                logger: logger
            )
        }
    }

    private func user(from row: PostgresRow, on connection: PostgresConnection) async throws -> UserRecord {
        let (id, username, passwordHash, email, firstName, lastName, createdAt) = try row.decode(
            (Int64, String, String, String?, String?, String?, Double).self
        )
        let roles = try await connection.rows(
            "SELECT role_name FROM user_roles WHERE user_id = \(id) ORDER BY role_name",
            logger: logger
        ).map { try $0.decode(String.self) }
        return UserRecord(
            username: username,
            passwordHash: passwordHash,
            email: email,
            firstName: firstName,
            lastName: lastName,
            roles: roles,
            createdAt: Date(storageSeconds: createdAt)
        )
    }
}
