/// An OAuth2 error response (RFC 6749 §5.2, RFC 7009 §2.2.1).
public struct OAuth2Error: Error, Hashable, Sendable {
    /// The `error` codes.
    public enum Code: String, Sendable, Hashable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case invalidScope = "invalid_scope"
        case unsupportedTokenType = "unsupported_token_type"
        case serverError = "server_error"
        /// The authorization endpoint was asked for another response than `code`.
        case unsupportedResponseType = "unsupported_response_type"
        /// RFC 6749 §4.1.2.1's code for a server that cannot answer now: the login throttle's refusal (429).
        case temporarilyUnavailable = "temporarily_unavailable"
    }

    /// The `error` field.
    public var code: Code
    /// The `error_description` field: for people, never holding a secret.
    public var description: String

    /// Creates an error.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// 401 for a failed client authentication, 500 for our failures, 400 otherwise.
    public var httpStatus: Int {
        switch code {
        case .invalidClient: 401
        case .serverError: 500
        case .temporarilyUnavailable: 429
        default: 400
        }
    }

    static func invalidRequest(_ description: String) -> OAuth2Error { OAuth2Error(.invalidRequest, description) }
    static func invalidGrant(_ description: String) -> OAuth2Error { OAuth2Error(.invalidGrant, description) }
    static func invalidScope(_ description: String) -> OAuth2Error { OAuth2Error(.invalidScope, description) }
    static let invalidClient = OAuth2Error(.invalidClient, "Client authentication failed")
}
