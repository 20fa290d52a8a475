import Foundation
import Hummingbird
import SluiceControlPlane
import SluiceModel

/// The admin-wide analytics: every API's calls, filtered by range, API and application, with a CSV export.
extension AdminPortal {
    func addAnalyticsRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/admin/analytics") { request, _ in try await analytics(request, csv: false) }
        router.get("/admin/analytics.csv") { request, _ in try await analytics(request, csv: true) }
    }

    private func analytics(_ request: Request, csv: Bool) async throws -> Response {
        let (session, principal) = try await caller(request)
        let query = AnalyticsDashboard.Query(request, now: portal.configuration.now())
        let report = try await UsageAnalyticsService(services: portal.services).adminReport(
            query.selection, from: query.from, to: query.to, buckets: query.range.buckets, by: principal
        )
        if csv { return AnalyticsDashboard.csvResponse(report) }
        let apis = try await UsageAnalyticsService(services: portal.services).selectableAPIs(by: principal, everyAPI: true)
            .map { (id: $0.id, label: "\($0.name) \($0.version) (\($0.provider))") }
        let dashboard = AnalyticsDashboard(
            report: report,
            query: query,
            action: "/admin/analytics",
            apis: apis,
            applications: report.applications.filter { !$0.key.isEmpty }.map { (id: $0.key, label: $0.name) }
        )
        return portal.page(
            "admin/analytics",
            title: "Analytics",
            session: session,
            area: .admin,
            values: ["tabs": tabs(current: "Analytics"), "dashboard": dashboard.values]
        )
    }
}
