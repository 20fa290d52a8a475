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
    }

    // MARK: - Applications

    private func list(_ request: Request) async throws -> Response {
        let principal = try await caller(request)
        let applications = try await DevPortalSupport.portalApplications(owner: principal.username, services: services)
        var dtos: [ApplicationDTO] = []
        for application in applications {
            let count = try await services.keyManager.subscriptions(applicationID: application.id).count
            dtos.append(ApplicationDTO(application, subscriptionCount: count))
        }
        return JSONResponses.response(ListDTO(dtos, page: try request.pagination()))
    }

    private func create(_ request: Request) async throws -> Response {
        let principal = try await caller(request)
        let dto = try await services.decoder.decode(
            ApplicationDTO.self,
            from: request,
            readOnlyFields: ApplicationDTO.readOnlyFields
        )
        try dto.validate(tiers: try await services.tierNames(.application))
        var application = try await SubscriberService(services: services).createApplication(
            name: dto.name,
            tier: dto.throttlingPolicy,
            description: dto.description,
            principal: principal
        )
        if let tokenType = dto.tokenType, tokenType != application.tokenType {
            application.tokenType = tokenType
            try await services.keyManager.updateApplication(application)
        }
        return JSONResponses.response(
            ApplicationDTO(application, subscriptionCount: 0),
            status: .created,
            headers: [.location: "\(DevPortalAPIsController.prefix)/applications/\(application.id)"]
        )
    }

    private func get(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        let application = try await DevPortalSupport.ownedApplication(id, principal: principal, services: services)
        let count = try await services.keyManager.subscriptions(applicationID: id).count
        return JSONResponses.response(ApplicationDTO(application, subscriptionCount: count))
    }

    private func update(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        var application = try await DevPortalSupport.ownedApplication(id, principal: principal, services: services)
        let dto = try await services.decoder.decode(
            ApplicationDTO.self,
            from: request,
            readOnlyFields: ApplicationDTO.readOnlyFields
        )
        try dto.validate(tiers: try await services.tierNames(.application))
        if dto.name != application.name,
            try await services.storage.application(owner: application.owner, name: dto.name) != nil
        {
            throw ManagementError.conflict("An application named \(dto.name) already exists")
        }
        application.name = dto.name
        application.throttlingTier = dto.throttlingPolicy
        application.description = dto.description
        application.tokenType = dto.tokenType ?? application.tokenType
        try await services.keyManager.updateApplication(application)
        return JSONResponses.response(
            ApplicationDTO(try await DevPortalSupport.ownedApplication(id, principal: principal, services: services))
        )
    }

    private func delete(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        try await SubscriberService(services: services).deleteApplication(id, principal: principal)
        return JSONResponses.empty()
    }

    // MARK: - Keys

    private func generateKeys(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        let application = try await DevPortalSupport.ownedApplication(id, principal: principal, services: services)
        let dto = try await services.decoder.decode(KeyGenerationRequestDTO.self, from: request)
        let keyType = try Self.keyType(dto.keyType)
        let supported = ["password", "client_credentials", "refresh_token"]
        if let grants = dto.grantTypesToBeSupported, let unsupported = grants.first(where: { !supported.contains($0) })
        {
            throw ManagementError.badRequest(
                "The grant type \(unsupported) is not supported; use \(supported.joined(separator: ", "))"
            )
        }
        // Everything the token request checks is checked first, so a refused token never leaves keys behind.
        let identity = services.keyManager.configuration.identity
        let longest = services.keyManager.configuration.maximumValidityPeriod
        if let validity = dto.validityTime, validity <= identity.timestampSkew || validity > longest {
            throw ManagementError.badRequest(
                "validityTime must be more than \(identity.timestampSkew) and at most \(longest) seconds"
            )
        }
        if let scope = dto.scopes?.first(where: { !Self.isScopeToken($0) }) {
            throw ManagementError.badRequest("The scope \"\(scope)\" is malformed")
        }
        if try await services.keyManager.keys(applicationID: application.id).contains(where: { $0.keyType == keyType })
        {
            throw ManagementError.conflict("The application already has \(keyType.rawValue) keys")
        }
        let keys = try await services.keyManager.generateKeys(
            applicationID: application.id,
            keyType: keyType,
            grantTypes: dto.grantTypesToBeSupported,
            callbackURL: dto.callbackUrl
        )
        var token: ApplicationTokenDTO?
        let grant = "client_credentials"
        if keys.grantTypes.contains(grant) && identity.supportedGrantTypes.contains(grant) {
            let response = try await services.keyManager.token(
                for: TokenRequest(grant: .clientCredentials, scopes: dto.scopes, validityPeriod: dto.validityTime),
                credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
            )
            token = ApplicationTokenDTO(response)
        }
        return JSONResponses.response(ApplicationKeyDTO(keys, callbackURL: dto.callbackUrl, token: token))
    }

    private func keys(_ request: Request, _ id: String, keyType: String?) async throws -> Response {
        let principal = try await caller(request)
        _ = try await DevPortalSupport.ownedApplication(id, principal: principal, services: services)
        let records = try await services.keyManager.keys(applicationID: id)
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
        let keys = try await SubscriberService(services: services).regenerateSecret(
            applicationID: id,
            keyType: type,
            principal: principal
        )
        return JSONResponses.response(["consumerKey": keys.consumerKey, "consumerSecret": keys.consumerSecret])
    }

    private func generateToken(_ request: Request, _ id: String, _ keyType: String) async throws -> Response {
        let principal = try await caller(request)
        let subscribers = SubscriberService(services: services)
        // Ownership and the keys' existence are checked before the body is read, as before.
        _ = try await subscribers.application(id, principal: principal)
        let type = try Self.keyType(keyType)
        guard try await services.keyManager.keys(applicationID: id).contains(where: { $0.keyType == type }) else {
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

    // MARK: - Helpers

    /// A caller allowed to manage applications.
    private func caller(_ request: Request) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:app_manage")
        return principal
    }

    /// RFC 6749 §3.3 `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
    static func isScopeToken(_ scope: String) -> Bool {
        !scope.isEmpty
            && scope.unicodeScalars.allSatisfy { scalar in
                scalar.value == 0x21 || (0x23...0x5B).contains(scalar.value) || (0x5D...0x7E).contains(scalar.value)
            }
    }

    static func keyType(_ text: String) throws(ManagementError) -> KeyType {
        guard let type = KeyType(rawValue: text.uppercased()) else {
            throw ManagementError.badRequest("keyType must be PRODUCTION or SANDBOX")
        }
        return type
    }
}
