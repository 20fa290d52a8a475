import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel

/// WSO2's shared scopes (publisher `/scopes`: list, create, get, update, delete, HEAD by name, usage). Rules live
/// in ``SharedScopeService``.
struct SharedScopesController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    static let readScopes = ["apim:api_view", "apim:shared_scope_manage"]
    static let manageScopes = ["apim:shared_scope_manage"]
    static let existsScopes = ["apim:api_create", "apim:api_publish", "apim:api_manage", "apim:shared_scope_manage"]
    static let usageScopes = ["apim:api_view", "apim:api_manage", "apim:shared_scope_manage"]

    /// WSO2's `Scope` (requests and answers).
    struct ScopeDTO: Codable, Sendable {
        static let readOnlyFields: Set<String> = ["id", "usageCount"]
        var id: String?
        var name: String
        var displayName: String?
        var description: String?
        var bindings: [String]?
        var usageCount: Int?

        init(_ shared: SharedScopeService.SharedScope, usageCount: Int? = nil) {
            id = shared.id
            name = shared.scope.name
            displayName = shared.scope.displayName ?? shared.scope.name
            description = shared.scope.description ?? ""
            bindings = shared.scope.bindings
            self.usageCount = usageCount
        }

        var scope: APIScope.Scope {
            APIScope.Scope(name: name, displayName: displayName, description: description, bindings: bindings ?? [])
        }
    }

    /// WSO2's `SharedScopeUsage` (with the deprecated `usedApiList` beside `usages`).
    struct UsageDTO: Encodable, Sendable {
        struct Resource: Encodable, Sendable {
            var target: String
            var verb: String
        }

        struct Entity: Encodable, Sendable {
            var name: String
            var context: String
            var version: String
            var provider: String
            var type: String?
            var usedResourceList: [Resource]
        }

        var id: String
        var name: String
        var usedApiList: [Entity]
        var usages: [Entity]
    }

    private var sharedScopes: SharedScopeService { SharedScopeService(services: services) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let base = "\(PublisherAPIsController.prefix)/scopes"
        routes.get(base) { request, _ in
            try await caller(request, Self.readScopes)
            let page = try request.pagination()
            let scopes = try await sharedScopes.list().map { ScopeDTO($0.scope, usageCount: $0.usageCount) }
            return JSONResponses.response(ListDTO(scopes, page: page))
        }
        routes.post(base) { request, _ in
            try await caller(request, Self.manageScopes)
            let dto = try await services.decoder.decode(ScopeDTO.self, from: request, readOnlyFields: ScopeDTO.readOnlyFields)
            let created = try await sharedScopes.create(dto.scope)
            var response = JSONResponses.response(ScopeDTO(created, usageCount: 0), status: .created)
            response.headers[.location] = "\(base)/\(created.id)"
            return response
        }
        routes.get("\(base)/:scopeId") { request, context in
            try await caller(request, Self.readScopes)
            let id = context.parameters.path("scopeId")
            let (shared, usages) = try await sharedScopes.usage(id: id)
            return JSONResponses.response(ScopeDTO(shared, usageCount: usages.count))
        }
        routes.put("\(base)/:scopeId") { request, context in
            try await caller(request, Self.manageScopes)
            let dto = try await services.decoder.decode(ScopeDTO.self, from: request, readOnlyFields: ScopeDTO.readOnlyFields)
            let updated = try await sharedScopes.update(id: context.parameters.path("scopeId"), with: dto.scope)
            let (_, usages) = try await sharedScopes.usage(id: updated.id)
            return JSONResponses.response(ScopeDTO(updated, usageCount: usages.count))
        }
        routes.delete("\(base)/:scopeId") { request, context in
            try await caller(request, Self.manageScopes)
            try await sharedScopes.delete(id: context.parameters.path("scopeId"))
            return JSONResponses.empty()
        }
        routes.on(.head, "\(base)/:scopeId") { request, context in
            try await caller(request, Self.existsScopes)
            let exists = try await sharedScopes.exists(context.parameters.path("scopeId"))
            return Response(status: exists ? .ok : .notFound)
        }
        routes.get("\(base)/:scopeId/usage") { request, context in
            try await caller(request, Self.usageScopes)
            let (shared, usages) = try await sharedScopes.usage(id: context.parameters.path("scopeId"))
            let entities = usages.map { usage in
                UsageDTO.Entity(
                    name: usage.api.name, context: usage.api.context, version: usage.api.version,
                    provider: usage.api.provider, type: usage.api.stored.isProduct ? "APIPRODUCT" : "API",
                    usedResourceList: usage.operations.map { UsageDTO.Resource(target: $0.target, verb: $0.verb) }
                )
            }
            return JSONResponses.response(
                UsageDTO(id: shared.id, name: shared.scope.name, usedApiList: entities, usages: entities)
            )
        }
    }

    @discardableResult
    private func caller(_ request: Request, _ scopes: [String]) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(scopes)
        return principal
    }
}
