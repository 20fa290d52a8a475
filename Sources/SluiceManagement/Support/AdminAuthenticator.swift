import Foundation
import SluiceControlPlane
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Synchronization

/// Checks HTTP Basic credentials of users holding the `admin` role, for internal endpoints.
///
/// A PBKDF2 check costs ~100 ms, too slow for every key-validation call of a gateway, so verified credentials
/// are remembered for `cacheLifetime` (``VerifiedCredentialCache``); the role is read afresh on every call, so a
/// demoted administrator is refused at once. Wrong passwords go through the login throttle of the caller's
/// address.
final class AdminAuthenticator: Sendable {
    private let keyManager: KeyManager
    private let verified: VerifiedCredentialCache

    init(keyManager: KeyManager, cacheLifetime: Duration = .seconds(300)) {
        self.keyManager = keyManager
        self.verified = VerifiedCredentialCache(lifetime: cacheLifetime)
    }

    /// Whether the credentials belong to an admin.
    /// - Throws: ``LoginThrottled`` when the caller's address is over its sign-in budget; storage errors.
    func isAdmin(_ credentials: BasicCredentials) async throws -> Bool {
        let user: UserRecord?
        if verified.contains(username: credentials.username, password: credentials.password) {
            user = try await keyManager.storage.user(named: credentials.username)
        } else {
            user = try await keyManager.authenticateUser(
                username: credentials.username,
                password: credentials.password,
                from: ClientAddress.current
            )
            if user != nil { verified.insert(username: credentials.username, password: credentials.password) }
        }
        return user?.roles.contains(Role.admin.name) ?? false
    }
}
