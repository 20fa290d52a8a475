/// Which of an application's two key pairs a token was issued for.
public enum KeyType: String, Sendable, Hashable, CaseIterable, Codable {
    case production = "PRODUCTION"
    case sandbox = "SANDBOX"
}

/// What the gateway asks the key manager when a token is not in its cache.
public struct KeyValidationRequest: Sendable, Hashable, Codable {
    /// The bearer token as the client sent it.
    public var accessToken: String
    /// The API context as deployed (with or without a trailing version segment).
    public var apiContext: String
    /// The API version.
    public var apiVersion: String
    /// The matched resource (`url-mapping` or `uri-template`), for logs and usage.
    public var resource: String
    /// The upper-case HTTP method.
    public var httpMethod: String
    /// Scopes of the matched resource; the token must carry at least one of them when not empty.
    public var requiredScopes: [String]
    /// What `accessToken` holds; nil (as older gateways send) is an OAuth2 access token.
    public var credential: Credential?

    /// What a request presents.
    public enum Credential: String, Sendable, Hashable, Codable {
        /// An OAuth2 access token (opaque or JWT), from `Authorization: Bearer`.
        case accessToken = "ACCESS_TOKEN"
        /// A WSO2 API key (a signed JWT), from the `apikey` header or query parameter.
        case apiKey = "API_KEY"
    }

    /// Whether the request presents an API key.
    public var isAPIKey: Bool { credential == .apiKey }

    /// Creates a request.
    /// - Parameters:
    ///   - accessToken: The bearer token.
    ///   - apiContext: The API context.
    ///   - apiVersion: The API version.
    ///   - resource: The matched resource template.
    ///   - httpMethod: The HTTP method.
    ///   - requiredScopes: Scopes the resource demands (any one suffices).
    ///   - credential: What `accessToken` holds; nil is an access token.
    public init(
        accessToken: String,
        apiContext: String,
        apiVersion: String,
        resource: String,
        httpMethod: String,
        requiredScopes: [String] = [],
        credential: Credential? = nil
    ) {
        self.credential = credential
        self.accessToken = accessToken
        self.apiContext = apiContext
        self.apiVersion = apiVersion
        self.resource = resource
        self.httpMethod = httpMethod
        self.requiredScopes = requiredScopes
    }
}

/// Whom a token acts for, as WSO2 records it (`USER_TYPE`): the application itself (client_credentials) or a
/// user of the application (password, authorization code, and tokens refreshed from those).
public enum AccessTokenUserType: String, Sendable, Hashable, Codable, CaseIterable {
    /// An application token: `client_credentials`.
    case application = "APPLICATION"
    /// An application-user token: every grant that authenticates a user.
    case applicationUser = "APPLICATION_USER"

    /// The user type of a token issued by `grantType` (an OAuth2 grant type name).
    public init(grantType: String) {
        self = grantType == "client_credentials" ? .application : .applicationUser
    }
}

/// The key manager's answer: whether the call is authorized, who makes it, and WSO2's error code if not.
public struct KeyValidationResult: Sendable, Hashable, Codable {
    /// WSO2 `APISecurityConstants` codes the key manager answers with.
    public enum ErrorCode: Int, Sendable, Hashable, Codable, CaseIterable {
        /// 900901: unknown token.
        case invalidCredentials = 900901
        /// 900903: the token has expired.
        case accessTokenExpired = 900903
        /// 900904: the token was revoked or replaced.
        case accessTokenInactive = 900904
        /// 900908: the application is not subscribed to the API.
        case resourceForbidden = 900908
        /// 900909: the subscription is blocked or not active.
        case subscriptionInactive = 900909
        /// 900910: the token lacks the resource's scope.
        case invalidScope = 900910

        /// WSO2's fault message for the code.
        public var message: String {
            switch self {
            case .invalidCredentials: "Invalid Credentials"
            case .accessTokenExpired: "Access Token Expired"
            case .accessTokenInactive: "Access Token Inactive"
            case .resourceForbidden: "Resource forbidden"
            case .subscriptionInactive: "The subscription to the API is inactive"
            case .invalidScope: "The access token does not allow you to access the requested resource"
            }
        }

        /// The HTTP status WSO2's authentication handler answers with.
        public var httpStatus: Int {
            switch self {
            case .resourceForbidden, .invalidScope: 403
            case .invalidCredentials, .accessTokenExpired, .accessTokenInactive, .subscriptionInactive: 401
            }
        }
    }

    /// True when the call may proceed.
    public var authorized: Bool
    /// Set when `authorized` is false.
    public var errorCode: ErrorCode?
    /// The calling application.
    public var applicationID: String?
    /// Its name.
    public var applicationName: String?
    /// The application's throttling tier (app-tiers.xml).
    public var applicationTier: String?
    /// The application's owner (WSO2's `subscriber`).
    public var subscriber: String?
    /// The client the token was issued to.
    public var consumerKey: String?
    /// PRODUCTION or SANDBOX: which endpoint the gateway should use.
    public var keyType: KeyType?
    /// The user the token acts for: the resource owner, or the application owner for client_credentials.
    public var endUser: String?
    /// The subscription's tier (tiers.xml).
    public var subscriptionTier: String?
    /// Whether the token is an application or an application-user token (nil: unknown, e.g. an older key
    /// manager); the gateway refuses the wrong kind for `Application` / `Application User` resources (900905).
    public var userType: AccessTokenUserType?
    /// The token's scopes.
    public var scopes: [String]
    /// When the token stops being valid (skew applied), in seconds since 1970; lets a cache bound its entries.
    public var validUntil: Double?
    /// An API key's `permittedIP`: comma-separated addresses and CIDR blocks the call must come from (nil: any).
    public var permittedIPs: PermittedAddresses?
    /// An API key's `permittedReferer`: comma-separated patterns (`*` any run of characters) the `Referer` header
    /// must match (nil: any).
    public var permittedReferers: PermittedReferers?

    /// Creates a result; use ``denied(_:)`` for refusals.
    public init(
        authorized: Bool,
        errorCode: ErrorCode? = nil,
        applicationID: String? = nil,
        applicationName: String? = nil,
        applicationTier: String? = nil,
        subscriber: String? = nil,
        consumerKey: String? = nil,
        keyType: KeyType? = nil,
        endUser: String? = nil,
        subscriptionTier: String? = nil,
        userType: AccessTokenUserType? = nil,
        scopes: [String] = [],
        validUntil: Double? = nil
    ) {
        self.authorized = authorized
        self.errorCode = errorCode
        self.applicationID = applicationID
        self.applicationName = applicationName
        self.applicationTier = applicationTier
        self.subscriber = subscriber
        self.consumerKey = consumerKey
        self.keyType = keyType
        self.endUser = endUser
        self.subscriptionTier = subscriptionTier
        self.userType = userType
        self.scopes = scopes
        self.validUntil = validUntil
    }

    /// A refusal with WSO2's code.
    /// - Parameter code: Why the call is refused.
    /// - Returns: An unauthorized result.
    public static func denied(_ code: ErrorCode) -> KeyValidationResult {
        KeyValidationResult(authorized: false, errorCode: code)
    }
}

/// Answers key validation requests: in-process from the key manager's memory, or over HTTP for a gateway alone.
///
/// ```swift
/// let result = await validator.validate(request)
/// if !result.authorized { /* fault with result.errorCode */ }
/// ```
public protocol KeyValidator: Sendable {
    /// Validates a token for one API call.
    /// - Parameter request: The token and the API call.
    /// - Returns: The decision.
    func validate(_ request: KeyValidationRequest) async -> KeyValidationResult
}
