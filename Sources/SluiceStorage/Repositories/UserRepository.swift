public import SluiceModel

/// Users and roles.
///
/// ```swift
/// try await users.createUser(UserRecord(username: "alice", passwordHash: hash, roles: ["Internal/subscriber"],
///                                       createdAt: .now))
/// let alice = try await users.user(named: "alice")
/// ```
public protocol UserRepository: Sendable {
    /// Stores a new user with its roles.
    /// - Throws: ``StorageError/duplicate(_:)`` when the name is taken (case-insensitively),
    ///   ``StorageError/notFound(_:)`` when a role does not exist.
    func createUser(_ user: UserRecord) async throws
    /// The user with this name, compared without regard to case.
    func user(named username: String) async throws -> UserRecord?
    /// Every user, ordered by name.
    func users() async throws -> [UserRecord]
    /// How many users exist.
    func userCount() async throws -> Int
    /// Replaces a user's password hash.
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown user.
    func setPasswordHash(_ passwordHash: String, forUser username: String) async throws
    /// Replaces a user's roles.
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown user or role.
    func setRoles(_ roles: [String], forUser username: String) async throws
    /// Deletes a user and their role assignments; their applications stay (an administrator may reassign them).
    /// - Returns: False when no such user existed.
    func deleteUser(named username: String) async throws -> Bool
    /// Creates the role or replaces its scopes.
    func saveRole(_ role: Role) async throws
    /// Every role, ordered by name.
    func roles() async throws -> [Role]
}
