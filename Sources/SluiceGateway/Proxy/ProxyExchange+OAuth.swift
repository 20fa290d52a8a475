import NIOCore
import SluiceMediation

// The exchange's side of OAuth endpoints: a bearer token on the message before it goes out, and one more try with a
// fresh token when the backend answers 401 (WSO2's `OAuthConfiguredHTTPEndpoint`).
extension ProxyExchange {
    /// Puts the endpoint's token on the message and sends it; waits for the token request when none is cached.
    func authorize(_ oauth: OAuthTokenSource, then leaf: EndpointLeaf) {
        withToken(from: oauth, rejecting: nil) { [self] token in
            context.headers.replaceOrAdd(name: "Authorization", value: OAuthTokens.authorization(token))
            sendAuthorized(to: leaf)
        }
    }

    /// The backend refused the token the request carried: the same request once more with a new token.
    func sendWithRenewedToken(_ request: BackendRequest) {
        guard let oauth = request.leaf.oauth else { return }
        withToken(from: oauth, rejecting: OAuthTokens.bearerToken(of: request)) { [self] token in
            var request = request
            OAuthTokens.authorize(&request, context: &context, with: token)
            guard let pool else {
                return carryOut(
                    state.prepareFailed(.connectionFailed("no connection pool on this event loop"), now: runtime.now())
                )
            }
            acquireConnection(for: request, from: pool)
        }
    }

    /// Runs `body` with the token, at once when it is cached, else when the token request answers (on this
    /// exchange's loop, unless the client has gone meanwhile); a failed request runs the fault sequence with 303003.
    private func withToken(from oauth: OAuthTokenSource, rejecting: String?, _ body: @escaping (String) -> Void) {
        let lookup: OAuthTokenCache.Lookup
        do throws(MediationFault) {
            lookup = try OAuthTokens.token(
                for: oauth,
                context: &context,
                rejecting: rejecting,
                pool: pool,
                eventLoop: connection.eventLoop,
                now: runtime.now(),
                defaultTimeout: runtime.defaultEndpointTimeout
            )
        } catch {
            return handleFault(error)
        }
        OAuthTokens.whenReady(
            lookup,
            of: oauth,
            stillWanted: { [self] in !state.isFinished },
            onFault: { [self] fault in handleFault(fault) },
            body: body
        )
    }
}
