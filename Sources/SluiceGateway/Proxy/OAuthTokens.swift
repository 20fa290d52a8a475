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

    /// Runs `body` with the token of `lookup`: at once when it was cached, else when the token request answers, on
    /// the caller's event loop. `stillWanted` is asked before a late answer is used (the client may have gone
    /// meanwhile); a failed token request becomes the endpoint's fault, given to `onFault`.
    static func whenReady(
        _ lookup: OAuthTokenCache.Lookup,
        of oauth: OAuthTokenSource,
        stillWanted: @escaping () -> Bool,
        onFault: @escaping (MediationFault) -> Void,
        body: @escaping (String) -> Void
    ) {
        switch lookup {
        case .ready(let token):
            body(token)
        case .pending(let future):
            future.assumeIsolated().whenComplete { result in
                guard stillWanted() else { return }
                switch result {
                case .success(let token): body(token)
                case .failure(let error): onFault(oauth.fault(error))
                }
            }
        }
    }

    /// Puts `token` on a request being sent again after a 401, and on the message its mediators see.
    static func authorize(_ request: inout BackendRequest, context: inout MessageContext, with token: String) {
        let authorization = authorization(token)
        request.head.headers.replaceOrAdd(name: "Authorization", value: authorization)
        context.headers.replaceOrAdd(name: "Authorization", value: authorization)
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
