import Foundation
import Hummingbird
import SluiceArtifacts
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// The Publisher at `/publisher`: the APIs, their create/edit forms, the Synapse source view, lifecycle,
/// new versions, documents, subscriptions and usage. Creators, publishers and administrators may enter; what each
/// may do is decided by the management services from the user's current roles (a creator cannot change a
/// lifecycle, as in the REST API). Every change is a POST form carrying the session's CSRF token.
struct PublisherPortal: Sendable {
    let portal: Portal

    var apis: PublisherAPIService { PublisherAPIService(services: portal.services, logger: portal.logger) }

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/publisher") { request, _ in try await list(request) }
        router.get("/publisher/apis/new") { request, _ in try await newAPI(request) }
        addImportRoutes(to: router)
        router.post("/publisher/apis") { request, _ in try await create(request) }
        router.get("/publisher/apis/:apiId") { request, context in
            try await overview(request, apiID: context.parameters.require("apiId"))
        }
        router.get("/publisher/apis/:apiId/edit") { request, context in
            try await edit(request, apiID: context.parameters.require("apiId"))
        }
        router.post("/publisher/apis/:apiId/edit") { request, context in
            try await update(request, apiID: context.parameters.require("apiId"))
        }
        router.post("/publisher/apis/:apiId/lifecycle") { request, context in
            try await changeLifecycle(request, apiID: context.parameters.require("apiId"))
        }
        router.post("/publisher/apis/:apiId/copy") { request, context in
            try await copy(request, apiID: context.parameters.require("apiId"))
        }
        router.post("/publisher/apis/:apiId/delete") { request, context in
            try await delete(request, apiID: context.parameters.require("apiId"))
        }
        router.post("/publisher/apis/:apiId/redeploy") { request, context in
            try await deployPendingChanges(request, apiID: context.parameters.require("apiId"))
        }
        addSourceRoutes(to: router)
        addDocumentRoutes(to: router)
        addSubscriptionRoutes(to: router)
        addAnalyticsRoutes(to: router)
    }

    // MARK: - Shared

    /// The signed-in user of a Publisher page.
    func caller(_ request: Request) async throws -> (session: PortalSession, principal: Principal) {
        try await PortalPrincipal.resolve(request, portal: portal, area: .publisher)
    }

    /// The checked form of a POST (CSRF token, size).
    func form(_ request: Request, _ session: PortalSession) async throws -> PortalForm {
        try await portal.form(request, session: session, area: .publisher)
    }

    /// The tabs of an API's pages.
    func tabs(_ apiID: String, current: String) -> [PortalLayout.Link] {
        let base = "/publisher/apis/\(apiID)"
        return [
            ("Overview", base), ("Edit", base + "/edit"), ("Source", base + "/source"),
            ("Documents", base + "/documents"), ("Subscriptions", base + "/subscriptions"), ("Usage", base + "/usage"),
        ].map { PortalLayout.Link(label: $0.0, href: $0.1, current: $0.0 == current) }
    }

    /// The header facts every API page shows.
    func summary(_ record: APIRecord) -> [String: Any] {
        [
            "id": record.id, "apiID": record.id, "name": record.name, "version": record.version,
            "context": record.context,
            "provider": record.provider, "state": record.lifecycleState.rawValue,
            "stateClass": record.lifecycleState.rawValue.lowercased(),
        ]
    }

    /// Runs a form's action, then redirects to the page and flash message it returns; a refusal the services
    /// explain goes back to `failurePath` with the explanation as an error flash.
    func redirectAfter(
        _ session: PortalSession,
        onFailure failurePath: String,
        _ action: () async throws -> (path: String, message: String)
    ) async throws -> Response {
        do {
            let (path, message) = try await action()
            return portal.redirect(to: path, flash: .init(message), session: session)
        } catch {
            guard let messages = Self.messages(for: error) else { throw error }
            return portal.redirect(
                to: failurePath,
                flash: .init(messages.joined(separator: " "), isError: true),
                session: session
            )
        }
    }

    /// A sentence for what a service refused, for a flash message or a form.
    static func messages(for error: any Error) -> [String]? {
        switch error {
        case let error as ManagementError where error.status.code < 500:
            return error.items.isEmpty ? [error.detail] : error.items.map(\.description)
        case let error as APIValidationError:
            return error.issues.map(\.description)
        case let error as LifecycleError:
            if let validation = error.validationError { return validation.issues.map(\.description) }
            return [error.description]
        default:
            return nil
        }
    }

    // MARK: - List

    private func list(_ request: Request) async throws -> Response {
        let (session, principal) = try await caller(request)
        let query = request.uri.queryParameters.get("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        let mineOnly = request.uri.queryParameters.get("mine") == "1"
        let records = try await apis.apis(containing: query, provider: mineOnly ? principal.username : nil)
            .sorted { ($0.name.lowercased(), $0.version) < ($1.name.lowercased(), $1.version) }
        let rows: [[String: Any]] = records.map { record in
            var row = summary(record)
            row["description"] = record.description ?? ""
            row["hasDescription"] = !(record.description ?? "").isEmpty
            row["updated"] = Self.date(record.updatedAt)
            return row
        }
        return portal.page(
            "publisher/list",
            title: "APIs",
            session: session,
            area: .publisher,
            values: [
                "apis": rows, "hasAPIs": !rows.isEmpty, "query": query, "mineOnly": mineOnly,
                "canCreate": principal.has("apim:api_create"),
            ]
        )
    }

    // MARK: - Overview

    private func overview(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let record = try await apis.api(apiID)
        let definition = apis.definition(of: record)
        let buttons = LifecycleButtons(state: record.lifecycleState, canChange: principal.has("apim:api_publish"))
        let endpoints = definition.endpointConfig
        var values = summary(record)
        values["tabs"] = tabs(apiID, current: "Overview")
        values["description"] = record.description ?? ""
        values["hasDescription"] = !(record.description ?? "").isEmpty
        values["tags"] = record.tags
        values["hasTags"] = !record.tags.isEmpty
        values["visibility"] = record.visibility
        values["isDefaultVersion"] = record.isDefaultVersion
        let production = endpoints?.productionEndpoints.first?.url ?? ""
        let sandbox = endpoints?.sandboxEndpoints.first?.url ?? ""
        values["production"] = production
        values["hasProduction"] = !production.isEmpty
        values["sandbox"] = sandbox
        values["hasSandbox"] = !sandbox.isEmpty
        values["policies"] = definition.policies.isEmpty ? [ThrottleTier.unlimited.name] : definition.policies
        values["resources"] = definition.effectiveOperations.map { operation in
            [
                "verb": operation.verb, "verbClass": operation.verb.lowercased(), "target": operation.target,
                "auth": operation.normalizedAuthType ?? "Any", "tier": operation.throttlingPolicy ?? "API default",
            ]
        }
        values["cors"] = definition.corsConfiguration?.corsConfigurationEnabled == true ? "Enabled" : "Gateway default"
        values["hasSourceOverride"] = apis.hasSourceOverride(record)
        values["hasPendingChanges"] = apis.hasPendingChanges(record)
        values["canDeploy"] = principal.has("apim:api_publish")
        values["lifecycle"] = buttons
        values["canCopy"] = principal.has("apim:api_create")
        values["canDelete"] = principal.has("apim:api_delete")
        let gatewayURL = portal.configuration.gatewayBaseURL.map { $0 + record.context + "/" + record.version }
        values["gatewayURL"] = gatewayURL ?? ""
        values["hasGatewayURL"] = gatewayURL != nil
        let history = try await apis.lifecycleHistory(apiID).suffix(8).reversed().map {
            [
                "from": $0.previousState?.rawValue ?? "—", "to": $0.newState.rawValue, "actor": $0.actor,
                "when": Self.date($0.changedAt),
            ]
        }
        values["history"] = history
        values["hasHistory"] = !history.isEmpty
        return portal.page("publisher/overview", title: record.name, session: session, area: .publisher, values: values)
    }

    // MARK: - Lifecycle, copy, delete

    private func changeLifecycle(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let form = try await form(request, session)
        let back = "/publisher/apis/\(apiID)"
        guard let name = form.text("action"), let action = LifecycleAction(rawValue: name) else {
            return portal.redirect(to: back, flash: .init("Unknown lifecycle action", isError: true), session: session)
        }
        return try await redirectAfter(session, onFailure: back) {
            let updated = try await apis.changeLifecycle(
                action,
                apiID: apiID,
                deprecateOldVersions: form["deprecateOldVersions"] != nil,
                requireResubscription: form["requireResubscription"] != nil,
                by: principal
            )
            let state = updated.lifecycleState.rawValue
            return (back, "\(action.rawValue): \(updated.name) \(updated.version) is now \(state)")
        }
    }

    /// Deploys the edits a creator made to the live API (publishers only).
    private func deployPendingChanges(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        _ = try await form(request, session)
        let back = "/publisher/apis/\(apiID)"
        return try await redirectAfter(session, onFailure: back) {
            let updated = try await apis.deployPendingChanges(apiID: apiID, by: principal)
            return (back, "Deployed the pending edits of \(updated.name) \(updated.version)")
        }
    }

    private func copy(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let form = try await form(request, session)
        guard let version = form.text("newVersion") else {
            return portal.redirect(
                to: "/publisher/apis/\(apiID)",
                flash: .init("Enter the new version", isError: true),
                session: session
            )
        }
        return try await redirectAfter(session, onFailure: "/publisher/apis/\(apiID)") {
            let copy = try await apis.copy(
                apiID: apiID,
                newVersion: version,
                isDefaultVersion: form["isDefaultVersion"] != nil,
                by: principal
            )
            return ("/publisher/apis/\(copy.id)", "Created version \(copy.version) of \(copy.name)")
        }
    }

    private func delete(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        _ = try await form(request, session)
        let record = try await apis.api(apiID)
        return try await redirectAfter(session, onFailure: "/publisher/apis/\(apiID)") {
            try await apis.delete(apiID: apiID, by: principal)
            return ("/publisher", "Deleted \(record.name) \(record.version)")
        }
    }

    /// `2026-11-29 20:41 UTC`.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
