import Foundation
import SluiceArtifacts
import SluiceControlPlane
import SluiceStorage

/// The devportal's `APIDTO`: what a subscriber needs to know, with documents and owner contacts.
struct DevPortalAPIDTO: Encodable, Sendable {
    struct Operation: Encodable, Sendable {
        var target: String
        var verb: String
        var authType: String
        var scopes: [String]
    }

    var id: String
    var name: String
    var context: String
    var version: String
    var provider: String
    var description: String?
    var lifeCycleStatus: String
    var tags: [String]
    /// WSO2's `APITiers`: the subscription tiers offered, with their billing plan (`FREE`, `COMMERCIAL`).
    var tiers: [Tier]
    var isDefaultVersion: Bool
    var transport: [String]
    var operations: [Operation]
    var businessInformation: APIBusinessInformation?
    /// A decimal in a string, as WSO2 writes it (`"3.5"`).
    var avgRating: String
    var ratingCount: Int
    var documents: [DocumentDTO]
    var createdTime: Date

    struct Tier: Encodable, Sendable {
        var tierName: String
        var tierPlan: String
    }

    /// - Parameter plans: The billing plan of each subscription tier (`FREE` when a tier has none).
    init(record: APIRecord, rating: APIRatingSummary, documents: [APIDocumentRecord], plans: [String: String]) {
        let definition = record.stored.definition
        let builder = APITemplateBuilder()
        id = record.id
        name = record.name
        context = builder.versionedContext(for: definition)
        version = record.version
        provider = record.provider
        description = record.description
        lifeCycleStatus = record.lifecycleState.rawValue
        tags = record.tags
        tiers = definition.offeredTiers.map { Tier(tierName: $0, tierPlan: plans[$0] ?? "FREE") }
        isDefaultVersion = record.isDefaultVersion
        transport = definition.transport
        operations = definition.effectiveOperations.map {
            Operation(target: $0.target, verb: $0.verb, authType: $0.normalizedAuthType ?? "Any", scopes: $0.scopes)
        }
        businessInformation = definition.businessInformation
        avgRating = String(rating.average)
        ratingCount = rating.count
        self.documents = documents.map { DocumentDTO($0, withContent: false) }
        createdTime = record.createdAt
    }
}

/// An API in a devportal list.
struct DevPortalAPIInfoDTO: Encodable, Sendable {
    var id: String
    var name: String
    var context: String
    var version: String
    var provider: String
    var description: String?
    var lifeCycleStatus: String
    var tags: [String]
    var throttlingPolicies: [String]
    /// A decimal in a string, as WSO2 writes it.
    var avgRating: String
    var createdTime: Date

    init(record: APIRecord, rating: Double) {
        id = record.id
        name = record.name
        context = record.context
        version = record.version
        provider = record.provider
        description = record.description
        lifeCycleStatus = record.lifecycleState.rawValue
        tags = record.tags
        throttlingPolicies = record.stored.definition.offeredTiers
        avgRating = String(rating)
        createdTime = record.createdAt
    }
}

/// `TagDTO`.
struct TagDTO: Encodable, Sendable {
    var value: String
    var count: Int
}

/// `RatingDTO`: one user's rating.
struct RatingDTO: Codable, Sendable {
    var ratingId: String?
    var apiId: String?
    var ratedBy: String?
    var rating: Int
}

/// `RatingListDTO`: the average, the caller's own rating and the count.
struct RatingListDTO: Encodable, Sendable {
    /// A decimal in a string, as WSO2 writes it.
    var avgRating: String
    var userRating: Int?
    var count: Int
}

/// WSO2's `Comment` (and its `PostRequestBody`/`PatchRequestBody`) as a request: the text, and the parent of a reply
/// (WSO2 names it in the query; Sluice also takes it here). Answers are ``CommentResponseDTO``.
struct CommentDTO: Codable, Sendable {
    static let readOnlyFields: Set<String> = [
        "id", "createdBy", "createdTime", "entryPoint", "updatedTime", "commenterInfo", "replies",
    ]

    var content: String
    var parentCommentId: String?
}

/// WSO2's `APISearchResult`: an item of `GET /search`, with `type` `API` (Sluice searches APIs only).
struct APISearchResultDTO: Encodable, Sendable {
    var id: String
    var name: String
    var type = "API"
    var transportType = "HTTP"
    var context: String
    var version: String
    var provider: String
    var description: String?
    var status: String

    init(record: APIRecord) {
        id = record.id
        name = record.name
        context = record.context
        version = record.version
        provider = record.provider
        description = record.description
        status = record.lifecycleState.rawValue
    }
}
