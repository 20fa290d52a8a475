/// An introspection answer (RFC 7662 §2.2); an inactive token carries nothing but `active: false`.
public struct IntrospectionResponse: Sendable, Hashable, Codable {
    /// Whether the token is usable now.
    public var active: Bool
    /// Granted scopes, space separated.
    public var scope: String?
    /// The consumer key the token was issued to.
    public var clientID: String?
    /// The resource owner (or application owner for client_credentials).
    public var username: String?
    /// `Bearer` for access tokens, `refresh_token` for refresh tokens.
    public var tokenType: String?
    /// Expiry, seconds since 1970.
    public var exp: Int64?
    /// Issue time, seconds since 1970.
    public var iat: Int64?
    /// Not before: the issue time.
    public var nbf: Int64?

    /// The answer for unknown, expired or revoked tokens.
    public static let inactive = IntrospectionResponse(active: false)

    /// Creates a response.
    public init(
        active: Bool,
        scope: String? = nil,
        clientID: String? = nil,
        username: String? = nil,
        tokenType: String? = nil,
        exp: Int64? = nil,
        iat: Int64? = nil,
        nbf: Int64? = nil
    ) {
        self.active = active
        self.scope = scope
        self.clientID = clientID
        self.username = username
        self.tokenType = tokenType
        self.exp = exp
        self.iat = iat
        self.nbf = nbf
    }

    enum CodingKeys: String, CodingKey {
        case active, scope, username, exp, iat, nbf
        case clientID = "client_id"
        case tokenType = "token_type"
    }
}
