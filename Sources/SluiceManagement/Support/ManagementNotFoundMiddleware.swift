import HTTPTypes
import Hummingbird
import SluiceControlPlane

/// Answers requests under `/api/am/` that match no route with the management API's JSON error instead of an empty
/// 404: 405 with `Allow` when the path is served with other methods (Hummingbird answers both with 404), else 404.
/// Other paths pass through.
struct ManagementNotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The registered routes (filled after this middleware is added; read only when no route matched).
    let routes: ManagementRouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.uri.path.hasPrefix("/api/am/") {
            let allowed = routes.methods(servingPath: request.uri.path)
            guard !allowed.isEmpty else {
                throw ManagementError.notFound("No resource \(request.method.rawValue) \(request.uri.path)")
            }
            var response = try ManagementError(
                .methodNotAllowed,
                detail: "\(request.uri.path) does not support \(request.method.rawValue); it supports "
                    + allowed.joined(separator: ", ")
            ).response(from: request, context: context)
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }
}
