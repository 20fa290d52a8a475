import Foundation
import Hummingbird
import Logging
import SluiceControlPlane

/// WSO2's existence checks: `POST /apis/validate?query=` (200 when an API with that name, context or version
/// exists, else 404) and `POST /apis/{apiId}/documents/validate?name=` (200 when the API has a document of that name).
struct PublisherValidationController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    static let apiScopes = ["apim:api_create", "apim:api_manage"]
    static let documentScopes = ["apim:api_create", "apim:api_manage", "apim:document_manage", "apim:document_create"]

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let publisher = PublisherAPIsController.prefix
        routes.post("\(publisher)/apis/validate") { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            try principal.requireAny(Self.apiScopes)
            let exists = try await PublisherAPIService(services: services, logger: logger)
                .apiExists(matching: try request.requiredQuery("query"))
            guard exists else { throw ManagementError.notFound("No API matches the query") }
            return JSONResponses.empty()
        }
        routes.post("\(publisher)/apis/:apiId/documents/validate") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.requireAny(Self.documentScopes)
            let name = try request.requiredQuery("name")
            let documents = try await DocumentService(services: services)
                .documents(apiID: context.parameters.path("apiId"), by: principal)
            guard documents.contains(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else {
                throw ManagementError.notFound("The API has no document named \(name)")
            }
            return JSONResponses.empty()
        }
    }
}
