public import Hummingbird
public import Logging
public import SluiceKeyManager
import SluiceControlPlane

/// Builds the full management app: the OAuth2 and internal key-validation endpoints of
/// ``buildManagementApplication(keyManager:configuration:logger:)`` plus the publisher, devportal and admin REST
/// APIs (``ManagementRoutes``).
/// - Parameters:
///   - keyManager: The key manager behind the OAuth2 endpoints (the same one `apiManager` uses).
///   - apiManager: The services behind the REST APIs.
///   - configuration: Address, port and the OAuth2 body limit.
///   - logger: The application's logger.
///   - metrics: Renders the Prometheus text exposition served at `GET /metrics`; nil leaves the route out.
///   - routes: Adds more routes last (the web portals, which depend on this module, not the reverse).
/// - Returns: The application; run it in a `ServiceGroup` or test it with `app.test(.router)`.
public func buildManagementApplication(
    keyManager: KeyManager,
    apiManager: APIManagerServices,
    configuration: ManagementConfiguration = ManagementConfiguration(),
    logger: Logger = Logger(label: "sluice.management"),
    metrics: (@Sendable () -> String)? = nil,
    routes: ((Router<ManagementRequestContext>) -> Void)? = nil
) -> some ApplicationProtocol {
    let router = Router(context: ManagementRequestContext.self)
    addManagementMiddleware(to: router, configuration: configuration)
    addKeyManagerRoutes(
        to: router,
        keyManager: keyManager,
        authenticator: apiManager.authenticator,
        configuration: configuration,
        logger: logger
    )
    ManagementRoutes.addAPIManagerRoutes(to: router, services: apiManager, logger: logger)
    if let metrics {
        MetricsController(
            render: metrics,
            access: configuration.metricsAccess,
            adminAuthenticator: AdminAuthenticator(authenticator: apiManager.authenticator)
        ).addRoutes(to: router)
    }
    routes?(router)
    return makeManagementApplication(router: router, configuration: configuration, logger: logger)
}
