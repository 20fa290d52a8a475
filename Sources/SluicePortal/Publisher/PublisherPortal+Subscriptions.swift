import Foundation
import Hummingbird
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// The subscriptions of an API (block, unblock) and its usage charts.
extension PublisherPortal {
    func addSubscriptionRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/publisher/apis/:apiId/subscriptions") { request, context in
            try await subscriptions(request, apiID: context.parameters.require("apiId"))
        }
        router.post("/publisher/apis/:apiId/subscriptions/:subscriptionId") { request, context in
            try await setSubscriptionStatus(
                request,
                apiID: context.parameters.require("apiId"),
                subscriptionID: context.parameters.require("subscriptionId")
            )
        }
        router.get("/publisher/apis/:apiId/usage") { request, context in
            try await usage(request, apiID: context.parameters.require("apiId"))
        }
    }

    private var subscriptionService: PublisherSubscriptionService {
        PublisherSubscriptionService(services: portal.services)
    }

    private func subscriptions(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let record = try await apis.api(apiID)
        let subscriptions = try await subscriptionService.subscriptions(apiID: apiID, by: principal)
        let canBlock = principal.has("apim:subscription_block")
        var rows: [[String: Any]] = []
        for subscription in subscriptions {
            let application = try await subscriptionService.application(subscription.applicationID)
            let status = subscription.status
            rows.append([
                "subscriptionId": subscription.id,
                "application": application?.name ?? subscription.applicationID,
                "owner": application?.owner ?? "",
                "tier": subscription.tier,
                "status": status.rawValue,
                "statusClass": status.rawValue.lowercased(),
                "canBlock": canBlock && status != .blocked,
                "canBlockProduction": canBlock && status == .unblocked,
                "canUnblock": canBlock && (status == .blocked || status == .prodOnlyBlocked),
                "since": Self.date(subscription.createdAt),
            ])
        }
        var values = summary(record)
        values["tabs"] = tabs(apiID, current: "Subscriptions")
        values["subscriptions"] = rows
        values["hasSubscriptions"] = !rows.isEmpty
        return portal.page(
            "publisher/subscriptions",
            title: "Subscriptions of \(record.name)",
            session: session,
            area: .publisher,
            values: values
        )
    }

    private func setSubscriptionStatus(_ request: Request, apiID: String, subscriptionID: String) async throws
        -> Response
    {
        let (session, principal) = try await caller(request)
        let form = try await form(request, session)
        let back = "/publisher/apis/\(apiID)/subscriptions"
        guard let status = form.text("status").flatMap(SubscriptionStatus.init(rawValue:)) else {
            return portal.redirect(
                to: back,
                flash: .init("Unknown subscription status", isError: true),
                session: session
            )
        }
        // The subscription must belong to this API: the page only offers its own, a forged id is refused.
        let own = try await subscriptionService.subscriptions(apiID: apiID, by: principal)
        guard own.contains(where: { $0.id == subscriptionID }) else {
            throw ManagementError.notFound("Subscription \(subscriptionID) not found")
        }
        return try await redirectAfter(session, onFailure: back) {
            let updated = try await subscriptionService.setStatus(status, subscriptionID: subscriptionID, by: principal)
            return (back, "The subscription is now \(updated.status.rawValue)")
        }
    }

    // MARK: - Usage

    /// The ranges the usage page offers: label, length, number of intervals.
    static let usageRanges: [(key: String, label: String, milliseconds: Int64, buckets: Int)] = [
        ("1h", "Last hour", 3_600_000, 12), ("24h", "Last 24 hours", 86_400_000, 24),
        ("7d", "Last 7 days", 7 * 86_400_000, 28), ("30d", "Last 30 days", 30 * 86_400_000, 30),
    ]

    private func usage(_ request: Request, apiID: String) async throws -> Response {
        let (session, principal) = try await caller(request)
        let record = try await apis.api(apiID)
        let key = request.uri.queryParameters.get("range") ?? "24h"
        let range = Self.usageRanges.first { $0.key == key } ?? Self.usageRanges[1]
        let now = Int64(Date().timeIntervalSince1970 * 1000) + 1
        let report = try await subscriptionService.usage(
            apiID: apiID,
            from: now - range.milliseconds,
            to: now,
            buckets: range.buckets,
            by: principal
        )
        let charts = try await UsageCharts(report: report, rangeMilliseconds: range.milliseconds) { id in
            try await subscriptionService.application(id)?.name
        }
        var values = summary(record)
        values["tabs"] = tabs(apiID, current: "Usage")
        values["ranges"] = Self.usageRanges.map {
            ["key": $0.key, "label": $0.label, "current": $0.key == range.key, "href": "?range=\($0.key)"]
        }
        values["rangeLabel"] = range.label.lowercased()
        values["charts"] = charts
        return portal.page(
            "publisher/usage",
            title: "Usage of \(record.name)",
            session: session,
            area: .publisher,
            values: values
        )
    }
}
