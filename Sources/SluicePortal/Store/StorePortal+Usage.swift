import Foundation
import Hummingbird
import SluiceManagement
import SluiceModel

extension StorePortal {
    /// The periods the usage page offers, in hours.
    static let usagePeriods: [(hours: Int, label: String)] = [(1, "Last hour"), (24, "Last 24 hours"), (24 * 30, "Last 30 days")]

    /// The gateway records an API as `provider--Name:version`; people read `Name 1.0.0`.
    static func apiLabel(_ key: String) -> String {
        let name = key.range(of: "--").map { String(key[$0.upperBound...]) } ?? key
        return name.replacingOccurrences(of: ":", with: " ")
    }

    /// `GET /store/applications/{id}/usage[?hours=24]`: the gateway's recorded calls of the application.
    func usage(_ request: Request, _ id: String) async throws -> Response {
        let (session, principal) = try await subscriber(request)
        let application = try await subscribers.application(id, principal: principal)
        let hours = request.uri.queryParameters["hours"].flatMap { Int(String($0)) }
            .flatMap { requested in Self.usagePeriods.first { $0.hours == requested }?.hours } ?? 24
        let now = Int64(portal.configuration.now().timeIntervalSince1970 * 1000)
        let from = now - Int64(hours) * 3_600_000
        let usage = try await subscribers.usage(applicationID: id, from: from, to: now + 1, principal: principal)
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
                "chart": UsageBarChart.svg(
                    title: "Requests per API",
                    bars: usage.byAPI.map { UsageBarChart.Bar(label: Self.apiLabel($0.key), value: $0.requestCount) }
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
