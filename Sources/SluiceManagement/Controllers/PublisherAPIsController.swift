import Foundation
import Hummingbird
import Logging
import SluiceModel
import SluicePublisher
import SluiceStorage

/// `/api/am/publisher/v4/apis`: create, read, update, delete, copy and search APIs.
struct PublisherAPIsController: Sendable {
    static let prefix = "/api/am/publisher/v4"

    let services: APIManagerServices
    let logger: Logger

    private var deployment: APIDeploymentService { APIDeploymentService(services: services, logger: logger) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = Self.prefix
        routes.get("\(prefix)/apis") { request, _ in try await list(request) }
        routes.get("\(prefix)/search") { request, _ in try await list(request) }
        routes.post("\(prefix)/apis") { request, _ in try await services.publisherGate.run { try await create(request) }
        }
        routes.post("\(prefix)/apis/copy-api") { request, _ in
            try await services.publisherGate.run { try await copy(request) }
        }
        routes.get("\(prefix)/apis/:apiId") { request, context in
            try await get(request, apiID: context.parameters.path("apiId"))
        }
        routes.put("\(prefix)/apis/:apiId") { request, context in
            let apiID = context.parameters.path("apiId")
            return try await services.publisherGate.run { try await update(request, apiID: apiID) }
        }
        routes.delete("\(prefix)/apis/:apiId") { request, context in
            let apiID = context.parameters.path("apiId")
            return try await services.publisherGate.run { try await delete(request, apiID: apiID) }
        }
    }

    // MARK: - Handlers

    private func list(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_view")
        let page = try request.pagination()
        let search = try APISearchQuery(request.query("query") ?? "")
        let matches = try await services.storage.apis().filter(search.matches)
        return JSONResponses.response(ListDTO(matches.map(APIInfoDTO.init), page: page))
    }

    private func get(_ request: Request, apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_view")
        return JSONResponses.response(APIResponseDTO(record: try await PublisherSupport.api(apiID, services)))
    }

    private func create(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        var definition = try await services.decoder.decode(
            APIDefinition.self,
            from: request,
            readOnlyFields: APIResponseDTO.readOnlyFields
        )
        let provider = definition.provider ?? principal.username
        guard provider == principal.username || principal.isAdministrator else {
            throw ManagementError.forbidden("Only an administrator may create APIs for another provider")
        }
        if provider != principal.username, try await services.storage.user(named: provider) == nil {
            throw ManagementError.badRequest("provider \(provider) is not a user")
        }
        definition.provider = provider
        definition.id = UUID().uuidString.lowercased()
        definition.lifeCycleStatus = .created
        try await PublisherSupport.check(definition, services: services, replacing: nil)
        let now = Date()
        let record = APIRecord(
            id: definition.id!,
            provider: provider,
            name: definition.name,
            version: definition.version,
            context: definition.context,
            description: definition.description,
            lifecycleState: .created,
            visibility: (definition.visibility ?? .public).rawValue,
            isDefaultVersion: definition.isDefaultVersion,
            tags: definition.tags,
            definition: StoredAPI(definition: definition, gatewayDeployed: false).encoded(),
            createdAt: now,
            updatedAt: now
        )
        try await services.storage.createAPI(record, actor: principal.username)
        let created = try await PublisherSupport.api(record.id, services)
        return JSONResponses.response(
            APIResponseDTO(record: created),
            status: .created,
            headers: [.location: "\(Self.prefix)/apis/\(record.id)"]
        )
    }

