import Foundation
import SluiceControlPlane
import SluiceModel

/// The analytics report as JSON: figures per group with the names people read (application names, `4xx`...).
struct AnalyticsReportDTO: Encodable {
    /// One group's figures.
    struct Row: Encodable {
        var key: String
        var name: String
        var requestCount: Int
        var errorCount: Int
        var throttledCount: Int
        var averageLatencyMillis: Double
        var p95LatencyMillis: Double
        var p99LatencyMillis: Double
        var backendAverageLatencyMillis: Double
        var backendP95LatencyMillis: Double
        var backendP99LatencyMillis: Double

        init(key: String, name: String, _ statistics: UsageStatistics) {
            self.key = key
            self.name = name
            requestCount = statistics.requestCount
            errorCount = statistics.errorCount
            throttledCount = statistics.throttledCount
            averageLatencyMillis = statistics.averageLatencyMillis
            p95LatencyMillis = statistics.p95LatencyMillis
            p99LatencyMillis = statistics.p99LatencyMillis
            backendAverageLatencyMillis = statistics.backendAverageLatencyMillis
            backendP95LatencyMillis = statistics.backendP95LatencyMillis
            backendP99LatencyMillis = statistics.backendP99LatencyMillis
        }

        init(_ row: UsageAnalytics.Row) {
            self.init(key: row.key, name: row.name, row.statistics)
        }
    }

    /// One interval of the timeline.
    struct Interval: Encodable {
        var start: Date
        var requestCount: Int
        var errorCount: Int
        var throttledCount: Int
        var averageLatencyMillis: Double
        var p95LatencyMillis: Double
        var p99LatencyMillis: Double
    }

    var from: Date
    var to: Date
    var total: Row
    var timeline: [Interval]
    var apis: [Row]
    var applications: [Row]
    var users: [Row]
    var statusClasses: [Row]
    var faultCodes: [Row]
    var tiers: [Row]
    var backends: [Row]

    init(_ report: UsageAnalytics.Report) {
        func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
        from = date(report.from)
        to = date(report.to)
        total = Row(key: "", name: "all calls", report.total)
        timeline = report.timeline.map { bucket in
            let row = bucket.statistics
            return Interval(
                start: date(bucket.start),
                requestCount: row.requestCount,
                errorCount: row.errorCount,
                throttledCount: row.throttledCount,
                averageLatencyMillis: row.averageLatencyMillis,
                p95LatencyMillis: row.p95LatencyMillis,
                p99LatencyMillis: row.p99LatencyMillis
            )
        }
        apis = report.apis.map(Row.init)
        applications = report.applications.map(Row.init)
        users = report.users.map(Row.init)
        statusClasses = report.statusClasses.map(Row.init)
        faultCodes = report.faultCodes.map(Row.init)
        tiers = report.tiers.map(Row.init)
        backends = report.backends.map(Row.init)
    }
}
