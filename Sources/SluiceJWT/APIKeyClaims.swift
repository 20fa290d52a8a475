public import JWTKit
public import SluiceModel

/// The claims of a WSO2 API Manager 4.x API key: a self-contained JWT naming the application, the APIs it was
/// subscribed to when the key was made, the key type and the optional IP and HTTP-referrer restrictions.
/// `token_type` is `apiKey`, which no access token carries.
public struct APIKeyClaims: JWTPayload, Sendable, Hashable {
    /// One API the application was subscribed to (`subscribedAPIs`).
    public struct SubscribedAPI: Codable, Sendable, Hashable {
        /// The subscriber's tenant domain (`carbon.super`).
        public var subscriberTenantDomain: String
        /// The API name.
        public var name: String
        /// The API context.
        public var context: String
        /// The API's provider.
        public var publisher: String
        /// The API version.
        public var version: String
        /// The subscription tier.
        public var subscriptionTier: String

        /// Creates the claim.
        public init(name: String, context: String, publisher: String, version: String, subscriptionTier: String) {
            self.subscriberTenantDomain = "carbon.super"
            self.name = name
            self.context = context
            self.publisher = publisher
            self.version = version
            self.subscriptionTier = subscriptionTier
        }
    }

    /// The value of `token_type`.
    public static let tokenType = "apiKey"

    /// The issuer: the key manager's token endpoint.
    public var iss: String
    /// The application's owner.
    public var sub: String
    /// Seconds since 1970 when the key was made.
    public var iat: Int64
    /// Seconds since 1970 when the key expires; nil: never (WSO2's validity period -1).
    public var exp: Int64?
    /// The key's unique id.
    public var jti: String
    /// `PRODUCTION` or `SANDBOX`.
    public var keytype: String
    /// Always ``tokenType``.
    public var tokenType: String
    /// The application.
    public var application: AccessTokenClaims.Application
    /// The subscriptions when the key was made.
    public var subscribedAPIs: [SubscribedAPI]
    /// Comma-separated addresses and CIDR blocks calls must come from; nil: any.
    public var permittedIP: PermittedAddresses?
    /// Comma-separated `Referer` patterns (`*` wildcard); nil: any.
    public var permittedReferer: PermittedReferers?

    enum CodingKeys: String, CodingKey {
        case iss, sub, iat, exp, jti, keytype, application, subscribedAPIs, permittedIP, permittedReferer
        case tokenType = "token_type"
    }

    /// Creates the claims of a new key.
    public init(
        issuer: String,
        subject: String,
        issuedAt: Int64,
        expiresAt: Int64?,
        keyID: String,
        keyType: String,
        application: AccessTokenClaims.Application,
        subscribedAPIs: [SubscribedAPI],
        permittedIP: PermittedAddresses?,
        permittedReferer: PermittedReferers?
    ) {
        self.iss = issuer
        self.sub = subject
        self.iat = issuedAt
        self.exp = expiresAt
        self.jti = keyID
        self.keytype = keyType
        self.tokenType = Self.tokenType
        self.application = application
        self.subscribedAPIs = subscribedAPIs
        self.permittedIP = permittedIP
        self.permittedReferer = permittedReferer
    }

    /// Signature, type and issuer are checked by ``APIKeyVerifier``; expiry by the caller with its clock.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
