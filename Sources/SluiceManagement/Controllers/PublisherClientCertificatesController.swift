import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel

/// The client certificates of a mutual-TLS API: WSO2's deprecated `/apis/{apiId}/client-certificates` resources
/// (production certificates) and their successor `/apis/{apiId}/client-certs/{keyType}`. Uploads are
/// `multipart/form-data` with `certificate` (the `.crt` file, PEM or DER), `alias` and `tier`.
struct PublisherClientCertificatesController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    private var service: PublisherAPIService { PublisherAPIService(services: services, logger: logger) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = PublisherAPIsController.prefix
        for (path, keyTyped) in [("/apis/:apiId/client-certificates", false), ("/apis/:apiId/client-certs/:keyType", true)] {
            let base = prefix + path
            routes.get(base) { request, context in
                try await list(request, try Self.scope(context.parameters, keyTyped: keyTyped))
            }
            routes.post(base) { request, context in
                try await add(request, try Self.scope(context.parameters, keyTyped: keyTyped))
            }
            routes.get("\(base)/:alias") { request, context in
                try await info(request, try Self.scope(context.parameters, keyTyped: keyTyped), context.parameters)
            }
            routes.put("\(base)/:alias") { request, context in
                try await update(request, try Self.scope(context.parameters, keyTyped: keyTyped), context.parameters)
            }
            routes.delete("\(base)/:alias") { request, context in
                try await delete(request, try Self.scope(context.parameters, keyTyped: keyTyped), context.parameters)
            }
            routes.get("\(base)/:alias/content") { request, context in
                try await content(request, try Self.scope(context.parameters, keyTyped: keyTyped), context.parameters)
            }
        }
    }

    /// The API and key type a route addresses (PRODUCTION for the deprecated resources).
    struct Scope {
        var apiID: String
        var keyType: KeyType
        var keyTyped: Bool
    }

    static func scope(_ parameters: Parameters, keyTyped: Bool) throws -> Scope {
        var keyType = KeyType.production
        if keyTyped {
            let text = parameters.path("keyType")
            guard let named = KeyType(rawValue: text.uppercased()) else {
                throw ManagementError.badRequest("keyType must be PRODUCTION or SANDBOX")
            }
            keyType = named
        }
        return Scope(apiID: parameters.path("apiId"), keyType: keyType, keyTyped: keyTyped)
    }

    // MARK: - Handlers

    private func list(_ request: Request, _ scope: Scope) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        let certificates = try await service.clientCertificates(
            apiID: scope.apiID,
            alias: request.query("alias"),
            keyType: scope.keyType,
            by: principal
        )
        let page = try request.pagination()
        let shown = page.page(certificates)
        return JSONResponses.response(
            ClientCertificatesDTO(
                count: shown.count,
                certificates: shown.map(ClientCertMetadataDTO.init),
                pagination: .init(offset: page.offset, limit: page.limit, total: certificates.count)
            )
        )
    }

    private func add(_ request: Request, _ scope: Scope) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        let form = try await Self.form(request, services: services)
        guard let alias = form["alias"]?.text, let tier = form["tier"]?.text, let certificate = form["certificate"] else {
            throw ManagementError.badRequest("The form needs certificate, alias and tier")
        }
        let added = try await service.addClientCertificate(
            apiID: scope.apiID,
            alias: alias,
            tier: tier.trimmingCharacters(in: .whitespaces),
            keyType: scope.keyType,
            bytes: Array(certificate.body),
            by: principal
        )
        let path = scope.keyTyped ? "client-certs/\(scope.keyType.rawValue)" : "client-certificates"
        let location = "\(PublisherAPIsController.prefix)/apis/\(scope.apiID)/\(path)/\(added.alias)"
        return JSONResponses.response(ClientCertMetadataDTO(added), headers: [.location: location])
    }

    private func info(_ request: Request, _ scope: Scope, _ parameters: Parameters) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        let alias = try await existingAlias(parameters, scope, principal)
        let info = try await service.clientCertificateInfo(apiID: scope.apiID, alias: alias, by: principal)
        return JSONResponses.response(CertificateInfoDTO(info))
    }

    private func update(_ request: Request, _ scope: Scope, _ parameters: Parameters) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        let alias = try await existingAlias(parameters, scope, principal)
        let form = try await Self.form(request, services: services)
        let tier = form["tier"]?.text?.trimmingCharacters(in: .whitespaces)
        let bytes = form["certificate"].map { Array($0.body) }
        guard tier != nil || bytes != nil else {
            throw ManagementError.badRequest("The form needs a certificate, a tier or both")
        }
        let updated = try await service.updateClientCertificate(
            apiID: scope.apiID, alias: alias, tier: tier, bytes: bytes, by: principal
        )
        return JSONResponses.response(ClientCertMetadataDTO(updated))
    }

    private func delete(_ request: Request, _ scope: Scope, _ parameters: Parameters) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_create")
        let alias = try await existingAlias(parameters, scope, principal)
        try await service.deleteClientCertificate(apiID: scope.apiID, alias: alias, by: principal)
        return JSONResponses.empty()
    }

    private func content(_ request: Request, _ scope: Scope, _ parameters: Parameters) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        let alias = try await existingAlias(parameters, scope, principal)
        let pem = try await service.clientCertificateContent(apiID: scope.apiID, alias: alias, by: principal)
        var headers: HTTPFields = [.contentType: "application/x-pem-file"]
        headers[.contentDisposition] = "attachment; filename=\"\(alias).crt\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: pem)))
    }

    /// The alias of the path, when the API has a certificate of the route's key type under it (404 otherwise).
    private func existingAlias(_ parameters: Parameters, _ scope: Scope, _ principal: Principal) async throws -> String {
        let alias = parameters.path("alias")
        let matching = try await service.clientCertificates(
            apiID: scope.apiID, alias: alias, keyType: scope.keyType, by: principal
        )
        guard !matching.isEmpty else {
            throw ManagementError.notFound("No certificate with alias '\(alias)' for this API")
        }
        return alias
    }

    private static func form(_ request: Request, services: APIManagerServices) async throws -> MultipartFormData {
        let contentType = request.headers[.contentType] ?? ""
        guard MultipartFormData.isMultipart(contentType) else {
            throw ManagementError.badRequest("Send multipart/form-data with certificate, alias and tier")
        }
        let limit = services.decoder.maximumBodySize
        let body: Data
        do {
            body = Data(buffer: try await request.body.collect(upTo: limit))
        } catch {
            throw ManagementError(.contentTooLarge, detail: "The upload is larger than \(limit) bytes")
        }
        return try MultipartFormData(body: body, contentType: contentType)
    }
}

/// `ClientCertMetadataDTO`.
struct ClientCertMetadataDTO: Encodable, Sendable {
    var alias: String
    var apiId: String
    var tier: String
    var keyType: String

    init(_ metadata: PublisherAPIService.ClientCertificateMetadata) {
        alias = metadata.alias
        apiId = metadata.apiID
        tier = metadata.tier
        keyType = metadata.keyType.rawValue
    }
}

/// `ClientCertificatesDTO`.
struct ClientCertificatesDTO: Encodable, Sendable {
    var count: Int
    var certificates: [ClientCertMetadataDTO]
    var pagination: ListDTO<ClientCertMetadataDTO>.PaginationDTO
}

/// `CertificateInfoDTO`, with the fingerprint Sluice matches the certificate by.
struct CertificateInfoDTO: Encodable, Sendable {
    struct Validity: Encodable, Sendable {
        var from: Date
        var to: Date
    }

    var status: String
    var validity: Validity
    var version: String
    var subject: String
    var fingerprint: String

    init(_ info: PublisherAPIService.ClientCertificateInfo) {
        status = info.status
        validity = Validity(from: info.validFrom, to: info.validTo)
        version = info.version
        subject = info.subject
        fingerprint = info.fingerprint
    }
}
