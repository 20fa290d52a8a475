import Hummingbird
import SluiceControlPlane

/// Answers requests under `/api/am/` that match no route (Hummingbird answers an unknown method of a known path
/// the same way) with the management API's JSON error instead of an empty 404; other paths pass through.
struct ManagementNotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.uri.path.hasPrefix("/api/am/") {
            throw ManagementError.notFound("No resource \(request.method.rawValue) \(request.uri.path)")
        }
    }
}
