public import Hummingbird

/// A finished answer thrown out of a handler: a redirect to the sign-in page, a 403 page for a forged form, a
/// 404 page. ``PortalErrorMiddleware`` lets it through as the response.
public struct PortalError: HTTPResponseError {
    public let response: Response

    public init(_ response: Response) {
        self.response = response
    }

    public var status: HTTPResponse.Status { response.status }

    public func response(from request: Request, context: some RequestContext) throws -> Response { response }
}
