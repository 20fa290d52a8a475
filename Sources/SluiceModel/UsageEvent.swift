/// One API call as the usage statistics record it: WSO2's request, response, fault and throttle events in one
/// (API-M 2.5+ `DataBridgeRequestResponseStreamPublisherDTO`).
public struct UsageEvent: Sendable, Hashable {
    /// When the gateway received the request, in milliseconds since the epoch.
    public var requestTime: Int64
    /// The artifact name (`provider--Name`).
    public var apiName: String
    public var apiContext: String
    public var apiVersion: String
    public var apiProvider: String?
    /// The resource template that matched (`/orders/{id}`).
    public var resourceTemplate: String
    /// The request path below the context, as sent.
    public var resourcePath: String
    public var method: String
    public var applicationID: String?
    public var applicationName: String?
    public var applicationOwner: String?
    public var consumerKey: String?
    public var username: String?
    /// `PRODUCTION` or `SANDBOX`.
    public var keyType: String?
    public var clientIP: String?
    public var userAgent: String?
    public var hostName: String?
    /// The status the client got.
    public var responseCode: Int
    /// Milliseconds from request to response at the gateway.
    public var responseTimeMillis: Double
    /// Milliseconds the backend took, when the request reached it.
    public var backendTimeMillis: Double?
    public var requestSize: Int?
    public var responseSize: Int?
    /// Why the throttle refused the call (`SUBSCRIPTION_LIMIT_EXCEEDED`...), nil when it did not.
    public var throttledOutReason: String?
    /// The fault code (`ERROR_CODE`) when the call failed in the gateway.
    public var errorCode: Int?
    /// The subscription tier the call was made under (`api.ut.tier`).
    public var tier: String?
    /// The endpoint the gateway sent the call to (its address or URI template); nil when none was reached.
    public var backend: String?

    /// Creates an event.
    public init(
        requestTime: Int64,
        apiName: String,
        apiContext: String,
        apiVersion: String,
        apiProvider: String? = nil,
        resourceTemplate: String,
        resourcePath: String,
        method: String,
        applicationID: String? = nil,
        applicationName: String? = nil,
        applicationOwner: String? = nil,
        consumerKey: String? = nil,
        username: String? = nil,
        keyType: String? = nil,
        clientIP: String? = nil,
        userAgent: String? = nil,
        hostName: String? = nil,
        responseCode: Int,
        responseTimeMillis: Double,
        backendTimeMillis: Double? = nil,
        requestSize: Int? = nil,
        responseSize: Int? = nil,
        throttledOutReason: String? = nil,
        errorCode: Int? = nil,
        tier: String? = nil,
        backend: String? = nil
    ) {
        self.requestTime = requestTime
        self.apiName = apiName
        self.apiContext = apiContext
        self.apiVersion = apiVersion
        self.apiProvider = apiProvider
        self.resourceTemplate = resourceTemplate
        self.resourcePath = resourcePath
        self.method = method
        self.applicationID = applicationID
        self.applicationName = applicationName
        self.applicationOwner = applicationOwner
        self.consumerKey = consumerKey
        self.username = username
        self.keyType = keyType
        self.clientIP = clientIP
        self.userAgent = userAgent
        self.hostName = hostName
        self.responseCode = responseCode
        self.responseTimeMillis = responseTimeMillis
        self.backendTimeMillis = backendTimeMillis
        self.requestSize = requestSize
        self.responseSize = responseSize
        self.throttledOutReason = throttledOutReason
        self.errorCode = errorCode
        self.tier = tier
        self.backend = backend
    }

    /// True when the client got an error: a 4xx/5xx status or a gateway fault code.
    public var isError: Bool { responseCode >= 400 || errorCode != nil }
    /// True when the throttle refused the call.
    public var isThrottled: Bool { throttledOutReason != nil }
}
