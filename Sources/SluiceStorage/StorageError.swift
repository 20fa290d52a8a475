/// An error from a storage implementation, free of any database driver's types.
public struct StorageError: Error, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// A row with the same unique key exists.
        case duplicate
        /// A row the operation refers to does not exist.
        case notFound
        /// The database could not be opened or migrated.
        case unavailable
    }

    /// What went wrong.
    public var code: Code
    /// A short description without secrets.
    public var message: String

    /// A unique key is taken.
    /// - Parameter what: The entity that already exists.
    public static func duplicate(_ what: String) -> StorageError {
        StorageError(code: .duplicate, message: "\(what) already exists")
    }

    /// A referenced row is missing.
    /// - Parameter what: The entity that was not found.
    public static func notFound(_ what: String) -> StorageError {
        StorageError(code: .notFound, message: "\(what) not found")
    }

    /// The database cannot be used.
    /// - Parameter reason: Why.
    public static func unavailable(_ reason: String) -> StorageError {
        StorageError(code: .unavailable, message: reason)
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
