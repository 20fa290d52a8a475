import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceKeyManager
import SluiceModel
import SluiceStorage

/// `/api/am/devportal/v3/subscriptions`: subscriptions of the caller's applications. They go through the key
/// manager, so the gateway's validation index sees them at once.
struct DevPortalSubscriptionsController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        let base = DevPortalAPIsController.prefix + "/subscriptions"
        routes.get(base) { request, _ in try await list(request) }
        routes.post(base) { request, _ in try await create(request) }
        routes.post("\(base)/multiple") { request, _ in try await createSeveral(request) }
        routes.get("\(base)/:subscriptionId") { request, context in
            try await get(request, context.parameters.path("subscriptionId"))
        }
        routes.put("\(base)/:subscriptionId") { request, context in
            try await update(request, context.parameters.path("subscriptionId"))
        }
        routes.delete("\(base)/:subscriptionId") { request, context in
            try await delete(request, context.parameters.path("subscriptionId"))
        }
    }

    private var subscribers: SubscriberService { SubscriberService(services: services) }

    /// `applicationId` lists one application's subscriptions; `apiId` lists the caller's subscriptions to an API.
    private func list(_ request: Request) async throws -> Response {
        let principal = try await caller(request)
        var subscriptions = try await subscribers.subscriptions(
            ofApplication: request.query("applicationId"),
            principal: principal
        )
        if let apiID = request.query("apiId") { subscriptions = subscriptions.filter { $0.apiID == apiID } }
        return JSONResponses.response(ListDTO(try await services.views(of: subscriptions).map(SubscriptionDTO.init), page: try request.pagination()))
    }

    private func create(_ request: Request) async throws -> Response {
        let principal = try await caller(request)
        let dto = try await services.decoder.decode(
            SubscriptionDTO.self,
            from: request,
            readOnlyFields: SubscriptionDTO.readOnlyFields
        )
        guard let apiID = dto.apiId else { throw ManagementError.badRequest("apiId is required") }
        let subscription = try await subscribers.subscribe(
            applicationID: dto.applicationId,
            apiID: apiID,
            tier: dto.throttlingPolicy,
            principal: principal
        )
        return JSONResponses.response(
            SubscriptionDTO(try await services.view(of: subscription)),
            status: .created,
            headers: [.location: "\(DevPortalAPIsController.prefix)/subscriptions/\(subscription.id)"]
        )
    }

    /// A JSON array of subscriptions, made all or nothing; answers the array of those made (200, as WSO2).
    private func createSeveral(_ request: Request) async throws -> Response {
        let principal = try await caller(request)
        let body = try await services.decoder.body(of: request)
        guard let items = (try? JSONSerialization.jsonObject(with: body)) as? [Any] else {
            throw ManagementError.badRequest("The request body must be a JSON array of subscriptions")
        }
        var requests: [SubscriberService.SubscriptionRequest] = []
        for (index, item) in items.enumerated() {
            guard JSONSerialization.isValidJSONObject(item), let data = try? JSONSerialization.data(withJSONObject: item) else {
                throw ManagementError.badRequest("[\(index)]: a subscription must be a JSON object")
            }
            let dto: SubscriptionDTO
            do {
                dto = try services.decoder.decode(SubscriptionDTO.self, from: data, readOnlyFields: SubscriptionDTO.readOnlyFields)
            } catch let error as ManagementError {
                throw ManagementError.badRequest("[\(index)]: \(error.detail)")
            }
            guard let apiID = dto.apiId else { throw ManagementError.badRequest("[\(index)].apiId is required") }
            requests.append(.init(applicationID: dto.applicationId, apiID: apiID, tier: dto.throttlingPolicy))
        }
        let made = try await subscribers.subscribe(requests, principal: principal)
        var answers: [SubscriptionDTO] = []
        for subscription in made { answers.append(SubscriptionDTO(try await services.view(of: subscription))) }
        return JSONResponses.response(answers)
    }

    private func get(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        return JSONResponses.response(SubscriptionDTO(try await services.view(of: subscribers.subscription(id, principal: principal))))
    }

    /// Changes the tier; the subscription's status stays (a blocked one stays blocked).
    private func update(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        let subscription = try await subscribers.subscription(id, principal: principal)
        let dto = try await services.decoder.decode(
            SubscriptionDTO.self,
            from: request,
            readOnlyFields: SubscriptionDTO.readOnlyFields
        )
        guard dto.applicationId == subscription.applicationID, dto.apiId == nil || dto.apiId == subscription.apiID
        else {
            throw ManagementError.badRequest("applicationId and apiId of a subscription cannot be changed")
        }
        let updated = try await subscribers.changeTier(subscriptionID: id, to: dto.throttlingPolicy, principal: principal)
        return JSONResponses.response(SubscriptionDTO(try await services.view(of: updated)))
    }

    private func delete(_ request: Request, _ id: String) async throws -> Response {
        let principal = try await caller(request)
        try await subscribers.unsubscribe(id, principal: principal)
        return JSONResponses.empty()
    }

    // MARK: - Helpers

    private func caller(_ request: Request) async throws -> Principal {
        let principal = try await services.authenticator.principal(for: request)
        try principal.require("apim:sub_manage")
        return principal
    }
}
