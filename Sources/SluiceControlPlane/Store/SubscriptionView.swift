package import SluiceStorage

/// A subscription with its application, for WSO2's `applicationInfo` (the publisher's list of an API's subscribers,
/// the devportal's subscriptions).
package struct SubscriptionView: Sendable {
    package var subscription: SubscriptionRecord
    /// Nil only when the application disappeared since the subscription was read.
    package var application: ApplicationRecord?
}

extension APIManagerServices {
    /// `records` with their applications, each application read once.
    package func views(of records: [SubscriptionRecord]) async throws -> [SubscriptionView] {
        var applications: [String: ApplicationRecord] = [:]
        for id in Set(records.map(\.applicationID)) {
            applications[id] = try await storage.application(id: id)
        }
        return records.map { SubscriptionView(subscription: $0, application: applications[$0.applicationID]) }
    }

    /// One subscription with its application.
    package func view(of record: SubscriptionRecord) async throws -> SubscriptionView {
        try await views(of: [record])[0]
    }
}
