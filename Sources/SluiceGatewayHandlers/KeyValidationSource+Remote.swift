public import AsyncHTTPClient
public import CoreMetrics
public import Logging
public import ServiceLifecycle
public import NIOCore
public import SluiceSecurity

extension KeyValidationSource {
    /// The key validation of a gateway running apart from the key manager: a ``RemoteKeyValidator`` behind a
    /// ``KeyValidationCache``, the ``RevocationFeedService`` that keeps the cache clean and the
    /// ``SigningKeyRefreshService`` that lets it check JWTs itself (add both to the node's services).
    /// - Parameters:
    ///   - baseURL: The key manager's management app (api-manager.xml's key manager URL).
    ///   - username: An admin user.
    ///   - password: Its password.
    ///   - timestampSkew: identity.xml's `TimestampSkew`, for the expiry of JWTs checked here.
    ///   - eventLoopGroup: Where cache lookups complete.
    ///   - logger: For an unreachable key manager.
    ///   - client: The HTTP client (one trusting the node's trust store when the key manager's certificate is
    ///     self-signed).
    ///   - metricsFactory: Where the cache's lookups are counted; nil counts nothing.
    /// - Returns: The source for the authentication handler and its background services.
    public static func remote(
        baseURL: String,
        username: String,
        password: String,
        timestampSkew: Int64 = 300,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        client: HTTPClient = .shared,
        metricsFactory: (any MetricsFactory)? = nil
    ) -> (source: KeyValidationSource, services: [any Service]) {
        let validator = RemoteKeyValidator(baseURL: baseURL, username: username, password: password, client: client)
        let cache = KeyValidationCache(
            validator: validator,
            eventLoopGroup: eventLoopGroup,
            configuration: KeyValidationCache.Configuration(timestampSkew: Double(timestampSkew)),
            metricsFactory: metricsFactory
        )
        return (
            .cached(cache),
            [
                RevocationFeedService(validator: validator, cache: cache, logger: logger),
                SigningKeyRefreshService(validator: validator, cache: cache, logger: logger),
            ]
        )
    }
}
