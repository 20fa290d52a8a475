import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel
import SluiceStorage

/// `change-lifecycle`, `lifecycle-state`, `lifecycle-history` and `redeploy` (Sluice's: deploys the edits a
/// creator made to a live API) of the publisher.
struct PublisherLifecycleController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let prefix = PublisherAPIsController.prefix
        // The service serializes lifecycle changes through the publisher gate.
        routes.post("\(prefix)/apis/change-lifecycle") { request, _ in try await changeLifecycle(request) }
        routes.get("\(prefix)/apis/:apiId/lifecycle-state") { request, context in
            try await state(request, apiID: context.parameters.path("apiId"))
        }
        routes.get("\(prefix)/apis/:apiId/lifecycle-history") { request, context in
            try await history(request, apiID: context.parameters.path("apiId"))
        }
        routes.post("\(prefix)/apis/:apiId/redeploy") { request, context in
            try await redeploy(request, apiID: context.parameters.path("apiId"))
        }
    }

    /// Deploys the edits that users without the publisher role made to a live API.
    private func redeploy(_ request: Request, apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        let updated = try await PublisherAPIService(services: services, logger: logger).deployPendingChanges(
            apiID: apiID,
            by: principal
        )
        return JSONResponses.response(APIResponseDTO(record: updated))
    }

    private func changeLifecycle(_ request: Request) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_publish")
        let apiID = try request.requiredQuery("apiId")
        // Form-style clients send spaces as '+' (`Deploy+as+a+Prototype`); no action contains a real '+'.
        let actionName = try request.requiredQuery("action").replacingOccurrences(of: "+", with: " ")
        guard
            let action = LifecycleAction.allCases.first(where: { $0.rawValue.lowercased() == actionName.lowercased() })
        else {
            throw ManagementError.badRequest(
                "Unknown lifecycle action '\(actionName)'; use one of "
                    + LifecycleAction.allCases.map(\.rawValue).joined(separator: ", ")
            )
        }
        var options = try LifecycleChecklist.options(from: request.query("lifecycleChecklist"))
        if let push = request.query("pushToGateway") {
            guard let value = Bool(push) else {
                throw ManagementError.badRequest("pushToGateway must be true or false")
            }
            options.pushToGateway = value
        }
        let updated = try await PublisherAPIService(services: services, logger: logger).changeLifecycle(
            action,
            apiID: apiID,
            deprecateOldVersions: options.deprecateOldVersions,
            requireResubscription: options.requireResubscription,
            pushToGateway: options.pushToGateway,
            by: principal
        )
        return JSONResponses.response(LifecycleChangeDTO(lifecycleState: LifecycleStateDTO(updated.lifecycleState)))
    }

    private func state(_ request: Request, apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_view")
        return JSONResponses.response(LifecycleStateDTO(try await PublisherAPIService(services: services, logger: logger).api(apiID).lifecycleState))
    }

    private func history(_ request: Request, apiID: String) async throws -> Response {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:api_view")
        let entries = try await PublisherAPIService(services: services, logger: logger).lifecycleHistory(apiID)
        return JSONResponses.response(ListDTO(entries.map(LifecycleHistoryItemDTO.init)))
    }
}
