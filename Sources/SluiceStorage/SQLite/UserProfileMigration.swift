import GRDB

/// `v3-user-profile`: first and last name of a user, as self-signup asks for them. Existing users get none.
enum UserProfileMigration {
    static let identifier = "v3-user-profile"

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE users ADD COLUMN first_name TEXT;
                ALTER TABLE users ADD COLUMN last_name TEXT;
                """
        )
    }
}
