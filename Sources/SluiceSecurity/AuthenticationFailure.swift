public import SluiceMediation
public import SluiceModel
import NIOCore
import NIOHTTP1

/// One of WSO2's authentication failures (`APISecurityConstants`, codes 900900-900910): code, message,
/// description and HTTP status, answered the way `APIAuthenticationHandler.handleAuthFailure` does.
public struct AuthenticationFailure: Sendable, Hashable {
    /// WSO2's code.
    public let code: Int
    /// WSO2's message (`ams:message`).
    public let message: String
    /// The explanation after the message; the description is `message + ". " + detail`.
    public let detail: String?
    /// 401, 403 or 500.
    public let httpStatus: Int
    /// The `WWW-Authenticate` value of a 401.
    public let challengeValue: String

    /// Creates a failure.
    public init(code: Int, message: String, detail: String?, httpStatus: Int, challenge: String = Self.challenge) {
        self.code = code
        self.message = message
        self.detail = detail
        self.httpStatus = httpStatus
        self.challengeValue = challenge
    }

    /// The sequence WSO2 runs on every authentication failure, with `ERROR_CODE`, `ERROR_MESSAGE` and
    /// `ERROR_DETAIL` set, before it answers.
    public static let sequenceName = "_auth_failure_handler_"

    /// The realm WSO2 names in its `WWW-Authenticate` challenge.
    public static let challenge =
        #"OAuth2 realm="WSO2 API Manager", error="invalid_token", error_description="The provided token is invalid""#

    /// 900900, HTTP 500.
    public static let unclassified = AuthenticationFailure(
        code: 900900, message: "Unclassified Authentication Failure",
        detail: "Error while accessing backend services for API key validation", httpStatus: 500
    )
    /// 900901, HTTP 401.
    public static let invalidCredentials = AuthenticationFailure(
        code: 900901, message: "Invalid Credentials",
        detail: "Make sure you have given the correct access token", httpStatus: 401
    )
    /// 900901, HTTP 401, for an API with mandatory mutual TLS called without a certificate uploaded for it
    /// (WSO2's `MutualSSLAuthenticator` answers `API_AUTH_INVALID_CREDENTIALS` with its own realm).
    public static let clientCertificateRefused = AuthenticationFailure(
        code: 900901, message: "Invalid Credentials",
        detail: "Make sure your client presents a certificate uploaded for this API", httpStatus: 401,
        challenge: #"Mutual SSL realm="WSO2 API Manager""#
    )
    /// 900903, HTTP 401.
    public static let accessTokenExpired = AuthenticationFailure(
        code: 900903, message: "Access Token Expired", detail: "Renew the access token and try again", httpStatus: 401
    )
    /// 900904, HTTP 401.
    public static let accessTokenInactive = AuthenticationFailure(
        code: 900904, message: "Access Token Inactive", detail: "Generate a new access token and try again",
        httpStatus: 401
    )
    /// 900905, HTTP 401.
    public static let incorrectAccessTokenType = AuthenticationFailure(
        code: 900905, message: "Incorrect Access Token Type is provided", detail: nil, httpStatus: 401
    )
    /// 900906, HTTP 403.
    public static let noMatchingResource = AuthenticationFailure(
        code: 900906, message: "No matching resource found in the API for the given request", detail: nil,
        httpStatus: 403
    )
    /// 900907, HTTP 401.
    public static let apiBlocked = AuthenticationFailure(
        code: 900907, message: "The requested API is temporarily blocked", detail: nil, httpStatus: 401
    )
    /// 900908, HTTP 403.
    public static let resourceForbidden = AuthenticationFailure(
        code: 900908, message: "Resource forbidden",
        detail: "User is NOT authorized to access the Resource. API Subscription validation failed.", httpStatus: 403
    )
    /// 900909, HTTP 401.
    public static let subscriptionInactive = AuthenticationFailure(
        code: 900909, message: "The subscription to the API is inactive", detail: nil, httpStatus: 401
    )

    /// 900902, HTTP 401: no usable credentials in `header`.
    /// - Parameters:
    ///   - header: The header the token is read from.
    ///   - value: What the header should hold, as the description shows it.
    public static func missingCredentials(header: String, value: String = "Bearer ACCESS_TOKEN") -> AuthenticationFailure {
        AuthenticationFailure(
            code: 900902, message: "Missing Credentials",
            detail: "Make sure your API invocation call has a header: \"\(header) : \(value)\"", httpStatus: 401
        )
    }

    /// 900910, HTTP 403: the token lacks every scope of the resource.
    /// - Parameter resource: The resource template, named in the description as WSO2 does.
    public static func invalidScope(resource: String) -> AuthenticationFailure {
        AuthenticationFailure(
            code: 900910, message: "The access token does not allow you to access the requested resource",
            detail: "User is NOT authorized to access the Resource: \(resource). Scope validation failed.",
            httpStatus: 403
        )
    }

    /// The failure for a key manager's refusal.
    /// - Parameters:
    ///   - code: The key manager's code.
    ///   - resource: The resource template (for 900910's description).
    public static func from(_ code: KeyValidationResult.ErrorCode, resource: String) -> AuthenticationFailure {
        switch code {
        case .invalidCredentials: .invalidCredentials
        case .accessTokenExpired: .accessTokenExpired
        case .accessTokenInactive: .accessTokenInactive
        case .resourceForbidden: .resourceForbidden
        case .subscriptionInactive: .subscriptionInactive
        case .invalidScope: .invalidScope(resource: resource)
        }
    }

    /// WSO2's `ams:description`.
    public var description: String {
        detail.map { message + ". " + $0 } ?? message
    }

    /// The failure as a mediation fault (for `ERROR_CODE` / `ERROR_MESSAGE` and fault sequences).
    public var fault: MediationFault {
        MediationFault(code: code, message: message, detail: description, httpStatus: httpStatus)
    }

    /// Makes the context WSO2's answer (``apply(to:)``) and, when `_auth_failure_handler_` is deployed, lets it
    /// adjust that answer: it may change status (`HTTP_SC`), headers and body, `<respond/>` or `<drop/>`.
    /// - Parameters:
    ///   - context: The request's context; it becomes the response.
    ///   - sequence: The deployed `_auth_failure_handler_`, or nil.
    /// - Returns: The handler decision answering the failure.
    public func answer(_ context: inout MessageContext, sequence: CompiledSequence?) -> GatewayHandlerDecision {
        apply(to: &context)
        guard let sequence else { return .respond }
        return .runSequence(sequence, then: .reply)
    }

    /// Makes the context the answer to the client: status, `WWW-Authenticate` on 401, and the `ams:fault` body
    /// in the format the request asked for (JSON, XML or SOAP); also records the fault properties.
    /// - Parameter context: The request's context; it becomes the response.
    public func apply(to context: inout MessageContext) {
        let requestHeaders = context.requestHeaders
        let format = FaultPayload.Format(requestHeaders: requestHeaders)
        let fields = FaultPayload.Fields(code: code, message: message, description: description)
        let text = FaultPayload.body(fields, family: .authentication, format: format, isClientError: httpStatus < 500)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        if httpStatus == 401 { headers.add(name: "WWW-Authenticate", value: challengeValue) }
        context.recordFault(fault)
        context[property: APIManagerProperty.authFailureStatusCode] = .integer(httpStatus)
        // As a backend response would, so response handlers still see the client's request headers.
        context.receiveResponse(status: httpStatus, headers: headers, body: .buffered(ByteBuffer(string: text)))
    }
}
