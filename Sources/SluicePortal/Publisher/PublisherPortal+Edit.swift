import Hummingbird
import SluiceArtifacts
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// Creating and editing APIs through the form; the services run the REST API's checks, and a refused form
/// comes back with the user's values and the reasons.
extension PublisherPortal {
    func newAPI(_ request: Request) async throws -> Response {
        let (session, principal) = try await caller(request)
        try principal.require("apim:api_create")
        return try await formPage(APIForm(), action: "/publisher/apis", isEdit: false, record: nil, session: session)
    }

    func create(_ request: Request) async throws -> Response {
        let (session, principal) = try await caller(request)
        let submitted = APIForm(form: try await form(request, session))
        do {
            let record = try await apis.create(submitted.definition, by: principal)
            return portal.redirect(
                to: "/publisher/apis/\(record.id)",
                flash: .init("Created \(record.name) \(record.version)"),
                session: session
            )
        } catch {
            guard let messages = Self.messages(for: error) else { throw error }
            return try await formPage(
                submitted,
                action: "/publisher/apis",
                isEdit: false,
                record: nil,
                session: session,
                errors: messages
            )
        }
    }

    func edit(_ request: Request, apiID: String) async throws -> Response {
        let (session, _) = try await caller(request)
        let record = try await apis.api(apiID)
        return try await formPage(
            APIForm(definition: apis.definition(of: record)),
            action: "/publisher/apis/\(apiID)/edit",
            isEdit: true,
            record: record,
            session: session
        )
    }

    func update(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let record = try await apis.api(apiID)
        var submitted = APIForm(form: try await form(request, session))
        // Name, context and version are fixed (read-only on the page); what the browser sends is not trusted.
        let stored = apis.definition(of: record)
        submitted.preserved = stored
        submitted.name = stored.name
        submitted.context = stored.context
        submitted.version = stored.version
        do {
            let updated = try await apis.update(apiID: apiID, with: submitted.definition, by: principal)
            return portal.redirect(
                to: "/publisher/apis/\(apiID)",
                flash: .init("Saved \(updated.name) \(updated.version)"),
                session: session
            )
        } catch {
            guard let messages = Self.messages(for: error) else { throw error }
            return try await formPage(
                submitted,
                action: "/publisher/apis/\(apiID)/edit",
                isEdit: true,
                record: record,
                session: session,
                errors: messages
            )
        }
    }

    private func formPage(
        _ form: APIForm,
        action: String,
        isEdit: Bool,
        record: APIRecord?,
        session: PortalSession,
        errors: [String] = []
    ) async throws -> Response {
        let view = APIFormView(
            form: form,
            subscriptionTiers: try await apis.tierNames(.subscription),
            resourceTiers: try await apis.tierNames(.resource),
            action: action,
            isEdit: isEdit,
            errors: errors,
            hasSourceOverride: record.map(apis.hasSourceOverride) ?? false
        )
        var values: [String: Any] = ["form": view]
        if let record {
            values.merge(summary(record)) { first, _ in first }
            values["tabs"] = tabs(record.id, current: "Edit")
            values["hasTabs"] = true
        }
        return portal.page(
            "publisher/api-form",
            title: isEdit ? "Edit \(form.name)" : "New API",
            session: session,
            area: .publisher,
            values: values,
            status: errors.isEmpty ? .ok : .badRequest
        )
    }
}
