import Foundation
import SluiceArtifacts
import SluiceControlPlane
import SluiceStorage

/// WSO2's `ProductAPI` in a product body: an API and the operations the product offers from it.
struct ProductAPIDTO: Codable, Sendable {
    var apiId: String
    var name: String?
    var version: String?
    var operations: [APIOperation]?
}

/// The body of `POST|PUT /api-products`: WSO2's `APIProduct`, read as an API definition (name, context, version,
/// tiers, visibility...) plus `apis`.
struct APIProductRequestDTO: Codable, Sendable {
    /// The fields the server sets; a client may send them back.
    static let readOnlyFields: Set<String> = [
        "id", "state", "createdTime", "lastUpdatedTime", "gatewayDeployed", "hasPendingChanges", "apiType",
        "revisionedApiProductId", "operations",
    ]

    var definition: APIDefinition
    var apis: [ProductAPIDTO]

    private enum CodingKeys: String, CodingKey { case apis }

    init(from decoder: any Decoder) throws {
        definition = try APIDefinition(from: decoder)
        apis = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent([ProductAPIDTO].self, forKey: .apis) ?? []
    }

    func encode(to encoder: any Encoder) throws {
        try definition.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(apis, forKey: .apis)
    }

    var parts: [APIProductService.Part] {
        apis.map { APIProductService.Part(apiID: $0.apiId, operations: $0.operations ?? []) }
    }
}

extension APIProductRequestDTO: WSO2RequestBody {
    /// WSO2's `APIProduct` beyond an API's definition, and the operation properties of other API types.
    static var wso2OnlyFields: Set<String> {
        APIDefinition.wso2OnlyFields.union([
            "revisionId", "isRevision", "visibleTenants", "accessControl", "accessControlRoles",
            "apis[].operations[].id", "apis[].operations[].usedProductIds", "apis[].operations[].amznResourceName",
            "apis[].operations[].amznResourceTimeout", "apis[].operations[].amznResourceContentEncode",
            "apis[].operations[].payloadSchema", "apis[].operations[].uriMapping",
            "apis[].operations[].operationPolicies", "apis[].operations[].operationHubPolicies",
        ])
    }
}

/// WSO2's `APIProduct` answer: the definition's fields, `state`, `apiType: APIPRODUCT` and `apis`.
struct APIProductResponseDTO: Encodable, Sendable {
    var api: APIResponseDTO
    var apis: [ProductAPIDTO]
    var state: String

    init(_ product: APIProductService.Product, categories: [String]? = nil) {
        api = APIResponseDTO(record: product.record, categories: categories)
        state = product.record.lifecycleState.rawValue
        apis = product.parts.map { part in
            ProductAPIDTO(apiId: part.api?.id ?? "", name: part.api?.name, version: part.api?.version, operations: part.operations)
        }
    }

    private enum CodingKeys: String, CodingKey { case apis, state, apiType }

    func encode(to encoder: any Encoder) throws {
        try api.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(apis, forKey: .apis)
        try container.encode(state, forKey: .state)
        try container.encode("APIPRODUCT", forKey: .apiType)
    }
}

/// WSO2's `APIProductInfo`: a product in a list.
struct APIProductInfoDTO: Encodable, Sendable {
    var id: String
    var name: String
    var context: String
    var version: String
    var provider: String
    var description: String?
    var state: String
    var hasThumbnail = false
    var securityScheme: [String]

    init(record: APIRecord) {
        id = record.id
        name = record.name
        context = record.context
        version = record.version
        provider = record.provider
        description = record.description
        state = record.lifecycleState.rawValue
        securityScheme = record.stored.definition.securityScheme ?? ["oauth2"]
    }
}
