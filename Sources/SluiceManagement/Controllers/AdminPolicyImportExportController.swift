import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel

/// WSO2's admin `GET /throttling/policies/export` (policyId or name, type; JSON, or YAML with `format=YAML`) and
/// `POST /throttling/policies/import` (a multipart form with the exported file as `file`; overwrite). The work is
/// ``ThrottlePolicyImportExportService``'s; the file's policy is read as strictly as the policy operations' bodies.
struct AdminPolicyImportExportController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    private var service: ThrottlePolicyImportExportService { ThrottlePolicyImportExportService(services: services) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = AdminController.prefix
        routes.get(prefix + "/throttling/policies/export") { request, _ in try await export(request) }
        routes.post(prefix + "/throttling/policies/import") { request, _ in try await importPolicy(request) }
    }

    private func export(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(ThrottlePolicyImportExportService.scopes)
        let exported = try await service.export(
            policyID: request.query("policyId"),
            name: request.query("name"),
            type: request.query("type"),
            by: principal
        )
        let file = ExportedThrottlePolicyDTO(
            type: ThrottlePolicyImportExportService.fileType,
            subtype: exported.subtype,
            version: APIProject.envelopeVersion,
            data: .init(policy: ThrottlePolicyDTO(exported.tier, level: exported.level), type: exported.dtoType)
        )
        guard try request.exportFormat() == .yaml, request.query("format") != nil else {
            return JSONResponses.response(file)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/x-yaml"
        let yaml = try ThrottlePolicyImportExportService.yaml(file)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: yaml)))
    }

    private func importPolicy(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(ThrottlePolicyImportExportService.scopes)
        let overwrite = try request.booleanQuery("overwrite", default: false)
        let file = try await MultipartFormData.file(of: request, services: services, what: "the policy file")
        let (level, data) = try ThrottlePolicyImportExportService.read(file.body)
        let dto = try services.decoder.decode(ThrottlePolicyDTO.self, from: data, readOnlyFields: ThrottlePolicyDTO.readOnlyFields)
        let tier = try dto.tier(level: level)
        let created = try await service.importPolicy(tier, level: level, overwrite: overwrite, by: principal)
        let kind = ThrottlePolicyImportExportService.levels.first { $0.level == level }!.subtype.capitalized
        return Response.plainText("Successfully \(created ? "imported" : "updated") \(kind) : \(tier.name)")
    }
}

/// WSO2's `ExportThrottlePolicy`: the policy's DTO as `data`, with the DTO's `type`.
struct ExportedThrottlePolicyDTO: Encodable, Sendable {
    struct Policy: Encodable, Sendable {
        var policy: ThrottlePolicyDTO
        /// `SubscriptionThrottlePolicy`, `ApplicationThrottlePolicy` or `AdvancedThrottlePolicy`.
        var type: String

        private enum CodingKeys: String, CodingKey { case type }

        func encode(to encoder: any Encoder) throws {
            try policy.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
        }
    }

    var type: String
    var subtype: String
    var version: String
    var data: Policy
}
