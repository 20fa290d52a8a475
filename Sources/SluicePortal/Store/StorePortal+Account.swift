import Hummingbird
import SluiceControlPlane
import SluiceModel

extension StorePortal {
    /// `GET|POST /store/signup`: self sign-up with the REST API's rules; the new subscriber is signed in.
    func addAccountRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/store/signup") { request, _ in signUpForm(request) }
        router.post("/store/signup") { request, _ in try await signUp(request) }
    }

    private func signUpForm(_ request: Request) -> Response {
        let (session, isNew) = portal.sessionOrAnonymous(for: request)
        if session.isSignedIn { return Portal.redirect(to: "/store/applications") }
        var headers: HTTPFields = [:]
        if isNew { headers[.setCookie] = portal.cookieHeader(for: session) }
        return signUpPage(session: session, fields: [:], problem: nil, headers: headers)
    }

    private func signUp(_ request: Request) async throws -> Response {
        let session = portal.session(for: request)
        let form = try await portal.form(request, session: session, area: .store)
        let fields = [
            "username": form.text("username") ?? "",
            "email": form.text("email") ?? "",
            "firstName": form.text("firstName") ?? "",
            "lastName": form.text("lastName") ?? "",
        ]
        let password = form["password"] ?? ""
        guard password == (form["confirmPassword"] ?? "") else {
            return signUpPage(session: session, fields: fields, problem: "The passwords do not match")
        }
        do {
            let (user, _) = try await subscribers.signUp(
                SubscriberService.Signup(
                    username: fields["username"] ?? "",
                    password: password,
                    email: fields["email"] ?? "",
                    firstName: fields["firstName"] ?? "",
                    lastName: fields["lastName"] ?? ""
                )
            )
            portal.logger.info("Subscriber signed up in the Store", metadata: ["sluice.user": "\(user.username)"])
            if let session { portal.sessions.remove(id: session.id) }
            let signedIn = portal.sessions.create(
                username: user.username,
                roles: user.roles,
                flash: PortalSession.Flash("Welcome, \(user.firstName ?? user.username)! Your DefaultApplication is ready.")
            )
            return Portal.redirect(to: "/store/applications", headers: [.setCookie: portal.cookieHeader(for: signedIn)])
        } catch let error as ManagementError where error.status == .badRequest || error.status == .conflict {
            return signUpPage(session: session, fields: fields, problem: Self.readable(error.detail))
        }
    }

    /// The REST API names fields as in JSON (`firstName`); the form shows labels.
    static func readable(_ detail: String) -> String {
        detail.replacingOccurrences(of: "firstName", with: "First name")
            .replacingOccurrences(of: "lastName", with: "Last name")
            .replacingOccurrences(of: "username", with: "Username")
            .replacingOccurrences(of: "password", with: "Password")
            .replacingOccurrences(of: "email", with: "E-mail")
    }

    private func signUpPage(
        session: PortalSession?,
        fields: [String: String],
        problem: String?,
        headers: HTTPFields = [:]
    ) -> Response {
        var values: [String: Any] = fields
        if let problem { values["problem"] = problem }
        return portal.page(
            "store/signup",
            title: "Create an account",
            session: session,
            area: .store,
            values: values,
            status: problem == nil ? .ok : .badRequest,
            headers: headers
        )
    }
}
