import Foundation
import SluiceControlPlane
import SluiceKeyManager
import SluiceModel
import SluiceStorage

/// The devportal's `ApplicationDTO`.
struct ApplicationDTO: Codable, Sendable {
    static let readOnlyFields: Set<String> = [
        "applicationId", "owner", "status", "subscriptionCount", "keys", "createdTime", "lastUpdatedTime",
    ]

    var applicationId: String?
    var name: String
    var throttlingPolicy: String
    var description: String?
    var tokenType: String?
    var owner: String?
    var status: String?
    var subscriptionCount: Int?

    init(_ record: ApplicationRecord, subscriptionCount: Int? = nil) {
        applicationId = record.id
        name = record.name
        throttlingPolicy = record.throttlingTier
        description = record.description
        tokenType = record.tokenType
        owner = record.owner
        status = record.status
        self.subscriptionCount = subscriptionCount
    }

    /// Checks the fields of a request against the application tiers in effect.
    /// - Throws: ``ManagementError`` 400.
    func validate(tiers: Set<String>) throws(ManagementError) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed == name, name.count <= 100 else {
            throw ManagementError.badRequest("name must be 1 to 100 characters without leading or trailing spaces")
        }
        guard tiers.contains(throttlingPolicy) else {
            throw ManagementError.badRequest(
                "throttlingPolicy '\(throttlingPolicy)' is not an application tier; "
                    + "use one of \(tiers.sorted().joined(separator: ", "))"
            )
        }
        if let tokenType, !["OAUTH", "JWT"].contains(tokenType) {
            throw ManagementError.badRequest("tokenType must be OAUTH or JWT")
        }
        if let description, description.count > 1_000 {
            throw ManagementError.badRequest("description must be at most 1000 characters")
        }
    }
}

/// `ApplicationKeyGenerateRequestDTO`.
struct KeyGenerationRequestDTO: Codable, Sendable {
    var keyType: String
    var grantTypesToBeSupported: [String]?
    var callbackUrl: String?
    var scopes: [String]?
    /// Seconds; WSO2's schema types it as a string (`"3600"`), an integer is taken too.
    var validityTime: WSO2Integer?
}

/// `ApplicationTokenGenerateRequestDTO`.
struct TokenGenerationRequestDTO: Codable, Sendable {
    /// Optional: without it, the signed-in owner's authority is enough.
    var consumerSecret: String?
    var validityPeriod: Int64?
    var scopes: [String]?
}

/// `ApplicationTokenDTO`.
struct ApplicationTokenDTO: Encodable, Sendable {
    var accessToken: String
    var tokenScopes: [String]
    var validityTime: Int64

    init(_ response: TokenResponse) {
        accessToken = response.accessToken
        tokenScopes = response.scope.split(separator: " ").map(String.init)
        validityTime = response.expiresIn
    }
}

/// `ApplicationKeyDTO`: the consumer secret appears only when it was just generated.
struct ApplicationKeyDTO: Encodable, Sendable {
    /// WSO2's id of these keys (``KeyMapping``), for the `oauth-keys/{keyMappingId}` resources.
    var keyMappingId: String
    /// Always `Resident Key Manager`: Sluice's one key manager.
    var keyManager: String = KeyMapping.keyManagerName
    /// `CREATED` (generated here) as WSO2 says of keys it generated.
    var mode: String = "CREATED"
    var keyType: String
    var consumerKey: String
    var consumerSecret: String?
    var supportedGrantTypes: [String]
    var callbackUrl: String?
    var keyState: String
    var token: ApplicationTokenDTO?

    init(_ record: ConsumerKeyRecord) {
        keyMappingId = KeyMapping.id(applicationID: record.applicationID, keyType: record.keyType)
        keyType = record.keyType.rawValue
        consumerKey = record.consumerKey
        consumerSecret = nil
        supportedGrantTypes = record.grantTypes
        callbackUrl = record.callbackURL
        keyState = record.state
        token = nil
    }

    init(_ keys: GeneratedKeys, callbackURL: String?, token: ApplicationTokenDTO?) {
        keyMappingId = KeyMapping.id(applicationID: keys.applicationID, keyType: keys.keyType)
        keyType = keys.keyType.rawValue
        consumerKey = keys.consumerKey
        consumerSecret = keys.consumerSecret
        supportedGrantTypes = keys.grantTypes
        callbackUrl = callbackURL
        keyState = "APPROVED"
        self.token = token
    }
}

/// The devportal's `SubscriptionDTO`, also the publisher's (`applicationInfo`, `subscriptionStatus`); `apiName` and
/// `apiVersion` are Sluice's own, kept for its older clients.
struct SubscriptionDTO: Codable, Sendable {
    static let readOnlyFields: Set<String> = [
        "subscriptionId", "status", "subscriptionStatus", "apiInfo", "applicationInfo", "apiName", "apiVersion",
        "redirectionParams",
    ]

    /// WSO2's `APIInfo` of the subscribed API.
    struct APIInfo: Codable, Sendable {
        var id: String?
        var name: String?
        var context: String
        var version: String
        var provider: String?
    }

    /// WSO2's `ApplicationInfo` of the subscribing application.
    struct ApplicationInfo: Codable, Sendable {
        var applicationId: String
        var name: String
        var owner: String
        /// The publisher's name for the owner.
        var subscriber: String
        var throttlingPolicy: String
        var description: String?
        var status: String
        var tokenType: String
    }

    var subscriptionId: String?
    var applicationId: String
    var apiId: String?
    var apiInfo: APIInfo?
    var applicationInfo: ApplicationInfo?
    var throttlingPolicy: String
    var status: String?
    var subscriptionStatus: String?
    var apiName: String?
    var apiVersion: String?

    init(_ view: SubscriptionView) {
        let record = view.subscription
        subscriptionId = record.id
        applicationId = record.applicationID
        apiId = record.apiID
        apiInfo = APIInfo(
            id: record.apiID,
            name: record.apiName,
            context: record.apiContext,
            version: record.apiVersion,
            provider: record.apiProvider
        )
        applicationInfo = view.application.map {
            ApplicationInfo(
                applicationId: $0.id,
                name: $0.name,
                owner: $0.owner,
                subscriber: $0.owner,
                throttlingPolicy: $0.throttlingTier,
                description: $0.description,
                status: $0.status,
                tokenType: $0.tokenType
            )
        }
        throttlingPolicy = record.tier
        status = record.status.rawValue
        subscriptionStatus = record.status.rawValue
        apiName = record.apiName
        apiVersion = record.apiVersion
    }
}

/// `APIKeyGenerateRequest`: `validityPeriod` (seconds, -1 or absent: no expiry) and `additionalProperties` with
/// the restrictions `permittedIP` and `permittedReferer`.
struct APIKeyGenerateRequestDTO: Codable, Sendable {
    struct AdditionalProperties: Codable, Sendable {
        var permittedIP: String?
        var permittedReferer: String?
    }

    var keyName: String?
    var validityPeriod: Int64?
    var additionalProperties: AdditionalProperties?
}

/// `APIKey`.
struct APIKeyDTO: Encodable, Sendable {
    var keyName: String?
    var apikey: String
    var validityPeriod: Int64
}

/// `APIKeyRevokeRequest`.
struct APIKeyRevokeRequestDTO: Codable, Sendable {
    var apikey: String
}
