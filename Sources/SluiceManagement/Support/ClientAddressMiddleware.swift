import Hummingbird
import SluiceControlPlane

/// Makes the TCP peer of each request the ``ClientAddress/current`` while the request is handled.
///
/// A context without a peer address (the router test client) leaves the current value alone, so tests can set
/// one themselves.
struct ClientAddressMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress else {
            return try await next(request, context)
        }
        // Unix-domain peers have no IP address; they share one key.
        let address = peer.ipAddress ?? "local"
        return try await ClientAddress.$current.withValue(address) { try await next(request, context) }
    }
}
