/// `<authentication><oauth>` of an `<http>` endpoint (WSO2 Micro Integrator 4.x's `OAuthConfiguredHTTPEndpoint`):
/// the gateway gets an access token from `tokenUrl` with one grant, caches it, and sends every request to the
/// endpoint with `Authorization: Bearer <token>`; a 401 from the backend fetches a fresh token and sends once more.
///
/// Every value may be a `{expression}` evaluated on the message (WSO2's `OAuthUtils.resolveExpression`); a token is
/// cached per set of resolved values.
public struct EndpointOAuth: Sendable, Hashable, CustomStringConvertible {
    /// The grant the token request uses.
    public enum Grant: Sendable, Hashable {
        /// `<clientCredentials>`: `grant_type=client_credentials`.
        case clientCredentials
        /// `<passwordCredentials>`: `grant_type=password` with the resource owner's `<username>` and `<password>`.
        case password(username: ValueSource, password: ValueSource)
        /// `<authorizationCode>`: `grant_type=refresh_token` with the `<refreshToken>` an authorization code gave.
        case authorizationCode(refreshToken: ValueSource)

        /// The element that names the grant.
        public var elementName: String {
            switch self {
            case .clientCredentials: "clientCredentials"
            case .password: "passwordCredentials"
            case .authorizationCode: "authorizationCode"
            }
        }
    }

    public var grant: Grant
    /// `<tokenUrl>`: where the token request is posted.
    public var tokenURL: ValueSource
    public var clientID: ValueSource
    public var clientSecret: ValueSource
    /// `<authMode>`: `header` (the default: HTTP Basic with the client's credentials) or `payload` (`client_id` and
    /// `client_secret` in the form).
    public var authMode: ValueSource?
    /// `<requestParameters><parameter name=>`: more form fields of the token request, in order.
    public var requestParameters: [NamedValue]
    /// `<customHeaders><header name=>`: more headers of the token request, in order.
    public var customHeaders: [NamedValue]
    /// `<connectionTimeout>`, `<connectionRequestTimeout>`, `<socketTimeout>` in milliseconds, kept as written.
    public var connectionTimeout: Int?
    public var connectionRequestTimeout: Int?
    public var socketTimeout: Int?
    /// `<useGlobalConnectionTimeoutConfigs>` and `<useGlobalProxyConfigs>` as written (Sluice has no global
    /// token-endpoint settings, so they change nothing).
    public var useGlobalConnectionTimeoutConfigs: Bool?
    public var useGlobalProxyConfigs: Bool?

    public init(
        grant: Grant,
        tokenURL: ValueSource,
        clientID: ValueSource,
        clientSecret: ValueSource,
        authMode: ValueSource? = nil,
        requestParameters: [NamedValue] = [],
        customHeaders: [NamedValue] = [],
        connectionTimeout: Int? = nil,
        connectionRequestTimeout: Int? = nil,
        socketTimeout: Int? = nil,
        useGlobalConnectionTimeoutConfigs: Bool? = nil,
        useGlobalProxyConfigs: Bool? = nil
    ) {
        self.grant = grant
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.authMode = authMode
        self.requestParameters = requestParameters
        self.customHeaders = customHeaders
        self.connectionTimeout = connectionTimeout
        self.connectionRequestTimeout = connectionRequestTimeout
        self.socketTimeout = socketTimeout
        self.useGlobalConnectionTimeoutConfigs = useGlobalConnectionTimeoutConfigs
        self.useGlobalProxyConfigs = useGlobalProxyConfigs
    }

    /// Names the grant and the token URL only: the secret, the password and the refresh token never show in
    /// diagnostics or logs.
    public var description: String {
        let url =
            switch tokenURL {
            case .literal(let text): text
            case .expression(let expression): "{" + expression.source + "}"
            }
        return "oauth(\(grant.elementName), tokenUrl: \(url), secrets: <hidden>)"
    }
}
