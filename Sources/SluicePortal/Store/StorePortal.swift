import Foundation
import Hummingbird
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// The Store (developer portal) at `/store`: browse and search APIs, an API's page with rating, comments and
/// subscribing, sign-up, applications with keys, tokens and usage.
struct StorePortal: Sendable {
    let portal: Portal

    var catalog: StoreCatalogService { StoreCatalogService(services: portal.services) }
    var subscribers: SubscriberService { SubscriberService(services: portal.services) }

    /// The caller's applications with their subscription counts, by name ignoring case, as the pages list them.
    func applicationsByName(_ principal: Principal) async throws -> [(application: ApplicationRecord, subscriptions: Int)] {
        try await subscribers.applications(of: principal).sorted {
            $0.application.name.lowercased() < $1.application.name.lowercased()
        }
    }

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/store") { request, _ in try await home(request) }
        router.get("/store/apis") { request, _ in try await browse(request) }
        router.get("/store/apis/:apiId") { request, context in try await apiPage(request, context.parameters.path("apiId")) }
        router.post("/store/apis/:apiId/rating") { request, context in try await rate(request, context.parameters.path("apiId")) }
        router.post("/store/apis/:apiId/comments") { request, context in
            try await comment(request, context.parameters.path("apiId"))
        }
        router.post("/store/apis/:apiId/subscriptions") { request, context in
            try await subscribe(request, context.parameters.path("apiId"))
        }
        addAccountRoutes(to: router)
        addApplicationRoutes(to: router)
        addTryItRoutes(to: router)
    }

    // MARK: - Who is asking

    /// The browser's session and, when someone is signed in, their principal (for visibility and own ratings).
    func viewer(_ request: Request) async throws -> (session: PortalSession?, principal: Principal?) {
        let session = portal.session(for: request)
        guard let username = session?.username else { return (session, nil) }
        return (session, try await subscribers.principal(username: username))
    }

    /// The signed-in subscriber.
    /// - Throws: ``PortalError``: a redirect to the Store's sign-in page, or a 403 page for users without the
    ///   subscriber role.
    func subscriber(_ request: Request) async throws -> (session: PortalSession, principal: Principal) {
        let session = try portal.requireSignIn(request, area: .store)
        guard let username = session.username, let principal = try await subscribers.principal(username: username) else {
            portal.sessions.remove(id: session.id)
            throw PortalError(Portal.redirect(to: PortalArea.store.signInPath))
        }
        return (session, principal)
    }

    /// Runs a form action; a 400 or 409 from the services comes back as an error message on `back`, anything
    /// else (404 for another user's object) propagates as an error page.
    func perform(
        _ session: PortalSession,
        back: String,
        _ action: () async throws -> (location: String, message: String)
    ) async throws -> Response {
        do {
            let (location, message) = try await action()
            return portal.redirect(to: location, flash: PortalSession.Flash(message), session: session)
        } catch let error as ManagementError where error.status == .badRequest || error.status == .conflict {
            return portal.redirect(to: back, flash: PortalSession.Flash(error.detail, isError: true), session: session)
        }
    }

    // MARK: - Catalogue

    private func home(_ request: Request) async throws -> Response {
        let (session, principal) = try await viewer(request)
        let all = try await catalog.browse(query: "", order: .name, principal: principal)
        let topRated = all.filter { $0.rating > 0 }.sorted { ($0.rating, $1.api.name) > ($1.rating, $0.api.name) }
        let newest = all.sorted { $0.api.createdAt > $1.api.createdAt }
        return portal.page(
            "store/home",
            title: "Discover APIs",
            session: session,
            area: .store,
            values: [
                "subnav": StoreViews.subnav(.apis, signedIn: session?.isSignedIn ?? false),
                "countLabel": all.count == 1 ? "1 API" : "\(all.count) APIs",
                "hasAPIs": !all.isEmpty,
                "topRated": topRated.prefix(4).map(StoreViews.card),
                "hasTopRated": !topRated.isEmpty,
                "newest": newest.prefix(4).map(StoreViews.card),
                "tags": StoreViews.tagCloud(try await catalog.tags(principal: principal)),
            ]
        )
    }

    private func browse(_ request: Request) async throws -> Response {
        let (session, principal) = try await viewer(request)
        let query = request.uri.queryParameters["q"].map(String.init) ?? ""
        let orderName = request.uri.queryParameters["sort"].map(String.init) ?? "name"
        let order = StoreCatalogService.Order(rawValue: orderName) ?? .name
        var problem: String?
        var results: [StoreCatalogService.Listing] = []
        do {
            results = try await catalog.browse(query: query, order: order, principal: principal)
        } catch let error as ManagementError where error.status == .badRequest {
            problem = error.detail
        }
        var values: [String: Any] = [
            "subnav": StoreViews.subnav(.apis, signedIn: session?.isSignedIn ?? false),
            "query": query,
            "apis": results.map(StoreViews.card),
            "countLabel": results.count == 1 ? "1 found" : "\(results.count) found",
            "orders": StoreCatalogService.Order.allCases.map { candidate in
                ["value": candidate.rawValue, "label": StoreViews.orderLabel(candidate), "selected": candidate == order]
            },
            "tags": StoreViews.tagCloud(try await catalog.tags(principal: principal)),
        ]
        if let problem { values["problem"] = problem }
        return portal.page(
            "store/apis",
            title: query.isEmpty ? "All APIs" : "Search: \(query)",
            session: session,
            area: .store,
            values: values
        )
    }

    /// The API's page; `tryIt` adds what the console sent and the answer it got.
    func apiPage(
        _ request: Request,
        _ apiID: String,
        tryIt: (form: TryItService.Form, result: [String: Any])? = nil
    ) async throws -> Response {
        let (session, principal) = try await viewer(request)
        let page = try await catalog.page(apiID: apiID, principal: principal)
        var applications: [[String: Any]] = []
        var subscribed: [(id: String, name: String)] = []
        if let principal, session?.hasAny(of: PortalArea.store.roles) == true {
            for (application, _) in try await applicationsByName(principal) {
                let subscriptions = try await subscribers.subscriptions(applicationID: application.id, principal: principal)
                if subscriptions.contains(where: { $0.apiID == apiID }) {
                    subscribed.append((application.id, application.name))
                } else {
                    applications.append(["id": application.id, "name": application.name])
                }
            }
        }
        var values = StoreViews.apiPage(
            page,
            gatewayBaseURL: portal.configuration.gatewayBaseURL,
            signedIn: principal != nil,
            applications: applications,
            subscribedWith: subscribed.map(\.name)
        )
        values["tryIt"] = StoreViews.tryIt(
            page.definition,
            applications: subscribed,
            form: tryIt?.form,
            result: tryIt?.result
        )
        return portal.page(
            "store/api",
            title: "\(page.api.name) \(page.api.version)",
            session: session,
            area: .store,
            values: values
        )
    }

    private func rate(_ request: Request, _ apiID: String) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        let form = try await portal.form(request, session: session, area: .store)
        let back = "/store/apis/\(apiID)"
        return try await perform(session, back: back) {
            guard let rating = form.text("rating").flatMap(Int.init) else {
                throw ManagementError.badRequest("Choose a rating from 1 to 5")
            }
            try await catalog.rate(apiID: apiID, rating: rating, principal: principal)
            return (back, "Thanks for rating: \(rating) of 5.")
        }
    }

    private func comment(_ request: Request, _ apiID: String) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        let form = try await portal.form(request, session: session, area: .store)
        let back = "/store/apis/\(apiID)"
        return try await perform(session, back: back) {
            try await catalog.comment(apiID: apiID, content: form["content"] ?? "", principal: principal)
            return (back + "#comments", "Your comment was added.")
        }
    }

    private func subscribe(_ request: Request, _ apiID: String) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        let form = try await portal.form(request, session: session, area: .store)
        let back = "/store/apis/\(apiID)"
        return try await perform(session, back: back) {
            guard let applicationID = form.text("applicationId"), let tier = form.text("tier") else {
                throw ManagementError.badRequest("Choose an application and a tier")
            }
            let subscription = try await subscribers.subscribe(
                applicationID: applicationID,
                apiID: apiID,
                tier: tier,
                principal: principal
            )
            return (
                "/store/applications/\(applicationID)",
                "Subscribed to \(subscription.apiName ?? "the API") with the \(tier) tier."
            )
        }
    }
}
