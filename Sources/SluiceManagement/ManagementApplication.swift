public import Hummingbird
import HummingbirdCore
public import Logging
public import SluiceKeyManager
import SluiceControlPlane

/// Builds the management app (a Hummingbird `Application`, hence a `Service`) serving the OAuth2 endpoints
/// and the internal key-validation endpoints; later issues add the publisher, devportal and admin REST APIs.
/// - Parameters:
///   - keyManager: The key manager behind the endpoints.
///   - configuration: Address, port and body limits.
///   - logger: The application's logger.
/// - Returns: The application; run it in a `ServiceGroup` or test it with `app.test(.router)`.
public func buildManagementApplication(
    keyManager: KeyManager,
    configuration: ManagementConfiguration = ManagementConfiguration(),
    logger: Logger = Logger(label: "sluice.management")
) -> some ApplicationProtocol {
    let router = Router(context: ManagementRequestContext.self)
    addManagementMiddleware(to: router, configuration: configuration)
    addKeyManagerRoutes(
        to: router,
        keyManager: keyManager,
        authenticator: ManagementAuthenticator(keyManager: keyManager),
        configuration: configuration,
        logger: logger
    )
    return makeManagementApplication(router: router, configuration: configuration, logger: logger)
}

/// Adds what guards every management route, first, so it applies to all routes added later: the request's span
/// when tracing is on, the client address of each request (``ClientAddress``) and the budget of requests without
/// credentials.
package func addManagementMiddleware<Context: RequestContext>(
    to router: Router<Context>,
    configuration: ManagementConfiguration
) {
    if let tracer = configuration.tracer {
        router.add(middleware: ManagementTracingMiddleware<Context>(tracer: tracer))
    }
    router.add(middleware: ClientAddressMiddleware<Context>())
    if let limit = configuration.anonymousRateLimit {
        router.add(
            middleware: AnonymousRateLimitMiddleware<Context>(
                limiter: AnonymousRateLimiter(limit: limit, clock: configuration.clock)
            )
        )
    }
}

/// Adds the OAuth2 endpoints, dynamic client registration and the internal key-validation endpoints, which every
/// management app serves; `authenticator` checks the administrators' Basic credentials of the internal endpoints.
package func addKeyManagerRoutes<Context: RequestContext>(
    to router: Router<Context>,
    keyManager: KeyManager,
    authenticator: ManagementAuthenticator,
    configuration: ManagementConfiguration,
    logger: Logger = Logger(label: "sluice.management")
) {
    let adminAuthenticator = AdminAuthenticator(authenticator: authenticator)
    OAuth2Controller(
        keyManager: keyManager,
        adminAuthenticator: adminAuthenticator,
        maximumBodySize: configuration.maximumBodySize,
        logger: logger
    ).addRoutes(to: router)
    KeyValidationController(
        keyManager: keyManager,
        adminAuthenticator: adminAuthenticator,
        maximumBodySize: configuration.maximumBodySize,
        logger: logger
    ).addRoutes(to: router)
    ClientRegistrationController(
        keyManager: keyManager,
        maximumBodySize: configuration.maximumBodySize,
        logger: logger
    ).addRoutes(to: router)
}

/// The Hummingbird application around a finished router, bound as the configuration says: plain HTTP, HTTPS,
/// or both serving the same routes (the HTTPS application then runs the plain one as one of its services).
func makeManagementApplication(
    router: Router<ManagementRequestContext>,
    configuration: ManagementConfiguration,
    logger: Logger
) -> some ApplicationProtocol {
    let responder = router.buildResponder()
    let notify = configuration.onServerRunning
    func settings(port: Int) -> ApplicationConfiguration {
        ApplicationConfiguration(address: .hostname(configuration.host, port: port), serverName: "Sluice")
    }
    // One connection cap for the server, whichever listener a connection arrives on.
    let guards = ManagementHTTPChannel.Guards(configuration: configuration, logger: logger)
    let plain = Application(
        responder: responder,
        server: HTTPServerBuilder { responder in ManagementHTTPChannel(responder: responder, guards: guards) },
        configuration: settings(port: configuration.port),
        onServerRunning: { channel in await notify("http", channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
    guard let tls = configuration.tls else { return plain }
    return Application(
        responder: responder,
        server: tls.server(guards: guards),
        configuration: settings(port: tls.port),
        services: configuration.httpEnabled ? [plain] : [],
        onServerRunning: { channel in await notify("https", channel.localAddress?.port ?? tls.port) },
        logger: logger
    )
}
