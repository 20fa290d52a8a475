import SluiceControlPlane
import SluiceModel

/// Checks HTTP Basic credentials of users holding the `admin` role, for internal endpoints (key validation,
/// introspection, `/metrics`).
///
/// It asks the management server's one ``ManagementAuthenticator``, so a gateway's key-validation calls share
/// its credential cache and login throttle; the role is read afresh on every call, so a demoted administrator is
/// refused at once.
struct AdminAuthenticator: Sendable {
    let authenticator: ManagementAuthenticator

    /// Whether the credentials belong to an admin.
    /// - Throws: ``LoginThrottled`` when the caller's address is over its sign-in budget; storage errors.
    func isAdmin(_ credentials: BasicCredentials) async throws -> Bool {
        let user = try await authenticator.verifiedUser(username: credentials.username, password: credentials.password)
        return user?.roles.contains(Role.admin.name) ?? false
    }
}
