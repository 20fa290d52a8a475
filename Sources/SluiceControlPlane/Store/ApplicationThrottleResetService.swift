import Foundation

/// WSO2's `POST /applications/{applicationId}/reset-throttle-policy`: the owner (or an administrator) lets one
/// user of an application call again at once after the application-level tier throttled them, by resetting that
/// application's and user's counters (quota and burst) on this node's gateway. Subscription- and API-level
/// counters are not touched, as in WSO2.
package struct ApplicationThrottleResetService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    /// The scopes WSO2's operation takes (any one of them).
    package static let scopes = ["apim:subscribe", "apim:app_manage"]

    /// Resets the counters of `userName` for the application.
    /// - Throws: ``ManagementError`` 403, 404 (not the caller's application), 400 without a user name, 409 when this
    ///   node keeps no counters it can reset (no gateway here, or counters shared by a cluster, whose totals would
    ///   come back with the next sync).
    package func reset(applicationID: String, userName: String, principal: Principal) async throws {
        try principal.requireAny(Self.scopes)
        let application = try await DevPortalSupport.ownedApplication(applicationID, principal: principal, services: services)
        let user = userName.trimmingCharacters(in: .whitespaces)
        guard !user.isEmpty else { throw ManagementError.badRequest("userName: the user whose counters to reset") }
        guard let reset = services.configuration.resetApplicationThrottle, reset(application.id, user) else {
            throw ManagementError.conflict(
                "This node keeps no application throttle counters it can reset: it runs no gateway, or its gateways "
                    + "share their counters through the cluster (they reset when their window ends)"
            )
        }
    }
}
