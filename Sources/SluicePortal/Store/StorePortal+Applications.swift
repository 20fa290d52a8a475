import Foundation
import Hummingbird
import SluiceKeyManager
import SluiceControlPlane
import SluiceModel
import SluiceStorage

extension StorePortal {
    /// What one response shows once and no page shows again: a consumer secret, or an access token.
    enum OneTime {
        case secret(KeyType, GeneratedKeys)
        case token(KeyType, TokenResponse)
        case apiKey(KeyType, String, validityPeriod: Int64)
    }

    func addApplicationRoutes<Context: RequestContext>(to router: Router<Context>) {
        let base = "/store/applications"
        router.get(RouterPath(base)) { request, _ in try await applications(request) }
        router.post(RouterPath(base)) { request, _ in try await create(request) }
        router.get("\(base)/:applicationId") { request, context in
            let (session, principal) = try await subscriber(request)
            return try await applicationPage(context.parameters.path("applicationId"), session: session, principal: principal)
        }
        router.post("\(base)/:applicationId") { request, context in
            try await update(request, context.parameters.path("applicationId"))
        }
        router.post("\(base)/:applicationId/delete") { request, context in
            try await delete(request, context.parameters.path("applicationId"))
        }
        router.post("\(base)/:applicationId/keys/:keyType/:operation") { request, context in
            try await keyOperation(
                request,
                context.parameters.path("applicationId"),
                keyType: context.parameters.path("keyType"),
                operation: context.parameters.path("operation")
            )
        }
        router.post("\(base)/:applicationId/subscriptions/:subscriptionId/delete") { request, context in
            try await unsubscribe(
                request,
                context.parameters.path("applicationId"),
                context.parameters.path("subscriptionId")
            )
        }
        router.get("\(base)/:applicationId/usage") { request, context in
            try await usage(request, context.parameters.path("applicationId"))
        }
        router.get("\(base)/:applicationId/usage.csv") { request, context in
            try await usage(request, context.parameters.path("applicationId"), csv: true)
        }
    }

    // MARK: - List, create, edit, delete

