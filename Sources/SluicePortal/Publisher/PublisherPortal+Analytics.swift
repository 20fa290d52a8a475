import Foundation
import Hummingbird
import SluiceControlPlane
import SluiceModel

/// The Publisher's analytics across APIs: the calls to the caller's own APIs (every API for an administrator),
/// filtered by range, API and application, with a CSV export.
extension PublisherPortal {
    func addAnalyticsRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/publisher/analytics") { request, _ in try await analytics(request, csv: false) }
        router.get("/publisher/analytics.csv") { request, _ in try await analytics(request, csv: true) }
    }

    private func analytics(_ request: Request, csv: Bool) async throws -> Response {
        let (session, principal) = try await caller(request)
        let query = AnalyticsDashboard.Query(request, now: portal.configuration.now())
        let analytics = UsageAnalyticsService(services: portal.services)
        let report = try await analytics.publisherReport(
            query.selection, from: query.from, to: query.to, buckets: query.range.buckets, by: principal
        )
        if csv { return AnalyticsDashboard.csvResponse(report) }
        let apis = try await analytics.selectableAPIs(by: principal)
            .map { (id: $0.id, label: "\($0.name) \($0.version)") }
        let dashboard = AnalyticsDashboard(
            report: report,
            query: query,
            action: "/publisher/analytics",
            apis: apis,
            applications: report.applications.filter { !$0.key.isEmpty }.map { (id: $0.key, label: $0.name) }
        )
        return portal.page(
            "publisher/analytics",
            title: "Analytics",
            session: session,
            area: .publisher,
            values: [
                "dashboard": dashboard.values,
                "scope": UsageAnalyticsService.seesEveryAPI(principal)
                    ? "The calls to every API, as the gateways recorded them."
                    : "The calls to the APIs you created, as the gateways recorded them.",
            ]
        )
    }
}
