import Foundation
import Hummingbird
import SluiceControlPlane
import SluiceModel

/// The analytics dashboard the Publisher, the Admin portal and the Store's application usage page share: the
/// range and filter form, the totals, charts (traffic, latency, status classes, top APIs) and the breakdown
/// tables, built from ``UsageAnalytics/Report`` for the `shared/analytics` template.
struct AnalyticsDashboard {
    /// A range the dashboard offers: its query value, label, length and number of intervals.
    struct Range {
        var key: String
        var label: String
        var milliseconds: Int64
        var buckets: Int
    }

    static let ranges = [
        Range(key: "1h", label: "Last hour", milliseconds: 3_600_000, buckets: 12),
        Range(key: "24h", label: "Last 24 hours", milliseconds: 86_400_000, buckets: 24),
        Range(key: "7d", label: "Last 7 days", milliseconds: 7 * 86_400_000, buckets: 28),
        Range(key: "30d", label: "Last 30 days", milliseconds: 30 * 86_400_000, buckets: 30),
    ]

    /// What the page's query asks for.
    struct Query {
        var range: Range
        var selection: UsageAnalyticsService.Selection
        var from: Int64
        var to: Int64

        /// Reads `range`, `apiId` and `applicationId`; the range ends just after `now`.
        init(_ request: Request, now: Date) {
            let parameters = request.uri.queryParameters
            let key = parameters.get("range") ?? "24h"
            range = AnalyticsDashboard.ranges.first { $0.key == key } ?? AnalyticsDashboard.ranges[1]
            func nonEmpty(_ name: String) -> String? { parameters.get(name).flatMap { $0.isEmpty ? nil : $0 } }
            selection = UsageAnalyticsService.Selection(apiID: nonEmpty("apiId"), applicationID: nonEmpty("applicationId"))
            to = Int64(now.timeIntervalSince1970 * 1000) + 1
            from = to - range.milliseconds
        }

        /// The query string of this query (for the CSV link), `format=csv` added by the caller.
        var queryString: String {
            var items = [URLQueryItem(name: "range", value: range.key)]
            if let apiID = selection.apiID { items.append(URLQueryItem(name: "apiId", value: apiID)) }
            if let applicationID = selection.applicationID {
                items.append(URLQueryItem(name: "applicationId", value: applicationID))
            }
            var components = URLComponents()
            components.queryItems = items
            return components.percentEncodedQuery ?? ""
        }
    }

    /// The template values.
    let values: [String: Any]

    /// Builds the dashboard.
    /// - Parameters:
    ///   - report: The figures.
    ///   - query: The range and filters asked for.
    ///   - action: The page's path (the filter form's target).
    ///   - apis: The APIs the API filter offers (id, label); empty hides the filter.
    ///   - applications: The applications the application filter offers (id, label); empty hides it.
    init(
        report: UsageAnalytics.Report,
        query: Query,
        action: String,
        apis: [(id: String, label: String)],
        applications: [(id: String, label: String)]
    ) {
        let total = report.total
        func millis(_ value: Double) -> String { SVGChart.format(value) + " ms" }
        let labels = SVGChart.timeLabels(report.timeline.map(\.start), rangeMilliseconds: query.range.milliseconds)
        let timeline = report.timeline.map(\.statistics)
        func options(_ items: [(id: String, label: String)], selected: String?) -> [[String: Any]] {
            items.map { ["id": $0.id, "label": $0.label, "selected": $0.id == selected] }
        }
        func rows(_ rows: [UsageAnalytics.Row]) -> [[String: Any]] {
            rows.map { row in
                let figures = row.statistics
                return [
                    "name": row.name, "requests": figures.requestCount, "errors": figures.errorCount,
                    "throttled": figures.throttledCount, "average": SVGChart.format(figures.averageLatencyMillis),
                    "p95": SVGChart.format(figures.p95LatencyMillis), "p99": SVGChart.format(figures.p99LatencyMillis),
                    "backendAverage": SVGChart.format(figures.backendAverageLatencyMillis),
                    "backendP95": SVGChart.format(figures.backendP95LatencyMillis),
                    "backendP99": SVGChart.format(figures.backendP99LatencyMillis),
                ]
            }
        }
        values = [
            "action": action,
            "csvHref": action + ".csv?" + query.queryString,
            "ranges": Self.ranges.map { ["key": $0.key, "label": $0.label, "selected": $0.key == query.range.key] },
            "rangeLabel": query.range.label.lowercased(),
            "apiOptions": options(apis, selected: query.selection.apiID),
            "hasAPIOptions": !apis.isEmpty,
            "applicationOptions": options(applications, selected: query.selection.applicationID),
            "hasApplicationOptions": !applications.isEmpty,
            "requests": total.requestCount,
            "errors": total.errorCount,
            "throttled": total.throttledCount,
            "averageLatency": millis(total.averageLatencyMillis),
            "p95Latency": millis(total.p95LatencyMillis),
            "p99Latency": millis(total.p99LatencyMillis),
            "hasCalls": total.requestCount > 0,
            "trafficChart": SVGChart.lines(
                title: "Requests over time (UTC)",
                labels: labels,
                series: [
                    SVGChart.Series(name: "Requests", color: "#2451c7", values: timeline.map { Double($0.requestCount) }),
                    SVGChart.Series(name: "Errors", color: "#b42318", values: timeline.map { Double($0.errorCount) }),
                    SVGChart.Series(
                        name: "Throttled", color: "#9a6700", values: timeline.map { Double($0.throttledCount) }),
                ]
            ),
            "latencyChart": SVGChart.lines(
                title: "Latency (ms)",
                labels: labels,
                series: [
                    SVGChart.Series(name: "Average", color: "#1f7a4d", values: timeline.map(\.averageLatencyMillis)),
                    SVGChart.Series(name: "p95", color: "#9a6700", values: timeline.map(\.p95LatencyMillis)),
                    SVGChart.Series(name: "p99", color: "#b42318", values: timeline.map(\.p99LatencyMillis)),
                ]
            ),
            "apisChart": SVGChart.bars(
                title: "Top APIs (requests)",
                items: report.apis.prefix(8).map { ($0.name, Double($0.statistics.requestCount)) },
                color: "#2451c7"
            ),
            "statusChart": SVGChart.bars(
                title: "Requests by status class",
                items: report.statusClasses.map { ($0.name, Double($0.statistics.requestCount)) },
                color: "#7a5af8"
            ),
            "apis": rows(report.apis),
            "applications": rows(report.applications),
            "users": rows(report.users),
            "statusClasses": rows(report.statusClasses),
            "faultCodes": rows(report.faultCodes),
            "hasFaultCodes": !report.faultCodes.isEmpty,
            "tiers": rows(report.tiers),
            "backends": rows(report.backends),
        ]
    }

    /// The report as a CSV download.
    static func csvResponse(_ report: UsageAnalytics.Report) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"analytics.csv\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: report.csv)))
    }
}
