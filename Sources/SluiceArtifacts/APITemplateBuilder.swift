import SluiceMediation
public import SluiceModel

/// Turns an API definition into the gateway artifact WSO2 API-M 2.x's publisher would deploy
/// (`velocity_template.xml` filled in by `APITemplateBuilderImpl`, handlers chosen by `APIProviderImpl`).
///
/// ```swift
/// let builder = APITemplateBuilder(settings: ArtifactSettings(globalCORS: .disabled))
/// let api = try builder.api(for: definition)                 // as the definition's lifecycle state needs it
/// let files = try builder.artifacts(for: definition, status: .published)
/// ```
public struct APITemplateBuilder: Sendable {
    /// Gateway-wide settings: global CORS, extension handler position, the gateway's own URL.
    public var settings: ArtifactSettings

    /// Creates a builder.
    public init(settings: ArtifactSettings = ArtifactSettings()) {
        self.settings = settings
    }

    /// The fault sequence every generated resource names.
    public static let faultSequenceKey = "fault"
    /// The mediator in every generated outSequence that records the response for statistics.
    public static let responseHandlerClass = "org.wso2.carbon.apimgt.gateway.handlers.analytics.APIMgtResponseHandler"

    // MARK: - Artifacts

    /// The artifact the gateway serves for the API in `status`: the blocked variant for `BLOCKED`, the chain
    /// without authentication and throttling for `PROTOTYPED`, the full chain otherwise.
    /// - Parameters:
    ///   - definition: The API.
    ///   - status: The lifecycle state to render; nil means the definition's own `lifeCycleStatus`.
    /// - Throws: `APIValidationError` when the definition cannot be deployed.
    public func api(
        for definition: APIDefinition,
        status: APILifecycleState? = nil
    ) throws(APIValidationError)
        -> SynapseAPI
    {
        let status = status ?? definition.status
        if status == .blocked { return try blockedAPI(for: definition) }
        try definition.validate(forDeployment: true)
        let endpoints = EndpointPair(definition: definition, apiName: apiName(for: definition))
        return SynapseAPI(
            name: apiName(for: definition),
            context: versionedContext(for: definition),
            version: definition.version,
            versionType: .context,
            transports: transports(for: definition),
            resources: try definition.effectiveOperations.enumerated().map { (index, operation) throws(APIValidationError) in
                try resourceWithPolicies(for: operation, endpoints: endpoints, field: "operations[\(index)]")
            },
            handlers: handlers(for: definition, status: status)
        )
    }

    /// Every artifact to deploy for the API in `status`: the versioned one, and the default-version one when the
    /// definition is the default version.
    /// - Throws: `APIValidationError` when the definition cannot be deployed.
    public func artifacts(
        for definition: APIDefinition,
        status: APILifecycleState? = nil
    ) throws(APIValidationError)
        -> [GatewayArtifact]
    {
        var result = [
            GatewayArtifact(fileName: fileName(for: definition), api: try api(for: definition, status: status))
        ]
        if definition.isDefaultVersion {
            result.append(
                GatewayArtifact(
                    fileName: defaultVersionFileName(for: definition),
                    api: try defaultVersionAPI(for: definition)
                )
            )
        }
        return result
    }

    // MARK: - Names

    /// `<provider>--<name>`; the provider is required, so validation has run before this is used.
    public func apiName(for definition: APIDefinition) -> String {
        ArtifactNaming.apiName(provider: definition.provider ?? "", name: definition.name)
    }

    /// `<provider>--<name>_v<version>.xml`.
    public func fileName(for definition: APIDefinition) -> String {
        ArtifactNaming.fileName(provider: definition.provider ?? "", name: definition.name, version: definition.version)
    }

    /// `<provider>--<name>.xml`.
    public func defaultVersionFileName(for definition: APIDefinition) -> String {
        ArtifactNaming.defaultVersionFileName(provider: definition.provider ?? "", name: definition.name)
    }

    /// The context the versioned artifact is served at: `{version}` substituted, or `/<version>` appended; tenant
    /// APIs get `/t/<domain>` in front.
    public func versionedContext(for definition: APIDefinition) -> String {
        let context = tenantContext(for: definition)
        if context.contains("{version}") { return context.replacing("{version}", with: definition.version) }
        return context + "/" + definition.version
    }

    /// The context of the default-version artifact: the context without its version segment.
    public func unversionedContext(for definition: APIDefinition) -> String {
        let context = tenantContext(for: definition)
        let segments = context.split(separator: "/").filter { $0 != "{version}" }
        return "/" + segments.joined(separator: "/")
    }

    private func tenantContext(for definition: APIDefinition) -> String {
        guard let provider = definition.provider, let domain = ArtifactNaming.tenantDomain(of: provider) else {
            return definition.context
        }
        let prefix = "/t/\(domain)"
        return definition.context.hasPrefix(prefix + "/") ? definition.context : prefix + definition.context
    }

    // MARK: - Parts

    func transports(for definition: APIDefinition) -> [SynapseAPI.Transport]? {
        // WSO2 4.x serves mutual-TLS APIs over HTTPS only (a certificate needs TLS).
        if definition.usesMutualTLS { return [.https] }
        let chosen = Set(definition.transport.compactMap(SynapseAPI.Transport.init(rawValue:)))
        // An absent attribute means both; writing it only when restricted keeps the artifact minimal.
        guard chosen.count == 1, let only = chosen.first else { return nil }
        return [only]
    }

    func resource(for operation: APIOperation, endpoints: EndpointPair) -> APIResource {
        let dispatcher: ResourceDispatcher =
            switch ResourceDispatcher.wso2(target: operation.target) {
            case .success(let dispatcher): dispatcher
            // Validation rejects such targets before we get here; a catch-all keeps this total.
            case .failure: .none
            }
        return APIResource(
            methods: [operation.verb.uppercased()],
            dispatcher: dispatcher,
            inSequence: .inline(inSequence(endpoints: endpoints)),
            outSequence: .inline([
                .classMediator(ClassMediator(className: Self.responseHandlerClass)),
                .send(SendMediator()),
            ]),
            faultSequence: .key(Self.faultSequenceKey),
            authType: operation.normalizedAuthType,
            throttlingTier: operation.throttlingPolicy,
            scopes: operation.scopes
        )
    }

    private func inSequence(endpoints: EndpointPair) -> [MediatorNode] {
        let production: [MediatorNode] =
            endpoints.production.map { [.send(SendMediator(endpoint: $0))] }
            ?? [.sequence(key: "_production_key_error_")]
        let sandbox: [MediatorNode] =
            endpoints.sandbox.map { [.send(SendMediator(endpoint: $0))] } ?? [.sequence(key: "_sandbox_key_error_")]
        return [
            .property(
                PropertyMediator(
                    name: "api.ut.backendRequestTime",
                    value: .expression(Self.expression("get-property('SYSTEM_TIME')"))
                )
            ),
            .filter(
                FilterMediator(
                    condition: .sourceMatches(source: Self.expression("$ctx:AM_KEY_TYPE"), regex: "PRODUCTION"),
                    then: production,
                    otherwise: sandbox
                )
            ),
        ]
    }

    /// An expression classified exactly as the artifact parser will classify it when the XML is read back.
    static func expression(_ text: String) -> SynapseExpression {
        (try? SynapseExpression(parsing: text)) ?? SynapseExpression(source: text, kind: .xpath(text))
    }
}
