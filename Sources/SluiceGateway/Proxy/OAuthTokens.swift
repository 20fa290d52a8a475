import NIOCore
import SluiceMediation

/// Where an exchange or a split-off flow gets an OAuth endpoint's token: the endpoint's cache, or one token request
/// through the pool of the caller's event loop.
enum OAuthTokens {
    /// The token for this message, or the future of the request that gets it.
    /// - Parameters:
    ///   - oauth: The endpoint's OAuth settings and cache.
    ///   - context: The message its `{expression}` settings are evaluated on.
    ///   - rejecting: A token the backend just refused (401), which is not used again.
    ///   - pool: The backend pool of `eventLoop`.
    ///   - now: The current time.
    ///   - defaultTimeout: How long the token endpoint may take when `<socketTimeout>` is not set.
    /// - Throws: The endpoint's 303003 fault when a setting cannot be evaluated.
    static func token(
        for oauth: OAuthTokenSource,
        context: inout MessageContext,
        rejecting: String?,
        pool: UpstreamConnectionPool?,
        eventLoop: any EventLoop,
        now: NIODeadline,
        defaultTimeout: TimeAmount
    ) throws(MediationFault) -> OAuthTokenCache.Lookup {
        let request = try oauth.request(for: &context)
        return oauth.cache.token(for: request.cacheKey, rejecting: rejecting, on: eventLoop, now: now) {
            guard let pool else {
                return eventLoop.makeFailedFuture(OAuthTokenRequest.Failure("no connection pool on this event loop"))
            }
            return OAuthTokenFetch.start(request, pool: pool, timeout: oauth.responseTimeout ?? defaultTimeout)
        }
    }

    /// The bearer token a request carried, to tell the cache which token the backend refused.
    static func bearerToken(of request: BackendRequest) -> String? {
        guard let value = request.head.headers.first(name: "Authorization"), value.hasPrefix("Bearer ") else {
            return nil
        }
        return String(value.dropFirst("Bearer ".count))
    }

    /// The `Authorization` value for `token`.
    static func authorization(_ token: String) -> String { "Bearer " + token }
}
