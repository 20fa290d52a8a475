import Foundation
import SluiceArtifacts
import SluiceControlPlane
import SluiceStorage

/// The publisher's `APIDTO`: the definition's fields plus the server-set ones.
struct APIResponseDTO: Encodable, Sendable {
    /// Fields a client may send back from a GET; the server sets them.
    static let readOnlyFields: Set<String> = [
        "id", "lifeCycleStatus", "createdTime", "lastUpdatedTime", "gatewayDeployed", "hasPendingChanges",
    ]

    var definition: APIDefinition
    var createdTime: Date
    var lastUpdatedTime: Date
    var gatewayDeployed: Bool
    /// Sluice's: edits of a live API by a user without the publisher role wait for a publisher
    /// (`POST /apis/{apiId}/redeploy`); the gateway serves the API as it was before them.
    var hasPendingChanges: Bool
    /// The names of the API categories attached to it (WSO2's `categories`); nil: not looked up.
    var categories: [String]?

    init(record: APIRecord, categories: [String]? = nil) {
        let stored = record.stored
        definition = stored.definition
        createdTime = record.createdAt
        lastUpdatedTime = record.updatedAt
        gatewayDeployed = stored.gatewayDeployed
        hasPendingChanges = stored.hasPendingChanges
        self.categories = categories
    }

    private enum CodingKeys: String, CodingKey {
        case createdTime, lastUpdatedTime, gatewayDeployed, hasPendingChanges, categories
    }

    func encode(to encoder: any Encoder) throws {
        try definition.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(createdTime, forKey: .createdTime)
        try container.encode(lastUpdatedTime, forKey: .lastUpdatedTime)
        try container.encode(gatewayDeployed, forKey: .gatewayDeployed)
        try container.encode(hasPendingChanges, forKey: .hasPendingChanges)
        try container.encodeIfPresent(categories, forKey: .categories)
    }
}

/// `APIInfoDTO`: an API in a list.
struct APIInfoDTO: Encodable, Sendable {
    var id: String
    var name: String
    var context: String
    var version: String
    var provider: String
    var description: String?
    var lifeCycleStatus: String
    var visibility: String
    var isDefaultVersion: Bool
    var tags: [String]
    var createdTime: Date

    init(record: APIRecord) {
        id = record.id
        name = record.name
        context = record.context
        version = record.version
        provider = record.provider
        description = record.description
        lifeCycleStatus = record.lifecycleState.rawValue
        visibility = record.visibility
        isDefaultVersion = record.isDefaultVersion
        tags = record.tags
        createdTime = record.createdAt
    }
}
