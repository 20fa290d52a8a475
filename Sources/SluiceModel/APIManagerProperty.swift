/// Names of the message-context properties WSO2 API Manager's gateway handlers set
/// (`APIMgtGatewayConstants`, `APIConstants`), which sequences, mediators and the usage handler read.
public enum APIManagerProperty {
    /// `PRODUCTION` or `SANDBOX`: which key pair the token belongs to (the generated inSequence filters on it).
    public static let keyType = "AM_KEY_TYPE"
    public static let consumerKey = "api.ut.consumerKey"
    /// The user the token acts for.
    public static let userID = "api.ut.userId"
    /// The end user's name (same as `userID` here; WSO2 sets both).
    public static let endUserName = "api.ut.userName"
    /// The API context as deployed.
    public static let context = "api.ut.context"
    /// `provider--name:vversion`.
    public static let apiVersion = "api.ut.api_version"
    /// The API name (artifact name).
    public static let api = "api.ut.api"
    /// The API version.
    public static let version = "api.ut.version"
    /// The resource template that matched.
    public static let resource = "api.ut.resource"
    public static let httpMethod = "api.ut.HTTP_METHOD"
    public static let hostName = "api.ut.hostName"
    public static let apiPublisher = "api.ut.apiPublisher"
    public static let applicationName = "api.ut.application.name"
    public static let applicationID = "api.ut.application.id"
    public static let applicationOwner = "api.ut.application.owner"
    /// The subscription tier of the caller's application for this API.
    public static let subscriptionTier = "api.ut.tier"
    /// The application's own tier.
    public static let applicationTier = "api.ut.application.tier"
    public static let userAgent = "api.ut.userAgent"
    /// The caller's IP address (first `X-Forwarded-For` entry, else the connection's peer).
    public static let clientIP = "api.ut.clientIp"
    /// Milliseconds since the epoch when the gateway received the request.
    public static let requestTime = "api.ut.requestTime"
    /// Milliseconds since the epoch when the backend's response arrived.
    public static let backendRequestEndTime = "api.ut.backendRequestEndTime"
    /// Milliseconds since the epoch when the response went back to the client.
    public static let requestEndTime = "api.ut.requestEndTime"
    /// Why the throttle refused the request (`SUBSCRIPTION_LIMIT_EXCEEDED`...).
    public static let throttledOutReason = "THROTTLED_OUT_REASON"
    /// Epoch milliseconds when a throttled caller may retry (WSO2's `APIThrottleConstants.THROTTLED_NEXT_ACCESS_TIMESTAMP`).
    public static let throttledNextAccessTime = "NEXT_ACCESS_TIME"
    /// When a throttled caller may retry, as WSO2 writes it (`2020-Jan-08 16:59:00+0000 UTC`); WSO2's shipped
    /// `_throttle_out_handler_` puts it in its answer as `nextAccessTime`.
    public static let throttledNextAccessUTCTime = "NEXT_ACCESS_UTC_TIME"
    /// The HTTP status of an authentication failure, set before `_auth_failure_handler_` runs; WSO2's shipped
    /// sequence answers with it (401 when unset).
    public static let authFailureStatusCode = "HTTP_RESPONSE_STATUS_CODE"
    /// `true` once the throttle refused the request.
    public static let throttledOut = "api.ut.throttledOut"
    /// The user name WSO2 uses for calls to auth-None resources.
    public static let anonymousUser = "anonymous"
    /// The application id and name WSO2 reports for calls to auth-None resources.
    public static let unknownApplication = "__unknown__"
}
