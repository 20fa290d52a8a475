import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceKeyManager
import SluiceModel
import SluiceStorage

/// `/api/am/devportal/v3/applications`: a subscriber's applications and their keys. Every resource checks that
/// the application belongs to the caller (administrators excepted); others' applications answer 404.
struct DevPortalApplicationsController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let base = DevPortalAPIsController.prefix + "/applications"
        routes.get(base) { request, _ in try await list(request) }
        routes.post(base) { request, _ in try await create(request) }
        routes.get("\(base)/:applicationId") { request, context in
            try await get(request, context.parameters.path("applicationId"))
        }
        routes.put("\(base)/:applicationId") { request, context in
            try await update(request, context.parameters.path("applicationId"))
        }
        routes.delete("\(base)/:applicationId") { request, context in
            try await delete(request, context.parameters.path("applicationId"))
        }
        routes.post("\(base)/:applicationId/generate-keys") { request, context in
            try await generateKeys(request, context.parameters.path("applicationId"))
        }
        routes.get("\(base)/:applicationId/keys") { request, context in
            try await keys(request, context.parameters.path("applicationId"), keyType: nil)
        }
        routes.get("\(base)/:applicationId/keys/:keyType") { request, context in
            try await keys(
                request,
                context.parameters.path("applicationId"),
                keyType: context.parameters.path("keyType")
            )
        }
        routes.post("\(base)/:applicationId/keys/:keyType/regenerate-secret") { request, context in
            try await regenerateSecret(
                request,
                context.parameters.path("applicationId"),
                context.parameters.path("keyType")
            )
        }
        routes.post("\(base)/:applicationId/keys/:keyType/generate-token") { request, context in
            try await generateToken(
                request,
                context.parameters.path("applicationId"),
                context.parameters.path("keyType")
            )
        }
        // WSO2's per-key-manager form of the same resources: `oauth-keys/{keyMappingId}` (see `KeyMapping`).
        routes.get("\(base)/:applicationId/oauth-keys") { request, context in
            try await keys(request, context.parameters.path("applicationId"), keyType: nil)
        }
        routes.get("\(base)/:applicationId/oauth-keys/:keyMappingId") { request, context in
            let (id, keyType) = try await mapping(request, context.parameters)
            return try await keys(request, id, keyType: keyType)
        }
        routes.post("\(base)/:applicationId/oauth-keys/:keyMappingId/regenerate-secret") { request, context in
            let (id, keyType) = try await mapping(request, context.parameters)
            return try await regenerateSecret(request, id, keyType)
        }
        routes.post("\(base)/:applicationId/oauth-keys/:keyMappingId/generate-token") { request, context in
            let (id, keyType) = try await mapping(request, context.parameters)
            return try await generateToken(request, id, keyType)
        }
        routes.post("\(base)/:applicationId/api-keys/:keyType/generate") { request, context in
            try await generateAPIKey(
                request,
                context.parameters.path("applicationId"),
                context.parameters.path("keyType")
            )
        }
        routes.post("\(base)/:applicationId/api-keys/:keyType/revoke") { request, context in
            try await revokeAPIKey(
                request,
                context.parameters.path("applicationId"),
                context.parameters.path("keyType")
            )
        }
    }

    private var subscribers: SubscriberService { SubscriberService(services: services) }

    /// The application id and the key type a `keyMappingId` names, for a caller who may manage applications.
    /// - Throws: ``ManagementError`` 401, 403, 404 for an id that names no key type of the application.
    func mapping(_ request: Request, _ parameters: Parameters) async throws -> (String, String) {
        _ = try await caller(request)
        let id = parameters.path("applicationId")
        guard let keyType = KeyMapping.keyType(of: parameters.path("keyMappingId"), applicationID: id) else {
            throw ManagementError.notFound("The application has no keys \(parameters.path("keyMappingId"))")
        }
        return (id, keyType.rawValue)
    }

    // MARK: - Applications

    private func list(_ request: Request) async throws -> Response {
        let principal = try await caller(request)
        let applications = try await subscribers.applications(of: principal)
        return JSONResponses.response(
            ListDTO(
                applications.map { ApplicationDTO($0.application, subscriptionCount: $0.subscriptions) },
                page: try request.pagination()
            )
        )
    }

    private func create(_ request: Request) async throws -> Response {
        let principal = try await caller(request)
        let dto = try await services.decoder.decode(
            ApplicationDTO.self,
            from: request,
            readOnlyFields: ApplicationDTO.readOnlyFields
        )
        try dto.validate(tiers: try await services.tierNames(.application))
        let application = try await subscribers.createApplication(
            name: dto.name,
            tier: dto.throttlingPolicy,
            description: dto.description,
            tokenType: dto.tokenType,
            principal: principal
        )
        return JSONResponses.response(
            ApplicationDTO(application, subscriptionCount: 0),
            status: .created,
            headers: [.location: "\(DevPortalAPIsController.prefix)/applications/\(application.id)"]
        )
    }

    private func get(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        let found = try await subscribers.applicationWithSubscriptionCount(id, principal: principal)
        return JSONResponses.response(ApplicationDTO(found.application, subscriptionCount: found.subscriptions))
    }

    private func update(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        _ = try await subscribers.application(id, principal: principal)
        let dto = try await services.decoder.decode(
            ApplicationDTO.self,
            from: request,
            readOnlyFields: ApplicationDTO.readOnlyFields
        )
        try dto.validate(tiers: try await services.tierNames(.application))
        let application = try await subscribers.updateApplication(
            id,
            name: dto.name,
            tier: dto.throttlingPolicy,
            description: dto.description,
            tokenType: dto.tokenType,
            principal: principal
        )
        return JSONResponses.response(ApplicationDTO(application))
    }

    private func delete(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        try await subscribers.deleteApplication(id, principal: principal)
        return JSONResponses.empty()
    }

    // MARK: - Keys

    private func generateKeys(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        _ = try await subscribers.application(id, principal: principal)
        let dto = try await services.decoder.decode(KeyGenerationRequestDTO.self, from: request)
        let keyRequest = SubscriberService.KeyRequest(
            keyType: try Self.keyType(dto.keyType),
            grantTypes: dto.grantTypesToBeSupported,
            callbackURL: dto.callbackUrl,
            scopes: dto.scopes,
            validityPeriod: dto.validityTime?.value
        )
        let generated = try await subscribers.generateKeys(keyRequest, applicationID: id, principal: principal)
        return JSONResponses.response(
            ApplicationKeyDTO(
                generated.keys,
                callbackURL: dto.callbackUrl,
                token: generated.token.map(ApplicationTokenDTO.init)
            )
        )
    }

    private func keys(_ request: Request, _ id: String, keyType: String?) async throws -> Response {
        let principal = try await caller(request)
        let records = try await subscribers.keys(applicationID: id, principal: principal)
        guard let keyType else { return JSONResponses.response(ListDTO(records.map(ApplicationKeyDTO.init))) }
        let type = try Self.keyType(keyType)
        guard let record = records.first(where: { $0.keyType == type }) else {
            throw ManagementError.notFound("The application has no \(type.rawValue) keys")
        }
        return JSONResponses.response(ApplicationKeyDTO(record))
    }

    private func regenerateSecret(_ request: Request, _ id: String, _ keyType: String) async throws -> Response {
        let principal = try await caller(request)
        let type = try Self.keyType(keyType)
        let keys = try await subscribers.regenerateSecret(applicationID: id, keyType: type, principal: principal)
        return JSONResponses.response(["consumerKey": keys.consumerKey, "consumerSecret": keys.consumerSecret])
    }

    private func generateToken(_ request: Request, _ id: String, _ keyType: String) async throws -> Response {
        let principal = try await caller(request)
        // Ownership and the keys' existence are checked before the body is read, as before.
        let records = try await subscribers.keys(applicationID: id, principal: principal)
        let type = try Self.keyType(keyType)
        guard records.contains(where: { $0.keyType == type }) else {
            throw ManagementError.notFound("The application has no \(type.rawValue) keys")
        }
        let dto = try await services.decoder.decode(
            TokenGenerationRequestDTO.self,
            from: request,
            readOnlyFields: ["revokeToken"]
        )
        let response = try await subscribers.token(
            applicationID: id,
            keyType: type,
            consumerSecret: dto.consumerSecret,
            scopes: dto.scopes,
            validityPeriod: dto.validityPeriod,
            principal: principal
        )
        return JSONResponses.response(ApplicationTokenDTO(response))
    }

    // MARK: - API keys

    private func generateAPIKey(_ request: Request, _ id: String, _ keyType: String) async throws -> Response {
        let principal = try await caller(request)
        let type = try Self.keyType(keyType)
        // The body is optional, as in WSO2.
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: 64 * 1024)
        } catch {
            throw ManagementError(.contentTooLarge, detail: "The request body is larger than 65536 bytes")
        }
        let dto =
            body.readableBytes == 0
            ? APIKeyGenerateRequestDTO()
            : try services.decoder.decode(APIKeyGenerateRequestDTO.self, from: Data(buffer: body))
        let generated = try await subscribers.generateAPIKey(
            KeyManager.APIKeyRequest(
                keyType: type,
                validityPeriod: dto.validityPeriod,
                permittedIP: dto.additionalProperties?.permittedIP,
                permittedReferer: dto.additionalProperties?.permittedReferer
            ),
            applicationID: id,
            principal: principal
        )
        return JSONResponses.response(
            APIKeyDTO(keyName: dto.keyName, apikey: generated.apiKey, validityPeriod: generated.validityPeriod)
        )
    }

    private func revokeAPIKey(_ request: Request, _ id: String, _ keyType: String) async throws -> Response {
        let principal = try await caller(request)
        let type = try Self.keyType(keyType)
        let dto = try await services.decoder.decode(APIKeyRevokeRequestDTO.self, from: request)
        try await subscribers.revokeAPIKey(dto.apikey, applicationID: id, keyType: type, principal: principal)
        return JSONResponses.response([String: String]())
    }

    // MARK: - Helpers

    /// A caller allowed to manage applications.
    private func caller(_ request: Request) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:app_manage")
        return principal
    }

    static func keyType(_ text: String) throws(ManagementError) -> KeyType {
        guard let type = KeyType(rawValue: text.uppercased()) else {
            throw ManagementError.badRequest("keyType must be PRODUCTION or SANDBOX")
        }
        return type
    }
}
