import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel

/// WSO2's "API Products" and "API Product Lifecycle" groups of the publisher (documents and revisions of a product
/// are served by ``DocumentsController`` and ``APIRevisionsController`` under `/api-products` too). Rules live in
/// ``APIProductService`` and, for the lifecycle, ``PublisherAPIService``.
struct APIProductsController: Sendable {
    static let path = "\(PublisherAPIsController.prefix)/api-products"

    let services: APIManagerServices
    let logger: Logger

    private var products: APIProductService { APIProductService(services: services, logger: logger) }
    private var apis: PublisherAPIService { PublisherAPIService(services: services, logger: logger) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let base = Self.path
        routes.get(base) { request, _ in
            try await viewer(request)
            let query = request.query("query") ?? ""
            let listed = try await products.products().filter { record in
                query.isEmpty || record.name.localizedCaseInsensitiveContains(query)
                    || record.context.localizedCaseInsensitiveContains(query)
            }
            return JSONResponses.response(ListDTO(listed.map(APIProductInfoDTO.init), page: try request.pagination()))
        }
        routes.post(base) { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            try principal.require("apim:api_create")
            let (dto, categoryIDs) = try await productAndCategories(request)
            let created = try await products.create(dto.definition, parts: dto.parts, by: principal)
            let categories = try await catalog.setCategories(categoryIDs, apiID: created.record.id)
            return JSONResponses.response(APIProductResponseDTO(created, categories: categories), status: .created)
        }
        routes.get("\(base)/:apiId") { request, context in
            try await viewer(request)
            let product = try await products.product(context.parameters.path("apiId"))
            let categories = try await catalog.categoryNames(apiID: product.record.id)
            return JSONResponses.response(APIProductResponseDTO(product, categories: categories))
        }
        routes.put("\(base)/:apiId") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.require("apim:api_create")
            let (dto, categoryIDs) = try await productAndCategories(request)
            let updated = try await products.update(
                id: context.parameters.path("apiId"), with: dto.definition, parts: dto.parts, by: principal
            )
            let categories = try await catalog.setCategories(categoryIDs, apiID: updated.record.id)
            return JSONResponses.response(APIProductResponseDTO(updated, categories: categories))
        }
        routes.delete("\(base)/:apiId") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try await products.delete(id: context.parameters.path("apiId"), by: principal)
            return JSONResponses.empty()
        }
        routes.get("\(base)/:apiId/swagger") { request, context in
            try await viewer(request)
            let product = try await products.product(context.parameters.path("apiId"))
            let document = try await apis.openAPIDocument(product.record.id)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: document))
            )
        }
        routes.get("\(base)/:apiId/is-outdated") { request, context in
            try await viewer(request)
            let outdated = try await products.isOutdated(id: context.parameters.path("apiId"))
            return JSONResponses.response(["isOutdated": outdated])
        }
        routes.post("\(base)/copy-api-products") { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            try principal.require("apim:api_create")
            let copy = try await products.copy(
                id: try request.requiredQuery("apiProductId"),
                newVersion: try request.requiredQuery("newVersion"),
                by: principal
            )
            return JSONResponses.response(APIProductResponseDTO(copy), status: .created)
        }
        routes.get("\(base)/:apiId/thumbnail") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.requireAny(APICatalogController.thumbnailReadScopes)
            let product = try await products.product(context.parameters.path("apiId"))
            return APICatalogController.image(try await catalog.thumbnail(apiID: product.record.id), request)
        }
        routes.put("\(base)/:apiId/thumbnail") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.requireAny(APICatalogController.apiEditScopes)
            let product = try await products.product(context.parameters.path("apiId"))
            return try await APICatalogController(services: services, logger: logger)
                .storeThumbnail(request, apiID: product.record.id, kind: "api-products")
        }
        addLifecycleRoutes(to: routes)
    }

    private func addLifecycleRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let base = Self.path
        routes.post("\(base)/change-lifecycle") { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            try principal.require("apim:api_publish")
            let id = try request.requiredQuery("apiProductId")
            let actionName = try request.requiredQuery("action").replacingOccurrences(of: "+", with: " ")
            guard let action = LifecycleAction.allCases.first(where: { $0.rawValue.lowercased() == actionName.lowercased() })
            else {
                throw ManagementError.badRequest("Unknown lifecycle action '\(actionName)'")
            }
            let options = try LifecycleChecklist.options(from: request.query("lifecycleChecklist"))
            // The artifact follows the APIs as they are served now (their endpoints may have changed since).
            try await products.refreshArtifact(id: id)
            let updated = try await apis.changeLifecycle(
                action, apiID: id, pushToGateway: options.pushToGateway, by: principal
            )
            return JSONResponses.response(LifecycleChangeDTO(lifecycleState: LifecycleStateDTO(updated.lifecycleState)))
        }
        routes.get("\(base)/:apiId/lifecycle-state") { request, context in
            try await viewer(request)
            let product = try await products.product(context.parameters.path("apiId"))
            return JSONResponses.response(LifecycleStateDTO(product.record.lifecycleState))
        }
        routes.get("\(base)/:apiId/lifecycle-history") { request, context in
            try await viewer(request)
            let product = try await products.product(context.parameters.path("apiId"))
            let entries = try await apis.lifecycleHistory(product.record.id)
            return JSONResponses.response(ListDTO(entries.map(LifecycleHistoryItemDTO.init)))
        }
    }

    private var catalog: APICatalogService { APICatalogService(services: services) }

    private func productAndCategories(_ request: Request) async throws -> (APIProductRequestDTO, categoryIDs: [String]?) {
        try await CategoriesField.decode(
            APIProductRequestDTO.self, from: request, readOnlyFields: APIProductRequestDTO.readOnlyFields, services: services
        )
    }

    private func viewer(_ request: Request) async throws {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_view")
    }
}
