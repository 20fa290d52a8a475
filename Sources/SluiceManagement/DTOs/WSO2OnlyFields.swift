import SluiceArtifacts
import SluiceControlPlane

// The properties of WSO2's request schemas (publisher v4, devportal v3, admin v4) that Sluice has no use for:
// accepted and named in `Sluice-Ignored-Fields` (docs/management-api.md lists them). `scripts/rest-conformance run`
// sends every property of WSO2's schemas and fails on an "Unknown field" answer, so a list cannot fall behind.

extension APIDefinition: WSO2RequestBody {
    /// WSO2's `API` schema beyond what Sluice deploys: other API types' settings, portal presentation, revision and
    /// workflow state, monetization, multi-tenancy and gateway vendors.
    static var wso2OnlyFields: Set<String> {
        [
            "accessControl", "accessControlRoles", "additionalProperties", "additionalPropertiesMap", "advertiseInfo",
            "apiHubPolicies", "apiPolicies", "asyncTransportProtocols", "audience", "audiences", "authorizationHeader",
            "cacheTimeout", "displayName", "egress", "enableSchemaValidation",
            "enableSubscriberVerification", "endpointImplementationType", "gatewayType", "gatewayVendor",
            "hasThumbnail", "isRevision", "lastUpdatedTimestamp", "maxTps.productionTimeUnit",
            "maxTps.sandboxTimeUnit", "maxTps.tokenBasedThrottlingConfiguration", "mediationPolicies", "monetization",
            "organizationPolicies", "primaryProductionEndpointId", "primarySandboxEndpointId", "responseCachingEnabled",
            "revisionId", "serviceInfo", "subscriptionAvailability", "subscriptionAvailableTenants",
            "subtypeConfiguration", "threatProtectionPolicies", "type", "visibleOrganizations", "visibleTenants",
            "websubSubscriptionConfiguration", "workflowStatus", "wsdlInfo",
        ]
    }
}

extension ApplicationDTO: WSO2RequestBody {
    /// Application sharing (groups, visibility), custom attributes and subscription scopes.
    static var wso2OnlyFields: Set<String> { ["attributes", "groups", "subscriptionScopes", "visibility"] }
}

extension TokenGenerationRequestDTO: WSO2RequestBody {
    /// The grant (Sluice issues client-credentials tokens here) and key-manager specific properties.
    static var wso2OnlyFields: Set<String> { ["additionalProperties", "grantType"] }
}

extension KeyGenerationRequestDTO: WSO2RequestBody {
    /// The key manager's name (Sluice has one, `Resident Key Manager`) and its specific properties.
    static var wso2OnlyFields: Set<String> { ["additionalProperties", "keyManager"] }
}

extension SubscriptionDTO: WSO2RequestBody {
    /// The tier asked for through an approval workflow (Sluice has none: `throttlingPolicy` applies at once).
    static var wso2OnlyFields: Set<String> { ["requestedThrottlingPolicy"] }
}

extension CommentDTO: WSO2RequestBody {
    /// The comment's category (`general`, ...).
    static var wso2OnlyFields: Set<String> { ["category"] }
}

extension ThrottlePolicyDTO: WSO2RequestBody {
    /// Conditions, burst control, monetization, role permissions, GraphQL limits, custom attributes and the
    /// event-count and AI quota limit types.
    static var wso2OnlyFields: Set<String> {
        [
            "burstLimit", "conditionalGroups", "customAttributes", "defaultLimit.aiApiQuota", "defaultLimit.eventCount",
            "graphQLMaxComplexity", "graphQLMaxDepth", "monetization", "permissions", "subscriberCount",
        ]
    }
}

/// An integer WSO2 clients may send as a string (`"validityTime": "3600"`, as WSO2's schema types it).
struct WSO2Integer: Codable, Sendable, Hashable {
    var value: Int64

    init(_ value: Int64) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int64(text) {
            value = number
        } else {
            throw DecodingError.typeMismatch(
                Int64.self,
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "an integer, or one as a string")
            )
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension APIKeyRevokeRequestDTO: WSO2RequestBody {
    /// WSO2 4.5 also revokes by the key's UUID; Sluice's API keys are revoked by the key itself (`apikey`).
    static var wso2OnlyFields: Set<String> { ["keyUUID"] }
}
