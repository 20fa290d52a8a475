public import SluiceModel

/// The publisher's view of an API, with the field names of WSO2's publisher REST API (v4 `APIDTO`).
///
/// This is what `POST /api/am/publisher/v4/apis` takes and what `sluice api emit` reads from a file.
/// `APITemplateBuilder` turns it into the gateway artifact (`SynapseAPI`).
///
/// ```swift
/// let definition = try JSONDecoder().decode(APIDefinition.self, from: json)
/// try definition.validate()
/// let api = try APITemplateBuilder().api(for: definition)
/// ```
public struct APIDefinition: Sendable, Hashable, Codable {
    /// The publisher's UUID for the API; nil until it is stored.
    public var id: String?
    /// The API name (`PizzaShackAPI`): letters, digits, `-`, `_`, `.`.
    public var name: String
    /// The context without the version (`/pizzashack`), or with a `{version}` placeholder (`/{version}/pizzashack`).
    public var context: String
    /// The version (`1.0.0`): letters, digits, `-`, `_`, `.`.
    public var version: String
    /// Free text shown in the developer portal.
    public var description: String?
    /// The user who owns the API (`admin`, or `user@tenant.com` in a tenant).
    public var provider: String?
    /// Nil is read as `CREATED`.
    public var lifeCycleStatus: APILifecycleState?
    /// Labels for searching the developer portal.
    public var tags: [String]
    /// Who sees the API in the developer portal; nil means public.
    public var visibility: APIVisibility?
    /// With `RESTRICTED` visibility: the roles whose users see the API (its provider and administrators always do).
    public var visibleRoles: [String]?
    /// `http`, `https`; empty means both.
    public var transport: [String]
    /// The subscription tiers offered to subscribers (`Gold`, `Unlimited`...).
    public var policies: [String]
    /// The API-level advanced throttling policy.
    public var apiThrottlingPolicy: String?
    /// Whether the API is also reachable without the version in its context.
    public var isDefaultVersion: Bool
    /// Hard throughput limits per key type (`productionMaxCount`/`sandboxMaxCount` of the throttle handler).
    public var maxTps: MaxTPS?
    /// The backends; required to deploy the API.
    public var endpointConfig: APIEndpointConfig?
    /// Empty means WSO2's default resources: `/*` for GET, PUT, POST, DELETE and PATCH.
    public var operations: [APIOperation]
    /// The OAuth2 scopes the operations use, each with the roles that may obtain it.
    public var scopes: [APIScope]
    /// The API's own CORS settings; nil or disabled means the gateway-wide ones.
    public var corsConfiguration: APICORSConfiguration?
    /// Contacts shown in the developer portal.
    public var businessInformation: APIBusinessInformation?
    /// WSO2's `securityScheme`: `oauth2`, `api_key` (and WSO2's other names); nil means `oauth2` alone.
    public var securityScheme: [String]?
    /// The header and query parameter carrying an API key; nil means `apikey`.
    public var apiKeyHeader: String?
    /// The client certificates uploaded for the API (the publisher's `client-certificates` resources). Not a field
    /// of the DTO: they are stored beside the definition and filled in before its artifact is built.
    public var clientCertificates: [APIClientCertificate] = []

    /// Creates a definition; only name, context and version are required, as in the publisher's REST API.
    public init(
        id: String? = nil,
        name: String,
        context: String,
        version: String,
        description: String? = nil,
        provider: String? = nil,
        lifeCycleStatus: APILifecycleState? = nil,
        tags: [String] = [],
        visibility: APIVisibility? = nil,
        visibleRoles: [String]? = nil,
        transport: [String] = ["http", "https"],
        policies: [String] = [],
        apiThrottlingPolicy: String? = nil,
        isDefaultVersion: Bool = false,
        maxTps: MaxTPS? = nil,
        endpointConfig: APIEndpointConfig? = nil,
        operations: [APIOperation] = [],
        scopes: [APIScope] = [],
        corsConfiguration: APICORSConfiguration? = nil,
        businessInformation: APIBusinessInformation? = nil,
        securityScheme: [String]? = nil,
        apiKeyHeader: String? = nil
    ) {
        self.securityScheme = securityScheme
        self.apiKeyHeader = apiKeyHeader
        self.id = id
        self.name = name
        self.context = context
        self.version = version
        self.description = description
        self.provider = provider
        self.lifeCycleStatus = lifeCycleStatus
        self.tags = tags
        self.visibility = visibility
        self.visibleRoles = visibleRoles
        self.transport = transport
        self.policies = policies
        self.apiThrottlingPolicy = apiThrottlingPolicy
        self.isDefaultVersion = isDefaultVersion
        self.maxTps = maxTps
        self.endpointConfig = endpointConfig
        self.operations = operations
        self.scopes = scopes
        self.corsConfiguration = corsConfiguration
        self.businessInformation = businessInformation
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, context, version, description, provider, lifeCycleStatus, tags, visibility, visibleRoles
        case transport
        case policies, apiThrottlingPolicy, isDefaultVersion, maxTps, endpointConfig, operations, scopes
        case corsConfiguration, businessInformation, securityScheme, apiKeyHeader
    }

