import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel

/// Analytics across APIs, from the gateway's usage rollups: the publisher's (own APIs), the admin's (every API)
/// and an application's (devportal). Query: `from`, `to` (ISO 8601; default the last 24 hours), `buckets` (1-200,
/// default 24), `apiId`, `applicationId`; `format=csv` or `Accept: text/csv` answers CSV.
struct AnalyticsController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.get("\(PublisherAPIsController.prefix)/analytics") { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            let query = try AnalyticsQuery(request)
            let report = try await analytics.publisherReport(
                query.selection, from: query.from, to: query.to, buckets: query.buckets, by: principal
            )
            return try await answer(report, request)
        }
        routes.get("\(AdminController.prefix)/analytics") { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            let query = try AnalyticsQuery(request)
            let report = try await analytics.adminReport(
                query.selection, from: query.from, to: query.to, buckets: query.buckets, by: principal
            )
            return try await answer(report, request)
        }
        routes.get("\(DevPortalAPIsController.prefix)/applications/:applicationId/analytics") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            let query = try AnalyticsQuery(request)
            let report = try await analytics.applicationReport(
                applicationID: try context.parameters.require("applicationId"),
                apiID: query.selection.apiID,
                from: query.from,
                to: query.to,
                buckets: query.buckets,
                by: principal
            )
            return try await answer(report, request)
        }
    }

    private var analytics: UsageAnalyticsService { UsageAnalyticsService(services: services) }

    private func answer(_ report: UsageAnalytics.Report, _ request: Request) async throws -> Response {
        let wantsCSV =
            request.query("format")?.lowercased() == "csv"
            || (request.headers[.accept]?.lowercased().contains("text/csv") ?? false)
        guard wantsCSV else { return JSONResponses.response(AnalyticsReportDTO(report)) }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"analytics.csv\""
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: report.csv))
        )
    }
}

/// The analytics query parameters, checked.
struct AnalyticsQuery {
    var from: Int64
    var to: Int64
    var buckets: Int
    var selection: UsageAnalyticsService.Selection

    init(_ request: Request, now: Date = Date()) throws {
        let formatter = ISO8601DateFormatter()
        func millis(_ name: String) throws(ManagementError) -> Int64? {
            guard let text = request.query(name) else { return nil }
            guard let value = formatter.date(from: text) else {
                throw ManagementError.badRequest("\(name) must be an ISO 8601 time such as 2026-01-31T00:00:00Z")
            }
            return Int64((value.timeIntervalSince1970 * 1000).rounded())
        }
        to = try millis("to") ?? Int64(now.timeIntervalSince1970 * 1000) + 1
        from = try millis("from") ?? to - 24 * 3_600_000
        guard let buckets = Int(request.query("buckets") ?? "24"), (1...UsageTimeline.maximumBuckets).contains(buckets)
        else { throw ManagementError.badRequest("buckets must be a whole number from 1 to 200") }
        self.buckets = buckets
        selection = UsageAnalyticsService.Selection(
            apiID: request.query("apiId"),
            applicationID: request.query("applicationId")
        )
    }
}
