import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceKeyManager
import SluiceModel

/// Editing, removing and mapping an application's keys: `PUT keys/{keyType}`, `keys/{keyType}/clean-up`,
/// `PUT|DELETE oauth-keys/{keyMappingId}`, `oauth-keys/{keyMappingId}/clean-up` and `map-keys`. Rules live in
/// ``SubscriberService``; only the application's owner (or an administrator) reaches them.
struct DevPortalKeyMappingsController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// WSO2's `ApplicationKey` as a request: only the grant types and the callback URL change.
    struct KeyUpdateDTO: Codable, Sendable {
        static let readOnlyFields: Set<String> = ["keyMappingId", "consumerKey", "consumerSecret", "keyState"]
        var supportedGrantTypes: [String]?
        var callbackUrl: String?
    }

    /// WSO2's `ApplicationKeyMappingRequest`.
    struct KeyMappingRequestDTO: Codable, Sendable {
        var consumerKey: String
        var consumerSecret: String?
        var keyManager: String?
        var keyType: String
    }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let base = DevPortalAPIsController.prefix + "/applications/:applicationId"
        let applications = DevPortalApplicationsController(services: services, logger: logger)
        routes.put("\(base)/keys/:keyType") { request, context in
            let keyType = try DevPortalApplicationsController.keyType(context.parameters.path("keyType"))
            return try await update(request, context.parameters.path("applicationId"), keyType)
        }
        routes.post("\(base)/keys/:keyType/clean-up") { request, context in
            let keyType = try DevPortalApplicationsController.keyType(context.parameters.path("keyType"))
            return try await remove(request, context.parameters.path("applicationId"), keyType)
        }
        routes.put("\(base)/oauth-keys/:keyMappingId") { request, context in
            let (id, keyType) = try await applications.mapping(request, context.parameters)
            return try await update(request, id, try DevPortalApplicationsController.keyType(keyType))
        }
        routes.delete("\(base)/oauth-keys/:keyMappingId") { request, context in
            let (id, keyType) = try await applications.mapping(request, context.parameters)
            return try await remove(request, id, try DevPortalApplicationsController.keyType(keyType))
        }
        routes.post("\(base)/oauth-keys/:keyMappingId/clean-up") { request, context in
            let (id, keyType) = try await applications.mapping(request, context.parameters)
            return try await remove(request, id, try DevPortalApplicationsController.keyType(keyType))
        }
        routes.post("\(base)/map-keys") { request, context in
            try await map(request, context.parameters.path("applicationId"))
        }
    }

    private var subscribers: SubscriberService { SubscriberService(services: services) }

    private func update(_ request: Request, _ id: String, _ keyType: KeyType) async throws -> Response {
        let principal = try await caller(request)
        let dto = try await services.decoder.decode(
            KeyUpdateDTO.self, from: request, readOnlyFields: KeyUpdateDTO.readOnlyFields
        )
        let record = try await subscribers.updateKeys(
            applicationID: id,
            keyType: keyType,
            grantTypes: dto.supportedGrantTypes,
            callbackURL: dto.callbackUrl,
            principal: principal
        )
        return JSONResponses.response(ApplicationKeyDTO(record))
    }

    private func remove(_ request: Request, _ id: String, _ keyType: KeyType) async throws -> Response {
        let principal = try await caller(request)
        try await subscribers.removeKeys(applicationID: id, keyType: keyType, principal: principal)
        return JSONResponses.empty()
    }

    private func map(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        let dto = try await services.decoder.decode(KeyMappingRequestDTO.self, from: request)
        let record = try await subscribers.mapKeys(
            applicationID: id,
            keyType: try DevPortalApplicationsController.keyType(dto.keyType),
            consumerKey: dto.consumerKey,
            consumerSecret: dto.consumerSecret,
            keyManager: dto.keyManager,
            principal: principal
        )
        var answer = ApplicationKeyDTO(record)
        answer.mode = "MAPPED"
        return JSONResponses.response(answer)
    }

    private func caller(_ request: Request) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:app_manage")
        return principal
    }
}

extension DevPortalKeyMappingsController.KeyUpdateDTO: WSO2RequestBody {
    /// The key manager (Sluice has one), the key type (the path names it), several secrets, the first token,
    /// application sharing and key-manager specific properties.
    static var wso2OnlyFields: Set<String> {
        ["additionalProperties", "consumerSecrets", "groupId", "keyManager", "keyType", "mode", "token"]
    }
}
