/// A token endpoint request after parsing: the grant, requested scopes and an optional validity period.
public struct TokenRequest: Sendable, Hashable {
    /// The supported grants.
    public enum Grant: Sendable, Hashable {
        /// Resource owner password credentials.
        case password(username: String, password: String)
        /// The application acting for its owner.
        case clientCredentials
        /// Exchange of a refresh token.
        case refreshToken(String)
        /// Exchange of an authorization code (RFC 6749 §4.1.3) with its PKCE verifier (RFC 7636).
        case authorizationCode(code: String, redirectURI: String?, codeVerifier: String?)

        /// The `grant_type` value.
        public var name: String {
            switch self {
            case .password: "password"
            case .clientCredentials: "client_credentials"
            case .refreshToken: "refresh_token"
            case .authorizationCode: "authorization_code"
            }
        }
    }

    /// The grant and its credentials.
    public var grant: Grant
    /// Requested scopes; nil when the request named none.
    public var scopes: [String]?
    /// `validity_period` in seconds, overriding the identity settings for the access token.
    public var validityPeriod: Int64?
    /// The address the request came from: client secrets and passwords checked for it go through the login
    /// throttle. Nil for in-process callers.
    public var clientAddress: String?

    /// Creates a token request.
    public init(grant: Grant, scopes: [String]? = nil, validityPeriod: Int64? = nil, clientAddress: String? = nil) {
        self.grant = grant
        self.scopes = scopes
        self.validityPeriod = validityPeriod
        self.clientAddress = clientAddress
    }
}
