/// Token settings from `repository/conf/identity.xml` (`/Server/OAuth/...`), in seconds.
public struct IdentitySettings: Sendable, Hashable {
    /// `AuthorizationCodeDefaultValidityPeriod`.
    public var authorizationCodeValidity: Int64
    /// `AccessTokenDefaultValidityPeriod`: application tokens (client_credentials).
    public var applicationAccessTokenValidity: Int64
    /// `UserAccessTokenDefaultValidityPeriod`: user tokens (password grant).
    public var userAccessTokenValidity: Int64
    /// `RefreshTokenValidityPeriod`.
    public var refreshTokenValidity: Int64
    /// `TimestampSkew`: tokens are treated as expired this many seconds early.
    public var timestampSkew: Int64
    /// `RenewRefreshTokenForRefreshGrant`: the refresh grant also rotates the refresh token.
    public var renewRefreshTokenForRefreshGrant: Bool
    /// `SupportedGrantTypes/SupportedGrantType/GrantTypeName`.
    public var supportedGrantTypes: [String]
    /// `OpenIDConnect/IDTokenIssuerID`: the `iss` of JWT access tokens; nil: the node's own token endpoint URL.
    public var tokenIssuer: String?

    /// WSO2's defaults: 300 / 3600 / 3600 / 84600 / 300, refresh tokens renewed.
    public init(
        authorizationCodeValidity: Int64 = 300,
        applicationAccessTokenValidity: Int64 = 3600,
        userAccessTokenValidity: Int64 = 3600,
        refreshTokenValidity: Int64 = 84600,
        timestampSkew: Int64 = 300,
        renewRefreshTokenForRefreshGrant: Bool = true,
        supportedGrantTypes: [String] = ["password", "client_credentials", "refresh_token"],
        tokenIssuer: String? = nil
    ) {
        self.authorizationCodeValidity = authorizationCodeValidity
        self.applicationAccessTokenValidity = applicationAccessTokenValidity
        self.userAccessTokenValidity = userAccessTokenValidity
        self.refreshTokenValidity = refreshTokenValidity
        self.timestampSkew = timestampSkew
        self.renewRefreshTokenForRefreshGrant = renewRefreshTokenForRefreshGrant
        self.supportedGrantTypes = supportedGrantTypes
        self.tokenIssuer = tokenIssuer
    }

    public static let wso2Defaults = IdentitySettings()

    /// What makes these settings unusable, in identity.xml's words; empty when they are fine.
    ///
    /// Tokens count as expired `TimestampSkew` seconds early, so a skew at least as long as a validity period
    /// issues tokens that are dead on arrival while `expires_in` promises otherwise: such a file is refused.
    public var problems: [String] {
        var problems: [String] = []
        if timestampSkew < 0 { problems.append("TimestampSkew (\(timestampSkew)) must not be negative") }
        let periods: [(String, Int64)] = [
            ("AccessTokenDefaultValidityPeriod", applicationAccessTokenValidity),
            ("UserAccessTokenDefaultValidityPeriod", userAccessTokenValidity),
            ("RefreshTokenValidityPeriod", refreshTokenValidity),
        ]
        for (name, seconds) in periods where seconds <= timestampSkew {
            problems.append(
                "TimestampSkew (\(timestampSkew) s) must be shorter than \(name) (\(seconds) s): "
                    + "tokens would expire before they are issued"
            )
        }
        return problems
    }
}
