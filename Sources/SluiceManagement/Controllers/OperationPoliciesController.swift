import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SluiceControlPlane

/// WSO2 v4's operation policies: the common ones (`/operation-policies`: list, add, get, delete, content, export,
/// import) and an API's own (`/apis/{apiId}/operation-policies`). Rules live in ``OperationPolicyService``.
struct OperationPoliciesController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    static let commonViewScopes = [
        "apim:common_operation_policy_view", "apim:common_operation_policy_manage", "apim:policies_import_export",
        "apim:api_view",
    ]
    static let commonManageScopes = ["apim:common_operation_policy_manage", "apim:admin"]
    static let commonDeleteScopes = ["apim:common_operation_policy_manage", "apim:policies_import_export", "apim:admin"]
    static let importExportScopes = ["apim:policies_import_export"]
    static let apiViewScopes = ["apim:api_view", "apim:api_manage", "apim:api_create", "apim:api_publish"]
    static let apiManageScopes = ["apim:api_create", "apim:api_manage", "apim:mediation_policy_create"]

    /// WSO2's `OperationPolicyData`.
    struct PolicyDTO: Encodable, Sendable {
        var category: String?
        var id: String
        var name: String
        var version: String
        var displayName: String?
        var description: String?
        var applicableFlows: [String]
        var supportedGateways: [String]
        /// WSO2's schema's maps (`{apiType: HTTP}`), the form its newer servers answer.
        var supportedApiTypes: [[String: String]]
        var isAPISpecific: Bool
        var policyAttributes: [OperationPolicySpec.Attribute]

        init(_ policy: OperationPolicyService.Policy) {
            category = policy.spec.category
            id = policy.id
            name = policy.spec.name
            version = policy.spec.version
            displayName = policy.spec.displayName
            description = policy.spec.description
            applicableFlows = policy.spec.applicableFlows
            supportedGateways = policy.spec.supportedGateways
            supportedApiTypes = policy.spec.supportedApiTypes.map { ["apiType": $0] }
            isAPISpecific = policy.apiID != nil
            policyAttributes = policy.spec.policyAttributes
        }
    }

    private var policies: OperationPolicyService { OperationPolicyService(services: services) }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let common = "\(PublisherAPIsController.prefix)/operation-policies"
        let api = "\(PublisherAPIsController.prefix)/apis/:apiId/operation-policies"
        routes.get(common) { request, _ in
            try await caller(request, Self.commonViewScopes)
            let page = try request.pagination()
            return JSONResponses.response(ListDTO(try await policies.commonPolicies(query: request.query("query")).map(PolicyDTO.init), page: page))
        }
        routes.post(common) { request, _ in
            try await caller(request, Self.commonManageScopes)
            let (spec, definition) = try await upload(request)
            return created(try await policies.add(spec: spec, definition: definition, apiID: nil), at: common)
        }
        routes.get("\(common)/export") { request, _ in
            try await caller(request, Self.importExportScopes)
            let policy = try await policies.commonPolicy(
                name: try request.requiredQuery("name"), version: request.query("version") ?? "v1"
            )
            let format: APIProject.Format = request.query("format")?.uppercased() == "JSON" ? .json : .yaml
            return try Self.zip(policy, format: format)
        }
        routes.post("\(common)/import") { request, _ in
            try await caller(request, Self.importExportScopes)
            let file = try await MultipartFormData.file(of: request, services: services, what: "the policy archive")
            let (spec, definition) = try OperationPolicyArchive.read(file.body)
            return JSONResponses.response(PolicyDTO(try await policies.add(spec: spec, definition: definition, apiID: nil)))
        }
        routes.get("\(common)/:operationPolicyId") { request, context in
            try await caller(request, Self.commonViewScopes)
            return JSONResponses.response(PolicyDTO(try await policies.commonPolicy(id: context.parameters.path("operationPolicyId"))))
        }
        routes.delete("\(common)/:operationPolicyId") { request, context in
            try await caller(request, Self.commonDeleteScopes)
            try await policies.delete(id: context.parameters.path("operationPolicyId"), apiID: nil)
            return JSONResponses.empty()
        }
        routes.get("\(common)/:operationPolicyId/content") { request, context in
            try await caller(request, Self.commonViewScopes)
            return try Self.zip(try await policies.commonPolicy(id: context.parameters.path("operationPolicyId")), format: .yaml)
        }
        routes.get(api) { request, context in
            try await caller(request, Self.apiViewScopes)
            let page = try request.pagination()
            return JSONResponses.response(ListDTO(try await policies.apiPolicies(apiID: context.parameters.path("apiId")).map(PolicyDTO.init), page: page))
        }
        routes.post(api) { request, context in
            try await caller(request, Self.apiManageScopes)
            let apiID = context.parameters.path("apiId")
            let (spec, definition) = try await upload(request)
            return created(try await policies.add(spec: spec, definition: definition, apiID: apiID), at: api.replacingOccurrences(of: ":apiId", with: apiID))
        }
        routes.get("\(api)/:operationPolicyId") { request, context in
            try await caller(request, Self.apiViewScopes)
            let policy = try await policies.apiPolicy(apiID: context.parameters.path("apiId"), id: context.parameters.path("operationPolicyId"))
            return JSONResponses.response(PolicyDTO(policy))
        }
        routes.delete("\(api)/:operationPolicyId") { request, context in
            try await caller(request, Self.apiManageScopes)
            try await policies.delete(id: context.parameters.path("operationPolicyId"), apiID: context.parameters.path("apiId"))
            return JSONResponses.empty()
        }
        routes.get("\(api)/:operationPolicyId/content") { request, context in
            try await caller(request, Self.apiViewScopes)
            let policy = try await policies.apiPolicy(apiID: context.parameters.path("apiId"), id: context.parameters.path("operationPolicyId"))
            return try Self.zip(policy, format: .yaml)
        }
    }

    /// The specification and Synapse definition of WSO2's form (`policySpecFile`, `synapsePolicyDefinitionFile`;
    /// `ccPolicyDefinitionFile`, for Choreo Connect, is ignored).
    private func upload(_ request: Request) async throws -> (OperationPolicySpec, String) {
        let form = try await MultipartFormData.read(request, services: services, expected: "policySpecFile and synapsePolicyDefinitionFile")
        guard let specFile = form["policySpecFile"] else { throw ManagementError.badRequest("The form needs policySpecFile") }
        guard let definitionFile = form["synapsePolicyDefinitionFile"] else {
            throw ManagementError.badRequest("The form needs synapsePolicyDefinitionFile: Sluice runs Synapse policies")
        }
        guard let definition = definitionFile.text else {
            throw ManagementError.badRequest("synapsePolicyDefinitionFile: not UTF-8 text")
        }
        let spec = try OperationPolicySpec.read([UInt8](specFile.body), file: specFile.fileName ?? "policySpecFile")
        return (spec, definition)
    }

    private func created(_ policy: OperationPolicyService.Policy, at base: String) -> Response {
        var response = JSONResponses.response(PolicyDTO(policy), status: .created)
        response.headers[.location] = "\(base)/\(policy.id)"
        return response
    }

    private static func zip(_ policy: OperationPolicyService.Policy, format: APIProject.Format) throws -> Response {
        let archive = try OperationPolicyArchive.zip(policy, format: format)
        var headers = HTTPFields()
        headers[.contentType] = "application/zip"
        headers[.contentDisposition] = "attachment; filename=\"\(OperationPolicyArchive.fileName(of: policy))\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: archive)))
    }

    @discardableResult
    private func caller(_ request: Request, _ scopes: [String]) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.requireAny(scopes)
        return principal
    }
}
