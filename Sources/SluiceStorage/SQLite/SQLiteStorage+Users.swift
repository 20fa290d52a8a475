import Foundation
import GRDB
public import SluiceModel

extension SQLiteStorage: UserRepository {
    public func createUser(_ user: UserRecord) async throws {
        try await write("user \(user.username)") { db in
            try db.execute(
                sql: """
                    INSERT INTO users (username, password_hash, email, first_name, last_name, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    user.username, user.passwordHash, user.email, user.firstName, user.lastName,
                    user.createdAt.storageSeconds,
                ]
            )
            try Self.replaceRoles(user.roles, userID: db.lastInsertedRowID, db: db)
        }
    }

    public func user(named username: String) async throws -> UserRecord? {
        try await read { db in
            // Cached statements: every token the endpoint issues reads its user (no SQL compiled per token).
            let statement = try db.cachedStatement(sql: "SELECT * FROM users WHERE username = ?")
            guard let row = try Row.fetchOne(statement, arguments: [username]) else { return nil }
            return try Self.user(from: row, db: db)
        }
    }

    public func users() async throws -> [UserRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY username").map { try Self.user(from: $0, db: db) }
        }
    }

    public func userCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0 }
    }

    public func setPasswordHash(_ passwordHash: String, forUser username: String) async throws {
        try await write("user \(username)") { db in
            try db.execute(
                sql: "UPDATE users SET password_hash = ? WHERE username = ?",
                arguments: [passwordHash, username]
            )
            if db.changesCount == 0 { throw StorageError.notFound("user \(username)") }
        }
    }

    public func setRoles(_ roles: [String], forUser username: String) async throws {
        try await write("roles of \(username)") { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE username = ?", arguments: [username])
            else { throw StorageError.notFound("user \(username)") }
            try Self.replaceRoles(roles, userID: id, db: db)
        }
    }

    public func deleteUser(named username: String) async throws -> Bool {
        try await write("user \(username)") { db in
            try db.execute(sql: "DELETE FROM users WHERE username = ?", arguments: [username])
            return db.changesCount > 0
        }
    }

    public func saveRole(_ role: Role) async throws {
        try await write("role \(role.name)") { db in
            try db.execute(
                sql: """
                    INSERT INTO roles (name, scopes, aliases) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET scopes = excluded.scopes, aliases = excluded.aliases
                    """,
                arguments: [role.name, role.scopes.sorted().storageList, role.aliases.storageJSON]
            )
        }
    }

    public func roles() async throws -> [Role] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT name, scopes, aliases FROM roles ORDER BY name").map { row in
                Role(
                    name: row["name"],
                    scopes: Set([String](storageList: row["scopes"])),
                    aliases: [String](storageJSON: row["aliases"])
                )
            }
        }
    }

    private static func replaceRoles(_ roles: [String], userID: Int64, db: Database) throws {
        try db.execute(sql: "DELETE FROM user_roles WHERE user_id = ?", arguments: [userID])
        for role in Set(roles) {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM roles WHERE name = ?", arguments: [role]) != nil else {
                throw StorageError.notFound("role \(role)")
            }
            try db.execute(sql: "INSERT INTO user_roles (user_id, role_name) VALUES (?, ?)", arguments: [userID, role])
        }
    }

    private static func user(from row: Row, db: Database) throws -> UserRecord {
        let id: Int64 = row["id"]
        let roles = try String.fetchAll(
            db.cachedStatement(sql: "SELECT role_name FROM user_roles WHERE user_id = ? ORDER BY role_name"),
            arguments: [id]
        )
        return UserRecord(
            username: row["username"],
            passwordHash: row["password_hash"],
            email: row["email"],
            firstName: row["first_name"],
            lastName: row["last_name"],
            roles: roles,
            createdAt: Date(storageSeconds: row["created_at"])
        )
    }
}
