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

    /// The gateway records an API as `provider--Name:version`; people read `Name 1.0.0`.
    static func apiLabel(_ key: String) -> String {
        let name = key.range(of: "--").map { String(key[$0.upperBound...]) } ?? key
        return name.replacingOccurrences(of: ":", with: " ")
    }

    /// `GET /store/applications/{id}/usage[?hours=24]`: the gateway's recorded calls of the application.
    func usage(_ request: Request, _ id: String) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        let application = try await subscribers.application(id, principal: principal)
        let period = request.uri.queryParameters["hours"].flatMap { Int(String($0)) }
            .flatMap { requested in Self.usagePeriods.first { $0.hours == requested } } ?? Self.usagePeriods[1]
        let hours = period.hours
        let range = Int64(hours) * 3_600_000
        // The timeline ends just after now, so the latest interval holds the calls of the last moments.
        let to = Int64(portal.configuration.now().timeIntervalSince1970 * 1000) + 1
        let usage = try await subscribers.usage(
            applicationID: id,
            from: to - range,
            to: to,
            buckets: period.buckets,
            principal: principal
        )
        let labels = SVGChart.timeLabels(usage.timeline.map(\.start), rangeMilliseconds: range)
        let timeline = usage.timeline.map(\.statistics)
        let total = usage.total
        let latency = total.map { String(format: "%.1f ms", $0.averageLatencyMillis) } ?? "–"
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
                "requests": total?.requestCount ?? 0,
                "errors": total?.errorCount ?? 0,
                "throttled": total?.throttledCount ?? 0,
                "latency": latency,
                "p95": total.map { String(format: "%.1f ms", $0.p95LatencyMillis) } ?? "–",
                "hasUsage": (total?.requestCount ?? 0) > 0,
                "timelineChart": SVGChart.lines(
                    title: "Requests over time (UTC)",
                    labels: labels,
                    series: [
                        SVGChart.Series(name: "Requests", color: "#2451c7", values: timeline.map { Double($0.requestCount) }),
                        SVGChart.Series(name: "Errors", color: "#b42318", values: timeline.map { Double($0.errorCount) }),
                        SVGChart.Series(
                            name: "Throttled", color: "#9a6700", values: timeline.map { Double($0.throttledCount) }),
                    ]
                ),
                "timelineStep": period.step,
                "chart": SVGChart.bars(
                    title: "Requests per API",
                    items: usage.byAPI.map { (Self.apiLabel($0.key), Double($0.requestCount)) },
                    color: "#2451c7"
                ),
                "rows": usage.byAPI.map { row in
                    [
                        "api": Self.apiLabel(row.key),
                        "requests": row.requestCount,
                        "errors": row.errorCount,
                        "throttled": row.throttledCount,
                        "latency": String(format: "%.1f", row.averageLatencyMillis),
                        "lastAccess": StoreViews.date(Date(timeIntervalSince1970: Double(row.lastAccessMillis) / 1000)),
                    ] as [String: Any]
                },
            ]
        )
    }
}
