public import SluiceAnalytics
public import SluiceJWT
public import SluiceMediation
import SluiceModel
public import SluiceSecurity
public import SluiceThrottling

extension GatewayHandlerRegistry {
    /// Every handler class WSO2 API Manager's publisher emits (1.x, 2.x and 3.x names, wso2-facts §1.4), on top
    /// of `base`, so published and hand-written WSO2 artifacts deploy unchanged.
    ///
    /// - Parameters:
    ///   - keyValidation: The key manager: `.immediate` in the all-in-one server, `.cached` for a remote one.
    ///   - throttle: The throttle engine (tier catalog, counters, clock).
    ///   - usage: Where usage events and metrics go.
    ///   - statuses: API lifecycle states for BLOCKED checks, if the publisher reports them.
    ///   - base: The registry to extend (`.standard` by default); a later registration of a name wins.
    ///   - backendJWT: Makes the JWT sent to backends (`JWTConfiguration`); nil sends none.
    ///   - keyValidationMetrics: Counts the authentication handlers' outcomes; nil counts nothing.
    /// - Returns: The registry to give the gateway.
    public static func apiManager(
        keyValidation: KeyValidationSource,
        throttle: ThrottleEngine,
        usage: UsageRecorder,
        statuses: APIStatusRegistry? = nil,
        base: GatewayHandlerRegistry = .standard,
        backendJWT: BackendJWTIssuer? = nil,
        keyValidationMetrics: KeyValidationMetrics? = nil
    ) -> GatewayHandlerRegistry {
        var registry = base
        registry.register(names: APIAuthenticationHandler.classNames) { spec in
            APIAuthenticationHandler(
                configuration: try APIAuthenticationHandler.Configuration(spec: spec),
                source: keyValidation,
                statuses: statuses,
                clock: usage.clock,
                backendJWT: backendJWT,
                metrics: keyValidationMetrics
            )
        }
        registry.register(names: CORSRequestHandler.classNames) { try CORSRequestHandler(spec: $0) }
        registry.register(names: APIStatusHandler.classNames) { _ in APIStatusHandler(statuses: statuses) }
        registry.register(names: ThrottleHandler.classNames) { try ThrottleHandler(spec: $0, engine: throttle) }
        registry.register(names: UsageHandler.classNames) { _ in UsageHandler(recorder: usage) }
        registry.register(names: LatencyStatsHandler.classNames) { _ in LatencyStatsHandler(recorder: usage) }
        registry.register(names: APIManagerExtensionHandler.classNames) { _ in APIManagerExtensionHandler() }
        registry.register(names: NoOpHandler.classNames) { _ in NoOpHandler() }
        registry.register(names: SynapsePropertiesHandler.classNames) { _ in SynapsePropertiesHandler() }
        return registry
    }
}
