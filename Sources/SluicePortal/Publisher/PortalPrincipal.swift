import Hummingbird
import SluiceControlPlane
import SluiceModel

/// The caller of a Publisher or Admin page as the management services see it: the signed-in user with the
/// scopes of the roles storage holds for them now, so a role an administrator just removed stops working at
/// once (as in the REST API, which reads roles on every request).
enum PortalPrincipal {
    /// The signed-in session and its principal.
    /// - Throws: ``PortalError``: a redirect to the area's sign-in page, or a 403 page when the user's current
    ///   roles do not open `area`.
    static func resolve(_ request: Request, portal: Portal, area: PortalArea) async throws -> (
        session: PortalSession, principal: Principal
    ) {
        let session = try portal.requireSignIn(request, area: area)
        guard let username = session.username,
            let principal = try await SubscriberService(services: portal.services).principal(username: username)
        else {
            throw PortalError(Portal.redirect(to: area.signInPath))
        }
        let opens = principal.roles.contains(Role.admin.name) || area.roles.contains(where: principal.roles.contains)
        guard opens else {
            throw PortalError(
                portal.errorPage(
                    .forbidden,
                    title: "Not allowed",
                    message: "Your account cannot use the \(area.title). Ask an administrator for access.",
                    session: session,
                    area: area
                )
            )
        }
        return (session, principal)
    }
}
