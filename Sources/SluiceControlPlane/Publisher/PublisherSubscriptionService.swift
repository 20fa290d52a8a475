import Foundation
package import SluiceModel
package import SluiceStorage

/// The publisher's subscriptions (list, block, unblock) and usage of an API: the logic behind
/// `/api/am/publisher/v4/subscriptions` and `/apis/{apiId}/usage`, shared with the Publisher portal.
package struct PublisherSubscriptionService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    /// The subscriptions to one API version, or to every API.
    /// - Parameter apiID: The API; nil: every subscription.
    /// - Throws: ``ManagementError`` 403 without `apim:subscription_view`, 404 for an unknown API.
    package func subscriptions(apiID: String?, by principal: Principal) async throws -> [SubscriptionRecord] {
        try principal.require("apim:subscription_view")
        guard let apiID else { return try await services.storage.allSubscriptions() }
        let api = try await PublisherSupport.api(apiID, services)
        return try await services.storage.subscriptions(to: APIKey(context: api.context, version: api.version))
    }

    /// WSO2's subscriber of a subscription: the owner of its application, and the user's profile when the owner is
    /// a user of this node (WSO2's `SubscriberInfo`; never the password hash).
    /// - Throws: ``ManagementError`` 403 without a subscription or API view scope, 404 for an unknown subscription.
    package func subscriber(subscriptionID: String, by principal: Principal) async throws -> (name: String, user: UserRecord?) {
        try principal.requireAny(["apim:api_view", "apim:subscription_view", "apim:subscription_manage"])
        guard let subscription = try await services.storage.subscription(id: subscriptionID),
            let application = try await services.storage.application(id: subscription.applicationID)
        else { throw ManagementError.notFound("Subscription \(subscriptionID) not found") }
        return (application.owner, try await services.storage.user(named: application.owner))
    }

    /// The application a subscription belongs to (for its name and owner); nil when it is gone.
    package func application(_ id: String) async throws -> ApplicationRecord? {
        try await services.storage.application(id: id)
    }

    /// Blocks (`BLOCKED`, `PROD_ONLY_BLOCKED`) or unblocks (`UNBLOCKED`) a subscription; the gateway's validation
    /// index sees the change at once.
    /// - Throws: ``ManagementError`` 403 without `apim:subscription_block`, 400 for another status, 404.
    package func setStatus(
        _ status: SubscriptionStatus,
        subscriptionID: String,
        by principal: Principal
    ) async throws -> SubscriptionRecord {
        try principal.require("apim:subscription_block")
        guard [.blocked, .prodOnlyBlocked, .unblocked].contains(status) else {
            throw ManagementError.badRequest("A subscription can be BLOCKED, PROD_ONLY_BLOCKED or UNBLOCKED")
        }
        guard let subscription = try await services.storage.subscription(id: subscriptionID),
            let updated = try await services.keyManager.updateSubscription(
                id: subscriptionID,
                tier: subscription.tier,
                status: status
            )
        else { throw ManagementError.notFound("Subscription \(subscriptionID) not found") }
        return updated
    }

    /// Usage of one API version in total and per resource and application (the publisher REST API's answer).
    package struct UsageSummary: Sendable {
        package var api: APIRecord
        package var total: UsageStatistics?
        package var resources: [UsageStatistics]
        package var applications: [UsageStatistics]
    }

    /// The usage summary of an API version from `from` to `to` (epoch milliseconds, `to` exclusive).
    /// - Throws: ``ManagementError`` 403 without `apim:api_view`, 404 for an unknown API.
    package func usageSummary(apiID: String, from: Int64, to: Int64, by principal: Principal) async throws
        -> UsageSummary
    {
        try principal.require("apim:api_view")
        let api = try await PublisherSupport.api(apiID, services)
        let filter = UsageStatistics.Filter(
            from: from,
            to: to,
            apiName: try await UsageNaming.storedName(api, from: from, to: to, storage: services.storage),
            apiVersion: api.version
        )
        return UsageSummary(
            api: api,
            total: try await services.storage.usageStatistics(groupedBy: .version, filter: filter).first,
            resources: try await services.storage.usageStatistics(groupedBy: .resource, filter: filter),
            applications: try await services.storage.usageStatistics(groupedBy: .application, filter: filter)
        )
    }

    /// Usage of one API version over a time range, for charts.
    package struct UsageReport: Sendable, Hashable {
        /// One interval of the timeline.
        package typealias Bucket = UsageTimeline.Bucket

        /// The range, epoch milliseconds (`to` exclusive).
        package var from: Int64
        package var to: Int64
        /// Everything in the range; nil when there were no calls.
        package var total: UsageStatistics?
        /// Equal intervals covering the range, oldest first.
        package var timeline: [Bucket]
        /// Per application (key: application id), most calls first.
        package var applications: [UsageStatistics]
    }

    /// The usage report of an API version between `from` and `to`, cut into `buckets` equal intervals.
    /// - Parameters:
    ///   - apiID: The API.
    ///   - from: Start, epoch milliseconds (inclusive).
    ///   - to: End, epoch milliseconds (exclusive); must be after `from`.
    ///   - buckets: Number of intervals, 1 to 200.
    ///   - principal: The caller; needs `apim:api_view`.
    /// - Throws: ``ManagementError`` 403, 404, 400 for a bad range.
    package func usage(
        apiID: String,
        from: Int64,
        to: Int64,
        buckets: Int,
        by principal: Principal
    ) async throws -> UsageReport {
        try principal.require("apim:api_view")
        guard to > from, (1...200).contains(buckets) else {
            throw ManagementError.badRequest("The usage range must end after it starts, in 1 to 200 intervals")
        }
        let api = try await PublisherSupport.api(apiID, services)
        let name = try await UsageNaming.storedName(api, from: from, to: to, storage: services.storage)
        func filter(_ start: Int64, _ end: Int64) -> UsageStatistics.Filter {
            UsageStatistics.Filter(from: start, to: end, apiName: name, apiVersion: api.version)
        }
        let timeline = try await UsageTimeline.buckets(
            from: from,
            to: to,
            buckets: buckets,
            filter: filter(from, to),
            grouping: .version,
            key: "\(api.name):\(api.version)",
            storage: services.storage
        )
        let applications = try await services.storage.usageStatistics(groupedBy: .application, filter: filter(from, to))
            .sorted { $0.requestCount != $1.requestCount ? $0.requestCount > $1.requestCount : $0.key < $1.key }
        return UsageReport(
            from: from,
            to: to,
            total: try await services.storage.usageStatistics(groupedBy: .version, filter: filter(from, to)).first,
            timeline: timeline,
            applications: applications
        )
    }
}
