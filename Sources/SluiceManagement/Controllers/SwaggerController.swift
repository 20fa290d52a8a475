import Foundation
import Hummingbird
import Logging
import SluiceArtifacts
import SluiceControlPlane
import SluiceStorage

/// `/apis/{apiId}/swagger`: an API's OpenAPI 3 document, generated from its operations (publisher and devportal),
/// and replacing the operations from an OpenAPI document (publisher `PUT`, JSON or YAML, as the body or in WSO2's
/// multipart form with an `apiDefinition` field or a `file` part). A deployed API is redeployed with the new
/// operations.
struct SwaggerController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let publisher = PublisherAPIsController.prefix + "/apis/:apiId/swagger"
        routes.get(publisher) { request, context in
            try await publisherDocument(request, context.parameters.path("apiId"))
        }
        routes.put(publisher) { request, context in try await replace(request, context.parameters.path("apiId")) }
        // WSO2's `ResourcePathList`: the operations as numbered (path, verb) pairs, in the definition's order.
        routes.get(PublisherAPIsController.prefix + "/apis/:apiId/resource-paths") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.requireAny(["apim:api_view", "apim:api_manage"])
            let api = try await apis.api(context.parameters.path("apiId"))
            let paths = api.stored.definition.operations.enumerated().map { index, operation in
                ResourcePath(id: index + 1, resourcePath: operation.target, httpVerb: operation.verb)
            }
            return JSONResponses.response(ListDTO(paths, page: try request.pagination()))
        }
        routes.get(DevPortalAPIsController.prefix + "/apis/:apiId/swagger") { request, context in
            let principal = try await services.authenticator.optionalPrincipal(for: request)
            let catalog = StoreCatalogService(services: services)
            return Self.response(try await catalog.openAPIDocument(apiID: context.parameters.path("apiId"), principal: principal))
        }
    }

    /// WSO2's `ResourcePath`.
    struct ResourcePath: Encodable, Sendable {
        var id: Int
        var resourcePath: String
        var httpVerb: String
    }

    private var apis: PublisherAPIService { PublisherAPIService(services: services, logger: logger) }

    private func publisherDocument(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_view")
        return Self.response(try await apis.openAPIDocument(apiID))
    }

    private func replace(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        let (bytes, fileName) = try await documentBytes(request)
        var json = bytes
        if YAMLReader.looksLikeYAML(Array(bytes), path: fileName ?? "") {
            do throws(YAMLReader.Failure) {
                json = Data(try YAMLReader.json(fromYAML: Array(bytes)))
            } catch {
                throw ManagementError.badRequest("The API definition is neither JSON nor readable YAML: \(error)")
            }
        }
        let updated = try await apis.replaceOperations(apiID: apiID, fromOpenAPI: json, by: principal)
        logger.info("API operations replaced from an OpenAPI document", metadata: ["sluice.api": "\(apiID)"])
        return Self.response(APIOpenAPIDefinition.document(for: updated.stored.definition))
    }

    /// The OpenAPI document of a `PUT`: the body itself, or the `apiDefinition` field or `file` part of a form.
    private func documentBytes(_ request: Request) async throws -> (Data, fileName: String?) {
        let body = try await services.decoder.body(of: request)
        let contentType = request.headers[.contentType]
        guard MultipartFormData.isMultipart(contentType), let contentType else { return (body, nil) }
        let form = try MultipartFormData(body: body, contentType: contentType)
        guard let part = form["apiDefinition"] ?? form["file"] else {
            throw ManagementError.badRequest("The form needs an apiDefinition field or a file part")
        }
        return (part.body, part.fileName)
    }

    private static func response(_ document: Data) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: document))
        )
    }
}
