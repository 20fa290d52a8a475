public import HTTPTypes
public import Hummingbird
import SluiceControlPlane

/// Answered as WSO2's `ErrorDTO`, with `WWW-Authenticate` on 401 and `Retry-After` on 429.
extension ManagementError: HTTPResponseError {
    public var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if status == .unauthorized {
            headers[.wwwAuthenticate] = "Basic realm=\"Sluice\", Bearer realm=\"Sluice\""
        }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return headers
    }

    private struct Body: Encodable {
        var code: Int
        var message: String
        var description: String
        var moreInfo: String
        var error: [Item]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(code: wso2Code ?? status.code, message: message, description: detail, moreInfo: "", error: items)
        return JSONResponses.response(body, status: status, headers: headers)
    }
}
