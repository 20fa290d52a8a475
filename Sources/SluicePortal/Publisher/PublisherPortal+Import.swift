import Foundation
import Hummingbird
import SluiceControlPlane

extension PublisherPortal {
    /// `GET|POST /publisher/apis/import`: an API from a pasted OpenAPI or Swagger document, through the same
    /// import as the REST API's `import-openapi`.
    func addImportRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/publisher/apis/import") { request, _ in try await importPage(request) }
        router.post("/publisher/apis/import") { request, _ in try await importDocument(request) }
    }

    private func importPage(_ request: Request) async throws -> Response {
        let (session, principal) = try await caller(request)
        try principal.require("apim:api_create")
        return importPage(fields: [:], session: session)
    }

    private func importDocument(_ request: Request) async throws -> Response {
        let (session, principal) = try await caller(request)
        let form = try await form(request, session)
        let fields = ["document", "name", "version", "context", "endpoint"].reduce(into: [String: String]()) { fields, name in
            fields[name] = form.text(name) ?? ""
        }
        var properties: [String: Any] = [:]
        for name in ["name", "version", "context"] where !(fields[name] ?? "").isEmpty { properties[name] = fields[name] }
        if let endpoint = fields["endpoint"], !endpoint.isEmpty {
            properties["endpointConfig"] = [
                "endpoint_type": "http", "production_endpoints": ["url": endpoint], "sandbox_endpoints": ["url": endpoint],
            ]
        }
        do {
            let record = try await apis.importOpenAPI(
                document: Data((fields["document"] ?? "").utf8),
                fileName: nil,
                additionalProperties: properties.isEmpty ? nil : try JSONSerialization.data(withJSONObject: properties),
                by: principal
            )
            return portal.redirect(
                to: "/publisher/apis/\(record.id)",
                flash: .init("Created \(record.name) \(record.version) from the OpenAPI document"),
                session: session
            )
        } catch {
            guard let messages = Self.messages(for: error) else { throw error }
            return importPage(fields: fields, errors: messages, session: session)
        }
    }

    private func importPage(fields: [String: String], errors: [String] = [], session: PortalSession) -> Response {
        var values: [String: Any] = fields
        values["errors"] = errors
        values["hasErrors"] = !errors.isEmpty
        return portal.page(
            "publisher/import",
            title: "Import an OpenAPI document",
            session: session,
            area: .publisher,
            values: values,
            status: errors.isEmpty ? .ok : .badRequest
        )
    }
}
