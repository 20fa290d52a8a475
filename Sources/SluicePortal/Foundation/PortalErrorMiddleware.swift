import Hummingbird
import Logging
import SluiceControlPlane

/// Turns what handlers under the portals' paths throw into HTML pages: ``PortalError`` is already a page,
/// unknown paths get a 404 page, a service's ``ManagementError`` its status and message, anything else a 500
/// page (logged, never shown). Other paths pass through untouched.
struct PortalErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let portal: Portal

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let area = Self.area(of: request.uri.path) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as PortalError {
            return error.response
        } catch let error as ManagementError {
            return portal.errorPage(
                error.status,
                title: error.status == .notFound ? "Not found" : error.message,
                message: error.detail,
                session: portal.session(for: request),
                area: area
            )
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return portal.errorPage(
                .notFound,
                title: "Not found",
                message: "There is no page at this address.",
                session: portal.session(for: request),
                area: area
            )
        } catch {
            portal.logger.error("Portal page failed", metadata: ["sluice.path": "\(request.uri.path)", "sluice.error": "\(error)"])
            return portal.errorPage(
                .internalServerError,
                title: "Something went wrong",
                message: "The page could not be shown. Try again later.",
                session: portal.session(for: request),
                area: area
            )
        }
    }

    /// The portal a path belongs to; nil for paths outside the portals.
    static func area(of path: String) -> PortalArea? {
        if path.hasPrefix("/portal/") { return .store }
        return PortalArea.allCases.first { path == $0.path || path.hasPrefix($0.path + "/") }
    }
}
