public import Foundation

/// A user of the API manager; the password is kept only as a slow salted hash string.
public struct UserRecord: Sendable, Hashable {
    /// The login name, unique without regard to case.
    public var username: String
    /// The encoded password hash (`pbkdf2-sha256$iterations$salt$hash`).
    public var passwordHash: String
    /// Contact address, optional.
    public var email: String?
    /// Given name, when the user gave one (self-signup asks for it).
    public var firstName: String?
    /// Family name, when the user gave one.
    public var lastName: String?
    /// Names of the user's roles.
    public var roles: [String]
    /// When the user was created.
    public var createdAt: Date

    /// Creates a user record.
    public init(
        username: String,
        passwordHash: String,
        email: String? = nil,
        firstName: String? = nil,
        lastName: String? = nil,
        roles: [String],
        createdAt: Date
    ) {
        self.username = username
        self.passwordHash = passwordHash
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.roles = roles
        self.createdAt = createdAt
    }
}
