import Foundation
import Hummingbird
import Logging
import SluiceControlPlane

/// WSO2's `POST /admin/v4/apis/{apiId}/change-provider?provider=` (200 without a body). The rules are
/// ``APIProviderChangeService``'s.
struct AdminProviderChangeController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.post(AdminController.prefix + "/apis/:apiId/change-provider") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.requireAny(APIProviderChangeService.scopes)
            _ = try await APIProviderChangeService(services: services, logger: logger).changeProvider(
                apiID: context.parameters.path("apiId"), to: try request.requiredQuery("provider"), by: principal
            )
            return JSONResponses.empty()
        }
    }
}
