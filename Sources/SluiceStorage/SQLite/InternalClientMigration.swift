import GRDB

/// `v6-internal-client`: marks the OAuth clients registered through dynamic client registration, which the
/// developer portal does not list. Clients registered before this migration are recognised by the description
/// the registration endpoint gave them.
enum InternalClientMigration {
    static let identifier = "v6-internal-client"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE applications ADD COLUMN internal INTEGER NOT NULL DEFAULT 0")
        try db.execute(
            sql: "UPDATE applications SET internal = 1 WHERE description = ?",
            arguments: ["OAuth client registered through /client-registration/v0.17/register"]
        )
    }
}
