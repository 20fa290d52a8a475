/// Usage figures for one group of calls over a time range, as the publisher's analytics show them.
public struct UsageStatistics: Sendable, Hashable, Codable {
    /// The group's key: API name, `name:version`, application id, user or `METHOD template`, by grouping.
    public var key: String
    /// Calls in the range.
    public var requestCount: Int
    /// Calls answered with a 4xx/5xx status or a gateway fault.
    public var errorCount: Int
    /// Calls the throttle refused.
    public var throttledCount: Int
    /// Mean gateway response time, milliseconds.
    public var averageLatencyMillis: Double
    /// 95th percentile of the gateway response time (nearest rank), milliseconds.
    public var p95LatencyMillis: Double
    /// The latest call, milliseconds since the epoch.
    public var lastAccessMillis: Int64
    /// 99th percentile of the gateway response time (nearest rank), milliseconds.
    public var p99LatencyMillis: Double
    /// Mean, 95th and 99th percentile of the backend's time, over the calls that reached a backend.
    public var backendAverageLatencyMillis: Double
    public var backendP95LatencyMillis: Double
    public var backendP99LatencyMillis: Double

    /// Creates a row.
    public init(
        key: String,
        requestCount: Int,
        errorCount: Int,
        throttledCount: Int,
        averageLatencyMillis: Double,
        p95LatencyMillis: Double,
        lastAccessMillis: Int64,
        p99LatencyMillis: Double = 0,
        backendAverageLatencyMillis: Double = 0,
        backendP95LatencyMillis: Double = 0,
        backendP99LatencyMillis: Double = 0
    ) {
        self.key = key
        self.requestCount = requestCount
        self.errorCount = errorCount
        self.throttledCount = throttledCount
        self.averageLatencyMillis = averageLatencyMillis
        self.p95LatencyMillis = p95LatencyMillis
        self.lastAccessMillis = lastAccessMillis
        self.p99LatencyMillis = p99LatencyMillis
        self.backendAverageLatencyMillis = backendAverageLatencyMillis
        self.backendP95LatencyMillis = backendP95LatencyMillis
        self.backendP99LatencyMillis = backendP99LatencyMillis
    }

    /// What the calls are grouped by.
    public enum Grouping: String, Sendable, Hashable, CaseIterable, Codable {
        /// By API name (every version together).
        case api
        /// By API name and version.
        case version
        /// By application id.
        case application
        /// By end user.
        case user
        /// By API version, method and resource template.
        case resource
        /// By the status code's hundreds (`2` for 2xx; `0` without a status).
        case statusClass
        /// By gateway fault code (`0`: none).
        case faultCode
        /// By subscription tier.
        case tier
        /// By the endpoint the calls went to.
        case backend
        /// Every call in one group (key: empty).
        case total
    }

    /// Which calls count: a time range (`from` inclusive, `to` exclusive, epoch milliseconds) and optional filters.
    public struct Filter: Sendable, Hashable, Codable {
        public var from: Int64
        public var to: Int64
        public var apiName: String?
        public var apiVersion: String?
        public var applicationID: String?
        public var username: String?
        /// Only the APIs of this provider.
        public var apiProvider: String?

        /// Creates a filter.
        public init(
            from: Int64,
            to: Int64,
            apiName: String? = nil,
            apiVersion: String? = nil,
            applicationID: String? = nil,
            username: String? = nil,
            apiProvider: String? = nil
        ) {
            self.from = from
            self.to = to
            self.apiName = apiName
            self.apiVersion = apiVersion
            self.applicationID = applicationID
            self.username = username
            self.apiProvider = apiProvider
        }
    }

    /// The nearest-rank percentile of sorted values (0 for none).
    /// - Parameters:
    ///   - sorted: Values in ascending order.
    ///   - percentile: 0...100.
    public static func percentile(_ sorted: [Double], _ percentile: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((percentile / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
