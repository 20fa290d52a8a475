import GRDB

/// `v15-role-aliases`: the roles whose users hold a role too (WSO2's role aliases), as a JSON list per role.
enum RoleAliasMigration {
    static let identifier = "v15-role-aliases"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE roles ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]'")
    }
}
