import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// WSO2 4.x's further consumer secrets under `/applications/{applicationId}/oauth-keys/{keyMappingId}`:
/// `generate-secret` (201, the secret shown once), `secrets` (the list, without values) and `revoke-secret` (204).
/// The rules are ``SubscriberService``'s.
struct DevPortalSecretsController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// WSO2's scopes of the three operations (any one of them).
    static let scopes = ["apim:subscribe", "apim:app_manage"]

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let base = DevPortalAPIsController.prefix + "/applications/:applicationId/oauth-keys/:keyMappingId"
        routes.post("\(base)/generate-secret") { request, context in
            try await generate(request, context.parameters)
        }
        routes.get("\(base)/secrets") { request, context in try await list(request, context.parameters) }
        routes.post("\(base)/revoke-secret") { request, context in try await revoke(request, context.parameters) }
    }

    private var subscribers: SubscriberService { SubscriberService(services: services) }

    /// The caller, the application id and the key type of the mapping id.
    private func target(_ request: Request, _ parameters: Parameters) async throws
        -> (Principal, String, KeyType)
    {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(Self.scopes)
        let id = parameters.path("applicationId")
        guard let keyType = KeyMapping.keyType(of: parameters.path("keyMappingId"), applicationID: id) else {
            throw ManagementError.notFound("The application has no keys \(parameters.path("keyMappingId"))")
        }
        return (principal, id, keyType)
    }

    private func generate(_ request: Request, _ parameters: Parameters) async throws -> Response {
        let (principal, id, keyType) = try await target(request, parameters)
        let dto = try await services.decoder.decode(SecretCreationDTO.self, from: request)
        let (record, secret) = try await subscribers.generateSecret(
            applicationID: id,
            keyType: keyType,
            description: dto.additionalProperties?.description,
            expiresIn: dto.additionalProperties?.expiresIn?.value,
            principal: principal
        )
        var answer = ConsumerSecretDTO(record)
        answer.secretValue = secret
        return JSONResponses.response(
            answer,
            status: .created,
            headers: [.location: request.uri.path.replacingOccurrences(of: "/generate-secret", with: "/secrets")]
        )
    }

    private func list(_ request: Request, _ parameters: Parameters) async throws -> Response {
        let (principal, id, keyType) = try await target(request, parameters)
        let (key, secrets) = try await subscribers.secrets(applicationID: id, keyType: keyType, principal: principal)
        let primary = ConsumerSecretDTO(
            secretId: SubscriberService.primarySecretID,
            additionalProperties: .init(
                description: "The keys' own secret (regenerate-secret replaces it)",
                createdAt: Int64(key.createdAt.timeIntervalSince1970)
            )
        )
        return JSONResponses.response(ListDTO([primary] + secrets.map(ConsumerSecretDTO.init)))
    }

    private func revoke(_ request: Request, _ parameters: Parameters) async throws -> Response {
        let (principal, id, keyType) = try await target(request, parameters)
        let dto = try await services.decoder.decode(SecretRevocationDTO.self, from: request)
        try await subscribers.revokeSecret(dto.secretId, applicationID: id, keyType: keyType, principal: principal)
        return JSONResponses.empty(status: .noContent)
    }
}

/// WSO2's `ConsumerSecretCreationRequest`.
struct SecretCreationDTO: Codable, Sendable {
    struct Properties: Codable, Sendable {
        var description: String?
        /// Seconds; nil: until revoked.
        var expiresIn: WSO2Integer?
    }

    var additionalProperties: Properties?
}

/// WSO2's `ConsumerSecretDeletionRequest`.
struct SecretRevocationDTO: Codable, Sendable {
    var secretId: String
}

extension SecretRevocationDTO: WSO2RequestBody {
    /// Key-manager specific properties of the revocation.
    static var wso2OnlyFields: Set<String> { ["additionalProperties"] }
}

/// WSO2's `ConsumerSecret`: the value only in the answer that made it; times in seconds since 1970, as WSO2's
/// example (its schema types the properties as objects, its server sends numbers).
struct ConsumerSecretDTO: Encodable, Sendable {
    struct Properties: Encodable, Sendable {
        var description: String?
        var createdAt: Int64
        var expiresAt: Int64?
    }

    var secretId: String
    var secretValue: String?
    var additionalProperties: Properties

    init(secretId: String, additionalProperties: Properties) {
        self.secretId = secretId
        self.additionalProperties = additionalProperties
    }

    init(_ record: ConsumerSecretRecord) {
        secretId = record.id
        additionalProperties = Properties(
            description: record.description,
            createdAt: Int64(record.createdAt.timeIntervalSince1970),
            expiresAt: record.expiresAt.map { Int64($0.timeIntervalSince1970) }
        )
    }
}
