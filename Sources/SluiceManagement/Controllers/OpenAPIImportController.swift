import Foundation
import Hummingbird
import Logging
import SluiceArtifacts
import SluiceControlPlane

/// WSO2's `POST /apis/import-openapi` (create an API from an OpenAPI 3.x or Swagger 2.0 document, JSON or YAML,
/// with `additionalProperties`) and `POST /apis/validate-openapi` (the document's summary, or its errors), both
/// multipart forms with a `file` part or an `inlineAPIDefinition` field. A `url` is refused: the server fetches
/// nothing on a client's behalf.
struct OpenAPIImportController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.post(PublisherAPIsController.prefix + "/apis/import-openapi") { request, _ in try await importDocument(request) }
        routes.post(PublisherAPIsController.prefix + "/apis/validate-openapi") { request, _ in try await validate(request) }
    }

    private func importDocument(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        let form = try await self.form(request)
        let (document, fileName) = try Self.document(form)
        let created = try await PublisherAPIService(services: services, logger: logger).importOpenAPI(
            document: document,
            fileName: fileName,
            additionalProperties: form["additionalProperties"]?.body,
            by: principal
        )
        return JSONResponses.response(
            APIResponseDTO(record: created),
            status: .created,
            headers: [.location: "\(PublisherAPIsController.prefix)/apis/\(created.id)"]
        )
    }

    private func validate(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        let form = try await self.form(request)
        let (document, fileName) = try Self.document(form)
        let returnContent = request.uri.queryParameters.get("returnContent") == "true"
        do throws(OpenAPIImportError) {
            let imported = try OpenAPIDocumentReader.read(document: document, fileName: fileName)
            let validation = ValidationDTO(
                isValid: true,
                content: returnContent ? String(decoding: document, as: UTF8.self) : nil,
                info: .init(
                    name: imported.suggestedName,
                    version: imported.version,
                    context: imported.context ?? "/" + imported.suggestedName.lowercased(),
                    description: imported.description,
                    openAPIVersion: imported.openAPIVersion,
                    endpoints: imported.endpoints,
                    operations: imported.operations
                ),
                errors: []
            )
            return JSONResponses.response(validation)
        } catch {
            return JSONResponses.response(
                ValidationDTO(
                    isValid: false,
                    content: nil,
                    info: nil,
                    errors: [.init(code: "900754", message: "Invalid OpenAPI definition", description: error.description)]
                )
            )
        }
    }

    private func form(_ request: Request) async throws -> MultipartFormData {
        try await MultipartFormData.read(request, services: services, expected: "a file part")
    }

    /// The document of the form, as sent: the `file` part or the `inlineAPIDefinition` field.
    private static func document(_ form: MultipartFormData) throws -> (Data, fileName: String?) {
        if form["url"] != nil, form["file"] == nil, form["inlineAPIDefinition"] == nil {
            throw ManagementError.badRequest("Importing from a url is not supported: send the document as file")
        }
        guard let part = form["file"] ?? form["inlineAPIDefinition"] else {
            throw ManagementError.badRequest("The form needs a file part or an inlineAPIDefinition field")
        }
        return (part.body, part.fileName)
    }

    /// `OpenAPIDefinitionValidationResponse`.
    struct ValidationDTO: Encodable {
        struct Info: Encodable {
            var name: String
            var version: String
            var context: String
            var description: String?
            var openAPIVersion: String
            var endpoints: [String]
            var operations: [APIOperation]
        }
        struct ErrorItem: Encodable {
            var code: String
            var message: String
            var description: String
        }
        var isValid: Bool
        var content: String?
        var info: Info?
        var errors: [ErrorItem]
    }
}
