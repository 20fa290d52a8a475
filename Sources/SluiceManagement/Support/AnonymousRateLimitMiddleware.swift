import HTTPTypes
import Hummingbird
import SluiceControlPlane

/// Answers 429 with `Retry-After` when a client without credentials (no `Authorization` header) is over its
/// ``AnonymousRateLimit``.
///
/// The OAuth2 and internal endpoints are left to the login throttle: their callers always authenticate, some
/// with credentials in the form body. Requests with an `Authorization` header pass here and face the
/// authenticator (and the login throttle when the credentials are wrong).
struct AnonymousRateLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limiter: AnonymousRateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.headers[.authorization] == nil, let address = ClientAddress.current,
            !request.uri.path.hasPrefix("/oauth2/"), !request.uri.path.hasPrefix("/internal/")
        else { return try await next(request, context) }
        guard let retryAfter = limiter.admit(address) else { return try await next(request, context) }
        return try ManagementError.tooManyRequests(
            "Too many requests without credentials from this address; retry after \(retryAfter) s or sign in",
            retryAfter: retryAfter
        ).response(from: request, context: context)
    }
}