    private func applications(_ request: Request) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        let applications = try await applicationsByName(principal)
        let tiers = try await subscribers.applicationTiers()
        return portal.page(
            "store/applications",
            title: "Applications",
            session: session,
            area: .store,
            values: [
                "subnav": StoreViews.subnav(.applications, signedIn: true),
                "applications": applications.map { entry in
                    [
                        "id": entry.application.id,
                        "name": entry.application.name,
                        "tier": entry.application.throttlingTier,
                        "description": entry.application.description ?? "",
                        "hasDescription": !(entry.application.description ?? "").isEmpty,
                        "subscriptions": entry.subscriptions,
                        "created": StoreViews.date(entry.application.createdAt),
                    ] as [String: Any]
                },
                "hasApplications": !applications.isEmpty,
                "tiers": Self.tierOptions(tiers, selected: portal.services.configuration.defaultApplicationTier),
            ]
        )
    }

    private func create(_ request: Request) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        let form = try await portal.form(request, session: session, area: .store)
        return try await perform(session, back: "/store/applications") {
            let application = try await subscribers.createApplication(
                name: form.text("name") ?? "",
                tier: form.text("tier") ?? "",
                description: form.text("description"),
                principal: principal
            )
            return ("/store/applications/\(application.id)", "Created the application \(application.name).")
        }
    }

    private func update(_ request: Request, _ id: String) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        let form = try await portal.form(request, session: session, area: .store)
        return try await perform(session, back: "/store/applications/\(id)") {
            let application = try await subscribers.updateApplication(
                id,
                name: form.text("name") ?? "",
                tier: form.text("tier") ?? "",
                description: form.text("description"),
                principal: principal
            )
            return ("/store/applications/\(id)", "Saved \(application.name).")
        }
    }

    private func delete(_ request: Request, _ id: String) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        _ = try await portal.form(request, session: session, area: .store)
        let application = try await subscribers.application(id, principal: principal)
        try await subscribers.deleteApplication(id, principal: principal)
        return portal.redirect(
            to: "/store/applications",
            flash: PortalSession.Flash("Deleted the application \(application.name)."),
            session: session
        )
    }

    private func unsubscribe(_ request: Request, _ applicationID: String, _ subscriptionID: String) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        _ = try await portal.form(request, session: session, area: .store)
        let subscriptions = try await subscribers.subscriptions(applicationID: applicationID, principal: principal)
        guard let subscription = subscriptions.first(where: { $0.id == subscriptionID }) else {
            throw ManagementError.notFound("Subscription \(subscriptionID) not found")
        }
        try await subscribers.unsubscribe(subscriptionID, principal: principal)
        return portal.redirect(
            to: "/store/applications/\(applicationID)",
            flash: PortalSession.Flash("Unsubscribed from \(subscription.apiName ?? subscription.apiContext)."),
            session: session
        )
    }

    // MARK: - Keys and tokens

    private func keyOperation(_ request: Request, _ id: String, keyType: String, operation: String) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        guard let type = KeyType(rawValue: keyType.uppercased()) else {
            throw ManagementError.notFound("No such key type")
        }
        let form = try await portal.form(request, session: session, area: .store)
        let back = "/store/applications/\(id)"
        do {
            switch operation {
            case "generate":
                let keys = try await subscribers.generateKeys(
                    applicationID: id,
                    keyType: type,
                    callbackURL: form["callbackUrl"]?.trimmingCharacters(in: .whitespaces),
                    principal: principal
                )
                return try await applicationPage(id, session: session, principal: principal, oneTime: .secret(type, keys))
            case "regenerate-secret":
                let keys = try await subscribers.regenerateSecret(applicationID: id, keyType: type, principal: principal)
                return try await applicationPage(id, session: session, principal: principal, oneTime: .secret(type, keys))
            case "token":
                let token = try await subscribers.token(
                    applicationID: id,
                    keyType: type,
                    // The signed-in owner needs no secret; one posted anyway (an older form) is checked.
                    consumerSecret: form["consumerSecret"]?.trimmingCharacters(in: .whitespaces),
                    revokingPrevious: form["revokePrevious"] != nil,
                    principal: principal
                )
                return try await applicationPage(id, session: session, principal: principal, oneTime: .token(type, token))
            case "api-key":
                let validity = form["validityPeriod"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
                let generated = try await subscribers.generateAPIKey(
                    KeyManager.APIKeyRequest(
                        keyType: type, validityPeriod: validity, permittedIP: form["permittedIP"],
                        permittedReferer: form["permittedReferer"]
                    ),
                    applicationID: id,
                    principal: principal
                )
                let oneTime = OneTime.apiKey(type, generated.apiKey, validityPeriod: generated.validityPeriod)
                return try await applicationPage(id, session: session, principal: principal, oneTime: oneTime)
            default:
                throw ManagementError.notFound("No such key operation")
            }
        } catch let error as ManagementError where error.status == .badRequest || error.status == .conflict {
            return portal.redirect(to: back, flash: PortalSession.Flash(error.detail, isError: true), session: session)
        }
    }

    // MARK: - The application's page

    /// The application's page; `oneTime` adds the secret or token this response alone shows.
    func applicationPage(
        _ id: String,
        session: PortalSession,
        principal: Principal,
        oneTime: OneTime? = nil
    ) async throws -> Response {
        let application = try await subscribers.application(id, principal: principal)
        let subscriptions = try await subscribers.subscriptions(applicationID: id, principal: principal)
        let keys = try await subscribers.keys(applicationID: id, principal: principal)
        let tiers = try await subscribers.applicationTiers()
        var calls: [[String: Any]] = []
        var token: [String: Any]?
        if case .token(let type, let response) = oneTime, let gateway = portal.configuration.gatewayBaseURL {
            for subscription in subscriptions {
                guard let apiID = subscription.apiID,
                    let page = try await catalog.existingPage(apiID: apiID, principal: principal)
                else { continue }
                let api = page.api
                let call = StoreViews.exampleCall(api: api, definition: page.definition, gatewayBaseURL: gateway)
                calls.append([
                    "api": "\(api.name) \(api.version)",
                    "curl": StoreViews.curl(verb: call.verb, url: call.url, token: response.accessToken),
                    "index": calls.count,
                ])
            }
            token = [
                "keyType": type.rawValue.capitalized,
                "accessToken": response.accessToken,
                "expiresIn": response.expiresIn,
                "calls": calls,
                "hasCalls": !calls.isEmpty,
            ]
        } else if case .token(let type, let response) = oneTime {
            token = ["keyType": type.rawValue.capitalized, "accessToken": response.accessToken, "expiresIn": response.expiresIn]
        }
        let keySections: [[String: Any]] = KeyType.allCases.map { type in
            let record = keys.first { $0.keyType == type }
            var section: [String: Any] = [
                "type": type.rawValue.lowercased(),
                "label": type == .production ? "Production keys" : "Sandbox keys",
                "hasKeys": record != nil,
                "consumerKey": record?.consumerKey ?? "",
                "grantTypes": record?.grantTypes.joined(separator: ", ") ?? "",
                "callbackURL": record?.callbackURL ?? "",
                "hasCallbackURL": !(record?.callbackURL ?? "").isEmpty,
            ]
            if case .secret(let secretType, let generated) = oneTime, secretType == type {
                section["oneTimeSecret"] = generated.consumerSecret
                section["consumerKey"] = generated.consumerKey
                section["hasKeys"] = true
            }
            if case .token(let tokenType, _) = oneTime, tokenType == type, let token { section["token"] = token }
            if case .apiKey(let keyType, let apiKey, let validity) = oneTime, keyType == type {
                section["oneTimeAPIKey"] = apiKey
                section["apiKeyValidity"] = validity < 0 ? "It does not expire." : "Valid for \(validity) seconds."
            }
            return section
        }
        return portal.page(
            "store/application",
            title: application.name,
            session: session,
            area: .store,
            values: [
                "subnav": StoreViews.subnav(.applications, signedIn: true),
                "id": application.id,
                "name": application.name,
                "tier": application.throttlingTier,
                "description": application.description ?? "",
                "created": StoreViews.date(application.createdAt),
                "tiers": Self.tierOptions(tiers, selected: application.throttlingTier),
                "subscriptions": subscriptions.map { subscription in
                    [
                        "id": subscription.id,
                        "applicationId": application.id,
                        "apiId": subscription.apiID ?? "",
                        "api": subscription.apiName ?? subscription.apiContext,
                        "version": subscription.apiVersion,
                        "tier": subscription.tier,
                        "status": subscription.status.rawValue,
                        "statusClass": subscription.status.rawValue.lowercased(),
                    ] as [String: Any]
                },
                "hasSubscriptions": !subscriptions.isEmpty,
                "keys": keySections,
                "gatewayConfigured": portal.configuration.gatewayBaseURL != nil,
            ]
        )
    }

    static func tierOptions(_ tiers: [ThrottleTier], selected: String) -> [[String: Any]] {
        tiers.map { tier in
            let detail = tier.maxCount.map { count in "\(count) requests per \(Self.window(tier.unitTime))" } ?? "no limit"
            return ["name": tier.name, "label": "\(tier.name) (\(detail))", "selected": tier.name == selected]
        }
    }

    /// `60000` → `minute`, `3600000` → `hour`; other windows in seconds.
    static func window(_ milliseconds: Int64) -> String {
        switch milliseconds {
        case 1_000: "second"
        case 60_000: "minute"
        case 3_600_000: "hour"
        case 86_400_000: "day"
        default: "\(milliseconds / 1_000) s"
        }
    }
}
