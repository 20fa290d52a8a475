/// The calls of one minute that share API, version, resource, application, user, status class, fault code,
/// subscription tier and backend, counted together: what the gateway stores instead of a row per request. Statistics over rollups are exact in counts,
/// errors, throttled calls, mean latency and (at one-millisecond resolution) latency percentiles; their time
/// resolution is one minute.
public struct UsageRollup: Sendable, Hashable {
    /// What the calls of a rollup share.
    public struct Key: Sendable, Hashable {
        /// The minute's start, milliseconds since the epoch.
        public var minute: Int64
        /// The artifact name (`provider--Name`).
        public var apiName: String
        public var apiContext: String
        public var apiVersion: String
        public var apiProvider: String
        public var resourceTemplate: String
        public var method: String
        /// Empty for calls without an application.
        public var applicationID: String
        /// Empty for anonymous calls.
        public var username: String
        /// The status code's hundreds (2 for 2xx); 0 when there was none.
        public var statusClass: Int
        /// The gateway fault code (`ERROR_CODE`, 101503...); 0 when there was none.
        public var faultCode: Int
        /// The subscription tier; empty when unknown.
        public var tier: String
        /// The endpoint the calls went to; empty when none was reached.
        public var backend: String

        /// Creates a key.
        public init(
            minute: Int64,
            apiName: String,
            apiContext: String,
            apiVersion: String,
            apiProvider: String = "",
            resourceTemplate: String,
            method: String,
            applicationID: String = "",
            username: String = "",
            statusClass: Int,
            faultCode: Int = 0,
            tier: String = "",
            backend: String = ""
        ) {
            self.minute = minute
            self.apiName = apiName
            self.apiContext = apiContext
            self.apiVersion = apiVersion
            self.apiProvider = apiProvider
            self.resourceTemplate = resourceTemplate
            self.method = method
            self.applicationID = applicationID
            self.username = username
            self.statusClass = statusClass
            self.faultCode = faultCode
            self.tier = tier
            self.backend = backend
        }

        /// The key of the rollup `event` counts in.
        public init(_ event: UsageEvent) {
            self.init(
                minute: UsageRollup.minute(of: event.requestTime),
                apiName: event.apiName,
                apiContext: event.apiContext,
                apiVersion: event.apiVersion,
                apiProvider: event.apiProvider ?? "",
                resourceTemplate: event.resourceTemplate,
                method: event.method,
                applicationID: event.applicationID ?? "",
                username: event.username ?? "",
                statusClass: event.responseCode / 100,
                faultCode: event.errorCode ?? 0,
                tier: event.tier ?? "",
                backend: event.backend ?? ""
            )
        }
    }

    /// What is counted for the calls of a rollup.
    public struct Counts: Sendable, Hashable {
        public var requests = 0
        /// Calls answered with a 4xx/5xx status or a gateway fault.
        public var errors = 0
        /// Calls the throttle refused.
        public var throttled = 0
        /// The sum of the gateway response times, milliseconds.
        public var latencySumMillis = 0.0
        public var latencies = LatencyHistogram()
        /// The latest call, milliseconds since the epoch.
        public var lastAccessMillis: Int64 = 0
        /// Calls whose backend time is known.
        public var backendCalls = 0
        /// The sum of those backend times, milliseconds.
        public var backendLatencySumMillis = 0.0
        public var backendLatencies = LatencyHistogram()

        /// No calls.
        public init() {}

        /// Counts one call.
        public mutating func record(_ event: UsageEvent) {
            requests += 1
            if event.responseCode >= 400 || event.errorCode != nil { errors += 1 }
            if event.throttledOutReason != nil { throttled += 1 }
            latencySumMillis += event.responseTimeMillis
            latencies.record(millis: event.responseTimeMillis)
            lastAccessMillis = max(lastAccessMillis, event.requestTime)
            if let backendTime = event.backendTimeMillis {
                backendCalls += 1
                backendLatencySumMillis += backendTime
                backendLatencies.record(millis: backendTime)
            }
        }

        /// Adds the calls counted in `other`.
        public mutating func merge(_ other: Counts) {
            requests += other.requests
            errors += other.errors
            throttled += other.throttled
            latencySumMillis += other.latencySumMillis
            latencies.merge(other.latencies)
            lastAccessMillis = max(lastAccessMillis, other.lastAccessMillis)
            backendCalls += other.backendCalls
            backendLatencySumMillis += other.backendLatencySumMillis
            backendLatencies.merge(other.backendLatencies)
        }
    }

    public var key: Key
    public var counts: Counts

    /// Creates a rollup.
    public init(key: Key, counts: Counts) {
        self.key = key
        self.counts = counts
    }

    /// The start of the minute of `millis` (milliseconds since the epoch).
    public static func minute(of millis: Int64) -> Int64 {
        let remainder = millis % 60_000
        return millis - (remainder < 0 ? remainder + 60_000 : remainder)
    }

    /// The rollups of `events`, in no particular order.
    public static func rollUp(_ events: [UsageEvent]) -> [UsageRollup] {
        var counts: [Key: Counts] = [:]
        for event in events { counts[Key(event), default: Counts()].record(event) }
        return counts.map { UsageRollup(key: $0.key, counts: $0.value) }
    }
}
