/// What the gateway's handlers need to know about the API and resource a request was dispatched to, built once
/// per deployment so the request path only reads it.
///
/// Auth type, scopes and throttling tier come from the resource's `auth-type`, `scopes` and `throttling-tier`
/// attributes (Sluice's names for what WSO2's publisher keeps in its database); throttle scopes are the keys WSO2
/// counts under: `context:version` for the API and `context:version:METHOD:template` for the resource.
public final class DispatchedResource: Sendable {
    /// The artifact's `name`, `provider--ApiName` when the publisher wrote it.
    public let apiName: String
    /// The API name without its provider prefix.
    public let apiDisplayName: String
    /// The provider part of `provider--ApiName`, or nil for hand-written names.
    public let apiProvider: String?
    /// The context requests match (`{version}` substituted).
    public let context: String
    /// The API version, or "" when the artifact has none.
    public let version: String
    /// The resource's `uri-template` or `url-mapping` as written (`/*` for a resource without either).
    public let resourceTemplate: String
    /// Upper-case methods; empty means every method.
    public let methods: [String]
    public let authType: ResourceAuthType
    /// OAuth2 scopes a token must carry (any one of them); empty when the resource has none.
    public let scopes: [String]
    /// The resource-level tier, if any.
    public let throttlingTier: String?
    /// `context:version`: the API throttle and subscription scope.
    public let apiScope: String
    /// WSO2's `api_version` usage field: `provider--name:vversion`.
    public let apiVersionLabel: String
    private let resourceScopes: [String: String]

    /// Builds the dispatch information of one resource of a deployed API.
    /// - Parameters:
    ///   - api: The artifact.
    ///   - resource: One of its resources.
    public convenience init(api: SynapseAPI, resource: APIResource) {
        self.init(
            apiName: api.name,
            context: api.effectiveContext,
            version: api.version ?? "",
            resourceTemplate: Self.template(of: resource.dispatcher),
            methods: resource.methods,
            authType: ResourceAuthType(attribute: resource.authType),
            scopes: resource.scopes,
            throttlingTier: resource.throttlingTier
        )
    }

    /// Builds the dispatch information from its parts.
    /// - Parameters:
    ///   - apiName: The artifact name (`provider--ApiName`).
    ///   - context: The effective context.
    ///   - version: The API version.
    ///   - resourceTemplate: The resource's template or mapping.
    ///   - methods: Upper-case methods (empty: every method).
    ///   - authType: How calls are authenticated.
    ///   - scopes: Scopes required (any one).
    ///   - throttlingTier: The resource tier.
    public init(
        apiName: String,
        context: String,
        version: String,
        resourceTemplate: String,
        methods: [String] = [],
        authType: ResourceAuthType = .any,
        scopes: [String] = [],
        throttlingTier: String? = nil
    ) {
        self.apiName = apiName
        if let range = apiName.firstRange(of: "--") {
            apiProvider = String(apiName[..<range.lowerBound])
            apiDisplayName = String(apiName[range.upperBound...])
        } else {
            apiProvider = nil
            apiDisplayName = apiName
        }
        self.context = context
        self.version = version
        self.resourceTemplate = resourceTemplate
        self.methods = methods
        self.authType = authType
        self.scopes = scopes
        self.throttlingTier = throttlingTier
        apiScope = context + ":" + version
        apiVersionLabel = apiName + ":v" + version
        var scopes: [String: String] = [:]
        for method in methods { scopes[method] = context + ":" + version + ":" + method + ":" + resourceTemplate }
        resourceScopes = scopes
    }

    /// `context:version:METHOD:template`, the resource throttle scope; precomputed for the declared methods.
    /// - Parameter method: The request method, upper case.
    public func resourceScope(method: String) -> String {
        resourceScopes[method] ?? context + ":" + version + ":" + method + ":" + resourceTemplate
    }

    private static func template(of dispatcher: ResourceDispatcher) -> String {
        switch dispatcher {
        case .uriTemplate(let template): template.raw
        case .urlMapping(let mapping): mapping.description
        case .none: "/*"
        }
    }
}
