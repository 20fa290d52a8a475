import Foundation
import Hummingbird
import Logging
import SluiceArtifacts
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// `/api/am/publisher/v4/apis`: create, read, update, delete, copy and search APIs.
struct PublisherAPIsController: Sendable {
    static let prefix = "/api/am/publisher/v4"

    let services: APIManagerServices
    let logger: Logger

    private var service: PublisherAPIService { PublisherAPIService(services: services, logger: logger) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = Self.prefix
        routes.get("\(prefix)/apis") { request, _ in try await list(request) }
        routes.get("\(prefix)/search") { request, _ in try await list(request, asSearchResults: true) }
        // The service serializes the writes through the publisher gate.
        routes.post("\(prefix)/apis") { request, _ in try await create(request) }
        routes.post("\(prefix)/apis/copy-api") { request, _ in try await copy(request) }
        routes.get("\(prefix)/apis/:apiId") { request, context in
            try await get(request, apiID: context.parameters.path("apiId"))
        }
        routes.put("\(prefix)/apis/:apiId") { request, context in
            try await update(request, apiID: context.parameters.path("apiId"))
        }
        routes.delete("\(prefix)/apis/:apiId") { request, context in
            try await delete(request, apiID: context.parameters.path("apiId"))
        }
    }

    // MARK: - Handlers

    /// `GET /apis`, and WSO2's unified search (`GET /search`: the same APIs as `APISearchResult` items).
    private func list(_ request: Request, asSearchResults: Bool = false) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_view")
        let page = try request.pagination()
        let search = try APISearchQuery(request.query("query") ?? "", work: services.searchWork)
        let matches = try await service.apis(matching: search)
        if asSearchResults {
            return JSONResponses.response(ListDTO(matches.map(APISearchResultDTO.init), page: page))
        }
        return JSONResponses.response(ListDTO(matches.map(APIInfoDTO.init), page: page))
    }

    private func get(_ request: Request, apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_view")
        let record = try await service.api(apiID)
        return JSONResponses.response(APIResponseDTO(record: record, categories: try await catalog.categoryNames(apiID: record.id)))
    }

    private func create(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        let (definition, categoryIDs) = try await definitionAndCategories(request)
        let created = try await service.create(definition, by: principal)
        let categories = try await catalog.setCategories(categoryIDs, apiID: created.id)
        return JSONResponses.response(
            APIResponseDTO(record: created, categories: categories),
            status: .created,
            headers: [.location: "\(Self.prefix)/apis/\(created.id)"]
        )
    }

    private func update(_ request: Request, apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        _ = try await service.api(apiID)
        let (definition, categoryIDs) = try await definitionAndCategories(request)
        let updated = try await service.update(apiID: apiID, with: definition, by: principal)
        let categories = try await catalog.setCategories(categoryIDs, apiID: apiID)
        return JSONResponses.response(APIResponseDTO(record: updated, categories: categories))
    }

    private var catalog: APICatalogService { APICatalogService(services: services) }

    private func definitionAndCategories(_ request: Request) async throws -> (APIDefinition, categoryIDs: [String]?) {
        try await CategoriesField.decode(
            APIDefinition.self, from: request, readOnlyFields: APIResponseDTO.readOnlyFields, services: services
        )
    }

    private func delete(_ request: Request, apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try await service.delete(apiID: apiID, by: principal)
        return JSONResponses.empty()
    }

    private func copy(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        let apiID = try request.requiredQuery("apiId")
        let newVersion = try request.requiredQuery("newVersion")
        var isDefaultVersion = false
        if let flag = request.query("defaultVersion") {
            guard let value = Bool(flag) else {
                throw ManagementError.badRequest("defaultVersion must be true or false")
            }
            isDefaultVersion = value
        }
        let record = try await service.copy(
            apiID: apiID,
            newVersion: newVersion,
            isDefaultVersion: isDefaultVersion,
            by: principal
        )
        return JSONResponses.response(
            APIResponseDTO(record: record),
            status: .created,
            headers: [.location: "\(Self.prefix)/apis/\(record.id)"]
        )
    }
}
