import Foundation
import Hummingbird
import SluiceControlPlane
import SluiceKeyManager
import SluiceStorage

/// `GET|POST /{store,publisher,admin}/signin` and `POST /portal/signout`, for every area alike.
///
/// Passwords are checked through the key manager's login throttle, the same one REST Basic auth and the password
/// grant use: repeated failures slow down the (name, address) that made them and the address, never the account
/// for everyone.
struct SignInPages: Sendable {
    let portal: Portal

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        for area in PortalArea.allCases {
            router.get(RouterPath(area.signInPath)) { request, _ in showForm(request, area: area) }
            router.post(RouterPath(area.signInPath)) { request, _ in try await signIn(request, area: area) }
        }
        router.post("/portal/signout") { request, _ in try await signOut(request) }
    }

    private func showForm(_ request: Request, area: PortalArea) -> Response {
        let (session, isNew) = portal.sessionOrAnonymous(for: request)
        let next = Portal.safeNext(request.uri.queryParameters["next"].map(String.init), fallback: area.path)
        if session.isSignedIn, session.hasAny(of: area.roles) { return Portal.redirect(to: next) }
        return signInPage(
            area: area, session: session, next: next, username: "", failed: false, paused: false, setCookie: isNew
        )
    }

    private func signIn(_ request: Request, area: PortalArea) async throws -> Response {
        let session = portal.session(for: request)
        let form = try await portal.form(request, session: session, area: area)
        let next = Portal.safeNext(form["next"], fallback: area.path)
        let username = form.text("username") ?? ""
        let password = form["password"] ?? ""
        var user: UserRecord?
        if !username.isEmpty, !password.isEmpty, username.count <= 200, password.count <= 1_000 {
            do {
                user = try await portal.services.authenticator.user(username: username, password: password)
            } catch let error as LoginThrottled {
                portal.logger.notice("Portal sign-in paused after repeated failures", metadata: ["sluice.area": "\(area.rawValue)"])
                var page = signInPage(
                    area: area, session: session, next: next, username: username, failed: false, paused: true, setCookie: false
                )
                page.headers[.retryAfter] = String(error.retryAfter)
                return page
            }
        }
        guard let user else {
            portal.logger.notice("Portal sign-in failed", metadata: ["sluice.area": "\(area.rawValue)"])
            return signInPage(
                area: area, session: session, next: next, username: username, failed: true, paused: false, setCookie: false
            )
        }
        // A new id at sign-in: an id planted in the browser before (session fixation) signs nobody in.
        if let session { portal.sessions.remove(id: session.id) }
        let signedIn = portal.sessions.create(
            username: user.username,
            roles: user.roles,
            flash: PortalSession.Flash("Signed in as \(user.username).")
        )
        portal.logger.info("Portal sign-in", metadata: ["sluice.user": "\(user.username)", "sluice.area": "\(area.rawValue)"])
        return Portal.redirect(to: next, headers: [.setCookie: portal.cookieHeader(for: signedIn)])
    }

    private func signOut(_ request: Request) async throws -> Response {
        let session = portal.session(for: request)
        _ = try await portal.form(request, session: session, area: .store)
        if let session { portal.sessions.remove(id: session.id) }
        let fresh = portal.sessions.create(flash: PortalSession.Flash("Signed out."))
        return Portal.redirect(to: PortalArea.store.path, headers: [.setCookie: portal.cookieHeader(for: fresh)])
    }

    private func signInPage(
        area: PortalArea,
        session: PortalSession?,
        next: String,
        username: String,
        failed: Bool,
        paused: Bool,
        setCookie: Bool
    ) -> Response {
        var headers: HTTPFields = [:]
        if setCookie, let session { headers[.setCookie] = portal.cookieHeader(for: session) }
        return portal.page(
            "shared/signin",
            title: "Sign in to the \(area.title)",
            session: session,
            area: area,
            values: [
                "action": area.signInPath,
                "next": next,
                "username": username,
                "failed": failed,
                "paused": paused,
                "signUpHref": area == .store ? "/store/signup" : "",
                "offersSignUp": area == .store,
            ],
            status: paused ? .tooManyRequests : failed ? .unauthorized : .ok,
            headers: headers
        )
    }
}
