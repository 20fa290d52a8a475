import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceKeyManager
import SluiceModel
import SluiceStorage

/// The publisher's view of subscriptions (list, block, unblock) and an API's usage statistics.
struct PublisherSubscriptionsController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = PublisherAPIsController.prefix
        routes.get("\(prefix)/subscriptions") { request, _ in try await list(request) }
        routes.post("\(prefix)/subscriptions/block-subscription") { request, _ in try await block(request) }
        routes.post("\(prefix)/subscriptions/unblock-subscription") { request, _ in try await unblock(request) }
        routes.get("\(prefix)/subscriptions/:subscriptionId/subscriber-info") { request, context in
            try await subscriberInfo(request, context.parameters.path("subscriptionId"))
        }
        routes.get("\(prefix)/apis/:apiId/usage") { request, context in
            try await usage(request, context.parameters.path("apiId"))
        }
    }

    private var subscriptions: PublisherSubscriptionService { PublisherSubscriptionService(services: services) }

    private func list(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        let subscriptions = try await subscriptions.subscriptions(apiID: request.query("apiId"), by: principal)
        return JSONResponses.response(ListDTO(try await services.views(of: subscriptions).map(SubscriptionDTO.init), page: try request.pagination()))
    }

    /// WSO2's `SubscriberInfo`: the subscriber's name and the profile claims this node holds, under WSO2's claim URIs.
    private func subscriberInfo(_ request: Request, _ subscriptionID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        let (name, user) = try await subscriptions.subscriber(subscriptionID: subscriptionID, by: principal)
        struct Claim: Encodable {
            var name: String
            var URI: String
            var value: String
        }
        struct Answer: Encodable {
            var name: String
            var claims: [Claim]
        }
        let known: [(String, String, String?)] = [
            ("email", "http://wso2.org/claims/emailaddress", user?.email),
            ("first name", "http://wso2.org/claims/givenname", user?.firstName),
            ("last name", "http://wso2.org/claims/lastname", user?.lastName),
        ]
        let claims = known.compactMap { name, uri, value in value.map { Claim(name: name, URI: uri, value: $0) } }
        return JSONResponses.response(Answer(name: name, claims: claims))
    }

    private func block(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:subscription_block")
        let id = try request.requiredQuery("subscriptionId")
        let state = try request.requiredQuery("blockState")
        guard let status = SubscriptionStatus(rawValue: state), [.blocked, .prodOnlyBlocked].contains(status) else {
            throw ManagementError.badRequest("blockState must be BLOCKED or PROD_ONLY_BLOCKED")
        }
        return JSONResponses.response(
            SubscriptionDTO(try await services.view(of: subscriptions.setStatus(status, subscriptionID: id, by: principal)))
        )
    }

    private func unblock(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:subscription_block")
        let updated = try await subscriptions.setStatus(
            .unblocked,
            subscriptionID: try request.requiredQuery("subscriptionId"),
            by: principal
        )
        return JSONResponses.response(SubscriptionDTO(try await services.view(of: updated)))
    }

    /// Usage of one API version, in total and per resource and application; `from` and `to` are ISO 8601 times
    /// (default: everything up to now).
    private func usage(_ request: Request, _ apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_view")
        let formatter = ISO8601DateFormatter()
        func millis(_ name: String, _ fallback: Int64) throws(ManagementError) -> Int64 {
            guard let text = request.query(name) else { return fallback }
            guard let value = formatter.date(from: text) else {
                throw ManagementError.badRequest("\(name) must be an ISO 8601 time such as 2026-01-31T00:00:00Z")
            }
            return Int64(value.timeIntervalSince1970 * 1000)
        }
        let (from, to) = (try millis("from", 0), try millis("to", Int64(Date().timeIntervalSince1970 * 1000) + 1))
        let summary = try await subscriptions.usageSummary(apiID: apiID, from: from, to: to, by: principal)
        struct Answer: Encodable {
            var apiId: String
            var total: UsageStatistics?
            var resources: [UsageStatistics]
            var applications: [UsageStatistics]
        }
        return JSONResponses.response(
            Answer(
                apiId: summary.api.id,
                total: summary.total,
                resources: summary.resources,
                applications: summary.applications
            )
        )
    }
}