    /// Decodes a DTO; absent lists and flags take the publisher's defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decodeIfPresent(String.self, forKey: .id),
            name: try container.decode(String.self, forKey: .name),
            context: try container.decode(String.self, forKey: .context),
            version: try container.decode(String.self, forKey: .version),
            description: try container.decodeIfPresent(String.self, forKey: .description),
            provider: try container.decodeIfPresent(String.self, forKey: .provider),
            lifeCycleStatus: try container.decodeIfPresent(APILifecycleState.self, forKey: .lifeCycleStatus),
            tags: try container.decodeIfPresent([String].self, forKey: .tags) ?? [],
            visibility: try container.decodeIfPresent(APIVisibility.self, forKey: .visibility),
            visibleRoles: try container.decodeIfPresent([String].self, forKey: .visibleRoles),
            transport: try container.decodeIfPresent([String].self, forKey: .transport) ?? ["http", "https"],
            policies: try container.decodeIfPresent([String].self, forKey: .policies) ?? [],
            apiThrottlingPolicy: try container.decodeIfPresent(String.self, forKey: .apiThrottlingPolicy),
            isDefaultVersion: try container.decodeIfPresent(Bool.self, forKey: .isDefaultVersion) ?? false,
            maxTps: try container.decodeIfPresent(MaxTPS.self, forKey: .maxTps),
            endpointConfig: try container.decodeIfPresent(APIEndpointConfig.self, forKey: .endpointConfig),
            operations: try container.decodeIfPresent([APIOperation].self, forKey: .operations) ?? [],
            scopes: try container.decodeIfPresent([APIScope].self, forKey: .scopes) ?? [],
            corsConfiguration: try container.decodeIfPresent(APICORSConfiguration.self, forKey: .corsConfiguration),
            businessInformation: try container.decodeIfPresent(
                APIBusinessInformation.self,
                forKey: .businessInformation
            ),
            securityScheme: try container.decodeIfPresent([String].self, forKey: .securityScheme),
            apiKeyHeader: try container.decodeIfPresent(String.self, forKey: .apiKeyHeader)
        )
    }

    /// Whether `securityScheme` names `mutualssl` (client certificates).
    public var usesMutualTLS: Bool { securityScheme?.contains("mutualssl") ?? false }

    /// The lifecycle state, `CREATED` when the definition does not say.
    public var status: APILifecycleState { lifeCycleStatus ?? .created }

    /// The operations the gateway serves: the declared ones, or WSO2's default `/*` resources when none are declared.
    public var effectiveOperations: [APIOperation] {
        guard operations.isEmpty else { return operations }
        return APIOperation.defaultVerbs.map { APIOperation(target: "/*", verb: $0) }
    }
}

/// Who may see an API in the developer portal.
public enum APIVisibility: String, Sendable, Hashable, Codable, CaseIterable {
    case `public` = "PUBLIC"
    case `private` = "PRIVATE"
    case restricted = "RESTRICTED"
}

/// `maxTps`: hard limits in requests per second, per key type.
public struct MaxTPS: Sendable, Hashable, Codable {
    /// Requests per second for production keys.
    public var production: Int64?
    /// Requests per second for sandbox keys.
    public var sandbox: Int64?

    /// Creates the limits; nil means no hard limit for that key type.
    public init(production: Int64? = nil, sandbox: Int64? = nil) {
        self.production = production
        self.sandbox = sandbox
    }
}

/// `businessInformation`: who to contact about the API.
public struct APIBusinessInformation: Sendable, Hashable, Codable {
    /// The business owner's name.
    public var businessOwner: String?
    /// The business owner's e-mail address.
    public var businessOwnerEmail: String?
    /// The technical owner's name.
    public var technicalOwner: String?
    /// The technical owner's e-mail address.
    public var technicalOwnerEmail: String?

    /// Creates the contact details.
    public init(
        businessOwner: String? = nil,
        businessOwnerEmail: String? = nil,
        technicalOwner: String? = nil,
        technicalOwnerEmail: String? = nil
    ) {
        self.businessOwner = businessOwner
        self.businessOwnerEmail = businessOwnerEmail
        self.technicalOwner = technicalOwner
        self.technicalOwnerEmail = technicalOwnerEmail
    }
}