    private func update(_ request: Request, apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        let previous = try await PublisherSupport.api(apiID, services)
        var definition = try await services.decoder.decode(
            APIDefinition.self,
            from: request,
            readOnlyFields: APIResponseDTO.readOnlyFields
        )
        let before = previous.stored
        var unchangeable: [String] = []
        if definition.name != previous.name { unchangeable.append("name") }
        if definition.version != previous.version { unchangeable.append("version") }
        if APIKey(context: definition.context, version: definition.version).context != previous.context {
            unchangeable.append("context")
        }
        if let provider = definition.provider, provider != previous.provider { unchangeable.append("provider") }
        guard unchangeable.isEmpty else {
            throw ManagementError.badRequest(
                "\(unchangeable.joined(separator: ", ")) cannot be changed; use copy-api to create a new version"
            )
        }
        definition.id = previous.id
        definition.provider = previous.provider
        definition.lifeCycleStatus = previous.lifecycleState
        try await PublisherSupport.check(definition, services: services, replacing: previous)
        if before.gatewayDeployed && previous.lifecycleState.isDeployed {
            // A deployed API must stay deployable: refuse the edit before anything is written.
            try definition.validate(forDeployment: true)
        }
        var updated = previous
        updated.description = definition.description
        updated.visibility = (definition.visibility ?? .public).rawValue
        updated.isDefaultVersion = definition.isDefaultVersion
        updated.tags = definition.tags
        updated.definition = StoredAPI(definition: definition, gatewayDeployed: before.gatewayDeployed).encoded()
        updated.updatedAt = Date()
        try await services.storage.updateAPI(updated)
        do {
            try deployment.redeploy(previous: previous, updated: updated)
            if updated.isDefaultVersion && before.gatewayDeployed && updated.lifecycleState.isDeployed {
                try await deployment.releaseDefaultVersion(except: updated)
            }
        } catch {
            // Keep storage and gateway in step: the old definition comes back, and so does its artifact.
            try await services.storage.updateAPI(previous)
            try? deployment.redeploy(previous: updated, updated: previous)
            throw error
        }
        return JSONResponses.response(APIResponseDTO(record: try await PublisherSupport.api(apiID, services)))
    }

    private func delete(_ request: Request, apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_delete")
        let record = try await PublisherSupport.api(apiID, services)
        let subscriptions = try await services.storage.subscriptions(
            to: APIKey(context: record.context, version: record.version)
        )
        guard subscriptions.isEmpty else {
            throw ManagementError.conflict(
                "The API has \(subscriptions.count) subscription\(subscriptions.count == 1 ? "" : "s"); "
                    + "remove them (or retire the API) before deleting it"
            )
        }
        try deployment.undeploy(record)
        _ = try await services.storage.deleteAPI(id: apiID)
        return JSONResponses.empty()
    }

    private func copy(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        let source = try await PublisherSupport.api(try request.requiredQuery("apiId"), services)
        var definition = source.stored.definition
        definition.version = try request.requiredQuery("newVersion")
        definition.id = UUID().uuidString.lowercased()
        definition.lifeCycleStatus = .created
        if let flag = request.query("defaultVersion") {
            guard let value = Bool(flag) else {
                throw ManagementError.badRequest("defaultVersion must be true or false")
            }
            definition.isDefaultVersion = value
        } else {
            definition.isDefaultVersion = false
        }
        try await PublisherSupport.check(definition, services: services, replacing: nil)
        let now = Date()
        let record = APIRecord(
            id: definition.id!,
            provider: source.provider,
            name: source.name,
            version: definition.version,
            context: source.context,
            description: definition.description,
            lifecycleState: .created,
            visibility: source.visibility,
            isDefaultVersion: definition.isDefaultVersion,
            tags: source.tags,
            definition: StoredAPI(definition: definition, gatewayDeployed: false).encoded(),
            createdAt: now,
            updatedAt: now
        )
        try await services.storage.createAPI(record, actor: principal.username)
        for document in try await services.storage.documents(apiID: source.id) {
            var copy = document
            copy.id = UUID().uuidString.lowercased()
            copy.apiID = record.id
            try await services.storage.createDocument(copy)
        }
        return JSONResponses.response(
            APIResponseDTO(record: try await PublisherSupport.api(record.id, services)),
            status: .created,
            headers: [.location: "\(Self.prefix)/apis/\(record.id)"]
        )
    }
}
