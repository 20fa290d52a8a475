import Foundation
import Hummingbird
import Logging
import SluiceControlPlane

/// WSO2's `POST /applications/{applicationId}/reset-throttle-policy` (`{"userName": ...}`, 200 without a body).
/// The rules are ``ApplicationThrottleResetService``'s.
struct DevPortalThrottleResetController: Sendable {
    let services: APIManagerServices

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.post(DevPortalAPIsController.prefix + "/applications/:applicationId/reset-throttle-policy") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.requireAny(ApplicationThrottleResetService.scopes)
            let body = try await services.decoder.decode(ThrottleResetDTO.self, from: request)
            try await ApplicationThrottleResetService(services: services).reset(
                applicationID: context.parameters.path("applicationId"), userName: body.userName, principal: principal
            )
            return JSONResponses.empty()
        }
    }
}

/// WSO2's `ApplicationThrottleReset`.
struct ThrottleResetDTO: Codable, Sendable {
    var userName: String
}
