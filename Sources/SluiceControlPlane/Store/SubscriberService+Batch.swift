import Foundation
import SluiceKeyManager
package import SluiceStorage

/// Several subscriptions in one request (WSO2's `POST /subscriptions/multiple`).
extension SubscriberService {
    /// One subscription asked for.
    package struct SubscriptionRequest: Sendable {
        package var applicationID: String
        package var apiID: String
        package var tier: String

        package init(applicationID: String, apiID: String, tier: String) {
            self.applicationID = applicationID
            self.apiID = apiID
            self.tier = tier
        }
    }

    /// Subscribes as asked, all or nothing: every request is checked (ownership, a published API offering the
    /// tier, no existing or repeated subscription) before the first is made, and those made are removed again
    /// when a later one fails.
    /// - Throws: ``ManagementError`` 400 (empty, not subscribable), 404, 409 (already subscribed, or twice in the
    ///   request).
    package func subscribe(_ requests: [SubscriptionRequest], principal: Principal) async throws -> [SubscriptionRecord] {
        try principal.require("apim:sub_manage")
        guard !requests.isEmpty else { throw ManagementError.badRequest("The request lists no subscription") }
        var seen = Set<String>()
        for request in requests {
            let application = try await DevPortalSupport.ownedApplication(
                request.applicationID, principal: principal, services: services
            )
            let api = try await DevPortalSupport.visibleAPI(request.apiID, principal: principal, services: services)
            try Self.checkSubscribable(api, tier: request.tier)
            let existing = try await services.keyManager.subscriptions(applicationID: application.id)
            let pair = "\(application.id) \(api.context) \(api.version)"
            if !seen.insert(pair).inserted
                || existing.contains(where: { $0.apiID == api.id || ($0.apiContext == api.context && $0.apiVersion == api.version) })
            {
                throw ManagementError.conflict("The application \(application.name) is already subscribed to \(api.name) \(api.version)")
            }
        }
        var made: [SubscriptionRecord] = []
        var failure: (any Error)?
        for request in requests {
            do {
                made.append(try await subscribe(
                    applicationID: request.applicationID, apiID: request.apiID, tier: request.tier, principal: principal
                ))
            } catch {
                failure = error
                break
            }
        }
        guard let failure else { return made }
        for subscription in made { _ = try? await services.keyManager.unsubscribe(id: subscription.id) }
        throw failure
    }
}
