public import Logging
public import NIOCore
public import SluiceSecurity

extension KeyValidationSource {
    /// The key validation of a gateway running apart from the key manager: a ``RemoteKeyValidator`` behind a
    /// ``KeyValidationCache``, and the ``RevocationFeedService`` that keeps the cache clean (add it to the
    /// node's services).
    /// - Parameters:
    ///   - baseURL: The key manager's management app (api-manager.xml's key manager URL).
    ///   - username: An admin user.
    ///   - password: Its password.
    ///   - eventLoopGroup: Where cache lookups complete.
    ///   - logger: For an unreachable key manager.
    /// - Returns: The source for the authentication handler and the revocation feed service.
    public static func remote(
        baseURL: String,
        username: String,
        password: String,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) -> (source: KeyValidationSource, revocationFeed: RevocationFeedService) {
        let validator = RemoteKeyValidator(baseURL: baseURL, username: username, password: password)
        let cache = KeyValidationCache(validator: validator, eventLoopGroup: eventLoopGroup)
        return (.cached(cache), RevocationFeedService(validator: validator, cache: cache, logger: logger))
    }
}
