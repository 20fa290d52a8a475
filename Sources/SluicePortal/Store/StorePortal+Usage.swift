import Foundation
import Hummingbird
import SluiceControlPlane
import SluiceModel

extension StorePortal {
    /// The periods the usage page offers, in hours, and the intervals of their timeline: five minutes over the
    /// last hour, hours over the last day, days over the last 30 days.
    static let usagePeriods: [(hours: Int, label: String, buckets: Int, step: String)] = [
        (1, "Last hour", 12, "5 minutes"), (24, "Last 24 hours", 24, "hour"), (24 * 30, "Last 30 days", 30, "day"),
    ]

    /// `GET /store/applications/{id}/usage[?hours=24]`: the gateway's recorded calls of the application, with
    /// the analytics' breakdowns (users, status classes, fault codes, tiers, backends); `usage.csv` exports them.
    func usage(_ request: Request, _ id: String, csv: Bool = false) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        let application = try await subscribers.application(id, principal: principal)
        let period = request.uri.queryParameters["hours"].flatMap { Int(String($0)) }
            .flatMap { requested in Self.usagePeriods.first { $0.hours == requested } } ?? Self.usagePeriods[1]
        let hours = period.hours
        let range = Int64(hours) * 3_600_000
        var query = AnalyticsDashboard.Query(request, now: portal.configuration.now())
        query.range = AnalyticsDashboard.Range(key: "", label: period.label, milliseconds: range, buckets: period.buckets)
        query.from = query.to - range
        let report = try await UsageAnalyticsService(services: portal.services).applicationReport(
            applicationID: id,
            apiID: query.selection.apiID,
            from: query.from,
            to: query.to,
            buckets: period.buckets,
            by: principal
        )
        if csv { return AnalyticsDashboard.csvResponse(report) }
        let dashboard = AnalyticsDashboard(
            report: report, query: query, action: "/store/applications/\(id)/usage", apis: [], applications: []
        )
        let total = report.total
        let hasUsage = total.requestCount > 0
        return portal.page(
            "store/usage",
            title: "Usage of \(application.name)",
            session: session,
            area: .store,
            values: [
                "subnav": StoreViews.subnav(.applications, signedIn: true),
                "id": application.id,
                "name": application.name,
                "periods": Self.usagePeriods.map { ["hours": $0.hours, "label": $0.label, "current": $0.hours == hours] },
                "csvHref": "/store/applications/\(id)/usage.csv?hours=\(hours)",
                "requests": total.requestCount,
                "errors": total.errorCount,
                "throttled": total.throttledCount,
                "latency": hasUsage ? String(format: "%.1f ms", total.averageLatencyMillis) : "–",
                "p95": hasUsage ? String(format: "%.1f ms", total.p95LatencyMillis) : "–",
                "p99": hasUsage ? String(format: "%.1f ms", total.p99LatencyMillis) : "–",
                "hasUsage": hasUsage,
                "timelineChart": dashboard.values["trafficChart"] ?? "",
                "timelineStep": period.step,
                "chart": SVGChart.bars(
                    title: "Requests per API",
                    items: report.apis.map { ($0.name, Double($0.statistics.requestCount)) },
                    color: "#2451c7"
                ),
                "rows": report.apis.map { row in
                    [
                        "api": row.name,
                        "requests": row.statistics.requestCount,
                        "errors": row.statistics.errorCount,
                        "throttled": row.statistics.throttledCount,
                        "latency": String(format: "%.1f", row.statistics.averageLatencyMillis),
                        "lastAccess": StoreViews.date(
                            Date(timeIntervalSince1970: Double(row.statistics.lastAccessMillis) / 1000)),
                    ] as [String: Any]
                },
                "dashboard": dashboard.values,
            ]
        )
    }
}
