import GRDB

/// `v5-document-file`: the file name of an uploaded (`FILE`) document; its bytes and media type use the
/// `content` and `content_type` columns `v1-core` already has.
enum DocumentFileMigration {
    static let identifier = "v5-document-file"

    static func migrate(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE api_documents ADD COLUMN file_name TEXT")
    }
}
