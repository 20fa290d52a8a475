/// Why and until when a request was throttled out, with WSO2's fault code and HTTP status.
public struct ThrottleOutcome: Sendable, Hashable {
    public var level: ThrottleLevel
    /// 900800 API, 900801 hard limit, 900802 resource, 900803 application, 900804 subscription, 900807/900809 burst.
    public var code: Int
    /// 429, or 503 for the hard limit.
    public var httpStatus: Int
    /// WSO2's `throttledOutReason` for usage events (`SUBSCRIPTION_LIMIT_EXCEEDED`...).
    public var reason: String
    /// When the window ends (epoch milliseconds).
    public var nextAccessMillis: Int64
    /// Whole seconds until `nextAccessMillis`, at least 1: the `Retry-After` header.
    public var retryAfterSeconds: Int64

    public init(level: ThrottleLevel, nextAccessMillis: Int64, nowMillis: Int64) {
        self.level = level
        self.nextAccessMillis = nextAccessMillis
        self.retryAfterSeconds = max(1, (nextAccessMillis - nowMillis + 999) / 1000)
        switch level {
        case .hardLimit:
            (code, httpStatus, reason) = (900801, 503, "HARD_LIMIT_EXCEEDED")
        case .api:
            (code, httpStatus, reason) = (900800, 429, "API_LIMIT_EXCEEDED")
        case .resource:
            (code, httpStatus, reason) = (900802, 429, "RESOURCE_LIMIT_EXCEEDED")
        case .subscription:
            (code, httpStatus, reason) = (900804, 429, "SUBSCRIPTION_LIMIT_EXCEEDED")
        case .subscriptionBurst:
            (code, httpStatus, reason) = (900807, 429, "SUBSCRIPTION_BURST_LIMIT_EXCEEDED")
        case .application:
            (code, httpStatus, reason) = (900803, 429, "APPLICATION_LIMIT_EXCEEDED")
        case .applicationBurst:
            (code, httpStatus, reason) = (900809, 429, "APPLICATION_BURST_LIMIT_EXCEEDED")
        }
    }

    /// WSO2's fault message for this code.
    public var message: String {
        level == .hardLimit ? "API Limit Reached" : "Message throttled out"
    }

    /// WSO2's fault description for this code.
    public var description: String {
        level == .hardLimit ? "API not accepting requests" : "You have exceeded your quota"
    }
}
