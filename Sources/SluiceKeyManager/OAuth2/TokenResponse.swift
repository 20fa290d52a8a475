/// A successful token response (RFC 6749 §5.1).
public struct TokenResponse: Sendable, Hashable, Codable {
    /// The bearer token.
    public var accessToken: String
    /// Absent for client_credentials.
    public var refreshToken: String?
    /// Always `Bearer`.
    public var tokenType: String
    /// Seconds until the access token expires.
    public var expiresIn: Int64
    /// Granted scopes, space separated.
    public var scope: String

    /// Creates a response.
    public init(accessToken: String, refreshToken: String?, expiresIn: Int64, scope: String) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = "Bearer"
        self.expiresIn = expiresIn
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case scope
    }
}
