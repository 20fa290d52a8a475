import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceStorage

/// The admin API's `/applications` (every owner's applications: list, get, delete, change-owner,
/// change-settings) and `/apis` (every API, searched as the publisher searches). Rules live in
/// ``AdminApplicationService``.
struct AdminApplicationsController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// WSO2's scopes, less `apim:app_import_export`: Sluice grants that to subscribers for their own applications,
    /// so it opens nothing here.
    static let listScopes = ["apim:admin", "apim:app_settings_change", "apim:app_owner_change", "apim:admin_application_view"]
    static let readScopes = ["apim:admin", "apim:admin_application_view"]
    static let ownerScopes = ["apim:admin", "apim:app_owner_change"]
    static let settingsScopes = ["apim:admin", "apim:app_settings_change"]
    static let apiScopes = ["apim:admin", "apim:api_provider_change"]

    /// WSO2's admin `ApplicationInfo`.
    struct ApplicationInfoDTO: Encodable, Sendable {
        var applicationId: String
        var name: String
        var owner: String
        var tokenType: String
        /// Milliseconds since 1970, as a string (WSO2's).
        var createdTime: String
        var status: String
        var groupId = ""

        init(_ record: ApplicationRecord) {
            applicationId = record.id
            name = record.name
            owner = record.owner
            tokenType = record.tokenType
            createdTime = String(Int64(record.createdAt.timeIntervalSince1970 * 1000))
            status = record.status
        }
    }

    /// WSO2's `ApplicationUpdateRequest`.
    struct SettingsDTO: Codable, Sendable {
        var owner: String?
        var tokenType: String?
    }

    /// WSO2's admin `ApiResult` inside a `SearchResultList`.
    struct APIResultDTO: Encodable, Sendable {
        var provider: String
        var name: String
        var version: String
        var id: String
    }

    struct APIResultListDTO: Encodable, Sendable {
        var apis: [APIResultDTO]
        var count: Int
        var pagination: ListDTO<APIResultDTO>.PaginationDTO
    }

    private var service: AdminApplicationService { AdminApplicationService(services: services) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let base = AdminController.prefix + "/applications"
        routes.get(base) { request, _ in
            try await caller(request, Self.listScopes)
            guard let order = AdminApplicationService.Order(rawValue: request.query("sortBy") ?? "name") else {
                throw ManagementError.badRequest("sortBy must be name or owner")
            }
            let descending = try Self.descending(request.query("sortOrder"))
            let found = try await service.applications(
                owner: request.query("user"), name: request.query("name"), order: order, descending: descending
            )
            return JSONResponses.response(ListDTO(found.map(ApplicationInfoDTO.init), page: try request.pagination()))
        }
        routes.get("\(base)/:applicationId") { request, context in
            try await caller(request, Self.readScopes)
            let application = try await service.application(context.parameters.path("applicationId"))
            return JSONResponses.response(ApplicationDTO(application))
        }
        routes.delete("\(base)/:applicationId") { request, context in
            try await caller(request, ["apim:admin"])
            try await service.delete(context.parameters.path("applicationId"))
            return JSONResponses.empty()
        }
        routes.post("\(base)/:applicationId/change-owner") { request, context in
            try await caller(request, Self.ownerScopes)
            _ = try await service.changeOwner(context.parameters.path("applicationId"), to: try request.requiredQuery("owner"))
            return JSONResponses.empty()
        }
        routes.post("\(base)/:applicationId/change-settings") { request, context in
            try await caller(request, Self.settingsScopes)
            let dto = try await services.decoder.decode(SettingsDTO.self, from: request)
            let application = try await service.changeSettings(
                context.parameters.path("applicationId"), owner: dto.owner, tokenType: dto.tokenType
            )
            return JSONResponses.response(ApplicationDTO(application))
        }
        routes.get("\(AdminController.prefix)/apis") { request, _ in
            try await caller(request, Self.apiScopes)
            let search = try APISearchQuery(request.query("query") ?? "", work: services.searchWork)
            let found = try await PublisherAPIService(services: services, logger: logger).apis(matching: search)
            let page = try request.pagination()
            let items = page.page(found).map {
                APIResultDTO(provider: $0.provider, name: $0.name, version: $0.version, id: $0.id)
            }
            return JSONResponses.response(
                APIResultListDTO(apis: items, count: items.count, pagination: .init(offset: page.offset, limit: page.limit, total: found.count))
            )
        }
    }

    @discardableResult
    private func caller(_ request: Request, _ scopes: [String]) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(scopes)
        return principal
    }

    private static func descending(_ order: String?) throws(ManagementError) -> Bool {
        switch order?.lowercased() {
        case nil, "asc": false
        case "desc": true
        case let other?: throw ManagementError.badRequest("sortOrder must be asc or desc, not \(other)")
        }
    }
}
