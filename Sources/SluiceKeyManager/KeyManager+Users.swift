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
        let hash = configuration.passwordHasher.hash(password)
        try await storage.createUser(UserRecord(username: username, passwordHash: hash, roles: roles, createdAt: now))
    }

    /// Checks a user's password.
    /// - Returns: The user, or nil when unknown or the password is wrong (both take the same time).
    public func authenticateUser(username: String, password: String) async throws -> UserRecord? {
        guard let user = try await storage.user(named: username) else {
            configuration.passwordHasher.simulateVerification(password)
            return nil
        }
        return configuration.passwordHasher.verify(password, against: user.passwordHash) ? user : nil
    }

    /// The scopes a user's roles grant, for role checks of the management REST APIs.
    /// - Parameter username: The user.
    /// - Returns: The union of the scopes of the user's roles; empty for unknown users.
    public func scopes(ofUser username: String) async throws -> Set<String> {
        guard let user = try await storage.user(named: username) else { return [] }
        return try await storage.roles().filter { user.roles.contains($0.name) }
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
