import Foundation
import Logging
import SluiceModel
public import SluiceStorage

extension KeyManager {
    /// Creates a user with a hashed password.
    /// - Parameters:
    ///   - username: The login name (unique without regard to case).
    ///   - password: The clear-text password; only its PBKDF2 hash is stored.
    ///   - roles: Role names, which must exist.
    /// - Throws: ``StorageError`` for a taken name or an unknown role.
    public func createUser(username: String, password: String, roles: [String]) async throws {
        let hash = try await hashPassword(password)
        try await storage.createUser(UserRecord(username: username, passwordHash: hash, roles: roles, createdAt: now))
    }

    /// Hashes a password for storage, on the password-hashing threads (PBKDF2 takes ~100 ms).
    /// - Parameter password: The clear-text password.
    /// - Returns: The encoded hash.
    public func hashPassword(_ password: String) async throws -> String {
        let hasher = configuration.passwordHasher
        return try await PasswordHashingPool.run { hasher.hash(password) }
    }

    /// Checks a user's password.
    /// - Parameters:
    ///   - username: The login name.
    ///   - password: The presented password.
    ///   - address: The caller's address, for the ``loginThrottle``; nil for in-process callers.
    /// - Returns: The user, or nil when unknown or the password is wrong (both take the same time).
    /// - Throws: ``LoginThrottled`` when the throttle refuses the attempt (no password is checked); storage errors.
    public func authenticateUser(username: String, password: String, from address: String? = nil) async throws
        -> UserRecord?
    {
        try await throttled(username, from: address, secret: .password) { () async throws -> UserRecord? in
            let hasher = configuration.passwordHasher
            guard let user = try await storage.user(named: username) else {
                try await PasswordHashingPool.run { hasher.simulateVerification(password) }
                return nil
            }
            let matches = try await PasswordHashingPool.run { hasher.verify(password, against: user.passwordHash) }
            return matches ? user : nil
        }
    }

    /// Replaces a user's roles. When they change, every live token of the user (access and refresh, their own and
    /// their applications' client-credentials tokens) is revoked and gateways drop it from their caches at once:
    /// the scopes those tokens carry were granted for the old roles.
    /// - Parameters:
    ///   - roles: Role names, which must exist.
    ///   - username: The user.
    /// - Returns: The user as stored now.
    /// - Throws: ``StorageError`` for an unknown user or role.
    @discardableResult
    public func setRoles(_ roles: [String], forUser username: String) async throws -> UserRecord {
        guard let user = try await storage.user(named: username) else {
            throw StorageError.notFound("user \(username)")
        }
        try await storage.setRoles(roles, forUser: user.username)
        if Set(user.roles) != Set(roles) {
            let revoked = try await revokeTokens(ofUser: user.username)
            logger.info(
                "Roles changed: the user's tokens are revoked",
                metadata: ["sluice.km.user": "\(user.username)", "sluice.km.families": "\(revoked)"]
            )
        }
        guard let updated = try await storage.user(named: user.username) else {
            throw StorageError.notFound("user \(username)")
        }
        return updated
    }

    /// Removes a user and revokes every live token issued for them.
    /// - Parameter username: The user.
    /// - Returns: False when no such user existed.
    @discardableResult
    public func removeUser(_ username: String) async throws -> Bool {
        guard let user = try await storage.user(named: username) else { return false }
        // Tokens first: a token outliving its user would keep the scopes of roles nobody holds.
        try await revokeTokens(ofUser: user.username)
        return try await storage.deleteUser(named: user.username)
    }

    /// Revokes every token family holding a live token issued for `username`.
    /// - Returns: How many families were revoked.
    @discardableResult
    public func revokeTokens(ofUser username: String) async throws -> Int {
        await flushTokenWrites()
        let families = try await storage.activeTokenFamilies(username: username)
        for family in families { try await revokeFamily(family) }
        return families.count
    }

    /// The scopes a user's roles grant, for role checks of the management REST APIs.
    /// - Parameter username: The user.
    /// - Returns: The union of the scopes of the user's roles; empty for unknown users.
    public func scopes(ofUser username: String) async throws -> Set<String> {
        guard let user = try await storage.user(named: username) else { return [] }
        return Role.held(by: user.roles, in: try await storage.roles())
            .reduce(into: Set<String>()) { $0.formUnion($1.scopes) }
    }

    /// First-start setup: stores the default roles (refreshing their scopes) and, when no user exists yet,
    /// creates the admin user.
    /// - Parameters:
    ///   - adminUsername: The admin's name (`admin` in WSO2).
    ///   - adminPassword: The admin's password (from `SLUICE_ADMIN_PASSWORD` or api-manager.xml); nil makes one up.
    /// - Returns: The made-up password, to be shown once; nil when a password was given or users already existed.
    /// - Throws: Storage errors.
    public func bootstrap(adminUsername: String = "admin", adminPassword: String?) async throws -> String? {
        for role in Role.defaults { try await storage.saveRole(role) }
        guard try await storage.userCount() == 0 else { return nil }
        let password = adminPassword ?? SecretGenerator.randomValue(byteCount: 18)
        try await createUser(username: adminUsername, password: password, roles: [Role.admin.name])
        logger.info("Admin user created", metadata: ["sluice.km.user": "\(adminUsername)"])
        return adminPassword == nil ? password : nil
    }
}
