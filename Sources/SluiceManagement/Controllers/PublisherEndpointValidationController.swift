import Foundation
import Hummingbird
import Logging
import SluiceControlPlane

/// WSO2's `POST /apis/validate-endpoint?endpointUrl=[&apiId=]`: ``EndpointProbeService`` asks the backend.
struct PublisherEndpointValidationController: Sendable {
    let services: APIManagerServices

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.post(PublisherAPIsController.prefix + "/apis/validate-endpoint") { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            try principal.requireAny(EndpointProbeService.scopes)
            let outcome = try await EndpointProbeService(services: services).probe(
                try request.requiredQuery("endpointUrl"), apiID: request.query("apiId"), by: principal
            )
            return JSONResponses.response(outcome)
        }
    }
}
