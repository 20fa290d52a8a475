public import SluiceModel

extension APITemplateBuilder {
    /// The package every WSO2 gateway handler class lives in.
    public static let handlerPackage = "org.wso2.carbon.apimgt.gateway.handlers."

    /// The handler chain WSO2 API-M 2.x gives an API (`APIProviderImpl.getAPITemplateBuilder`): latency
    /// statistics, CORS when enabled for the API or globally, then (except for prototypes) authentication,
    /// throttling, usage, Google Analytics and the extension handler.
    /// - Parameters:
    ///   - definition: The API.
    ///   - status: The lifecycle state the artifact is for; nil means the definition's own.
    public func handlers(for definition: APIDefinition, status: APILifecycleState? = nil) -> [GatewayHandlerSpec] {
        var chain = [GatewayHandlerSpec(className: Self.handlerPackage + "common.APIMgtLatencyStatsHandler")]
        if let cors = corsHandler(for: definition, implementationType: "ENDPOINT") { chain.append(cors) }
        // Prototypes are open for trying out: no keys, no quotas, no usage records.
        guard (status ?? definition.status) != .prototyped else { return chain }
        var authenticationProperties = [GatewayHandlerSpec.Property(name: "RemoveOAuthHeadersFromOutMessage", value: "true")]
        if let schemes = definition.securityScheme {
            authenticationProperties.append(GatewayHandlerSpec.Property(name: "APISecurity", value: schemes.joined(separator: ",")))
        }
        if let header = definition.apiKeyHeader {
            authenticationProperties.append(GatewayHandlerSpec.Property(name: "apiKeyHeader", value: header))
        }
        if definition.usesMutualTLS {
            let information = Self.certificateInformation(definition.clientCertificates)
            authenticationProperties.append(GatewayHandlerSpec.Property(name: "certificateInformation", value: information))
        }
        chain.append(
            GatewayHandlerSpec(
                className: Self.handlerPackage + "security.APIAuthenticationHandler",
                properties: authenticationProperties
            )
        )
        var throttleProperties: [GatewayHandlerSpec.Property] = []
        if let production = definition.maxTps?.production {
            throttleProperties.append(GatewayHandlerSpec.Property(name: "productionMaxCount", value: String(production)))
        }
        if let sandbox = definition.maxTps?.sandbox {
            throttleProperties.append(GatewayHandlerSpec.Property(name: "sandboxMaxCount", value: String(sandbox)))
        }
        chain.append(
            GatewayHandlerSpec(className: Self.handlerPackage + "throttling.ThrottleHandler", properties: throttleProperties)
        )
        chain.append(GatewayHandlerSpec(className: Self.handlerPackage + "analytics.APIMgtUsageHandler"))
        chain.append(
            GatewayHandlerSpec(
                className: Self.handlerPackage + "analytics.APIMgtGoogleAnalyticsTrackingHandler",
                properties: [GatewayHandlerSpec.Property(name: "configKey", value: "gov:/apimgt/statistics/ga-config.xml")]
            )
        )
        let extensionHandler = GatewayHandlerSpec(className: Self.handlerPackage + "ext.APIManagerExtensionHandler")
        switch settings.extensionHandlerPosition {
        case .top: chain.insert(extensionHandler, at: 0)
        case .bottom: chain.append(extensionHandler)
        }
        return chain
    }

    /// `certificateInformation` of the authentication handler: `{sha256:<fingerprint>=Tier:KEY_TYPE,...}` (WSO2 writes
    /// `serial_issuer=Tier` here; Sluice names each certificate by its fingerprint, see `MutualTLSPolicy`).
    static func certificateInformation(_ certificates: [APIClientCertificate]) -> String {
        "{" + certificates.map { "sha256:\($0.fingerprint)=\($0.tier):\($0.keyType.rawValue)" }.joined(separator: ",") + "}"
    }

    /// The CORS configuration in force for the API: its own when enabled, else the global one when enabled.
    public func effectiveCORS(for definition: APIDefinition) -> APICORSConfiguration? {
        if let own = definition.corsConfiguration, own.corsConfigurationEnabled { return own }
        return settings.globalCORS.corsConfigurationEnabled ? settings.globalCORS : nil
    }

    /// `security.CORSRequestHandler` with the API's CORS settings, or nil when CORS is off.
    func corsHandler(for definition: APIDefinition, implementationType: String) -> GatewayHandlerSpec? {
        guard let cors = effectiveCORS(for: definition) else { return nil }
        return GatewayHandlerSpec(
            className: Self.handlerPackage + "security.CORSRequestHandler",
            properties: [
                GatewayHandlerSpec.Property(name: "apiImplementationType", value: implementationType),
                GatewayHandlerSpec.Property(
                    name: "allowHeaders",
                    value: cors.accessControlAllowHeaders.joined(separator: ",")
                ),
                GatewayHandlerSpec.Property(
                    name: "allowedOrigins",
                    value: cors.accessControlAllowOrigins.joined(separator: ",")
                ),
                GatewayHandlerSpec.Property(
                    name: "allowedMethods",
                    value: cors.accessControlAllowMethods.joined(separator: ",")
                ),
                GatewayHandlerSpec.Property(
                    name: "AllowCredentials",
                    value: cors.accessControlAllowCredentials ? "true" : "false"
                ),
            ]
        )
    }
}
