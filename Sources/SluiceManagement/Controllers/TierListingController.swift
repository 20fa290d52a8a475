import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel

/// `GET /throttling-policies/{policyLevel}` of the publisher (`subscription`, `api`) and the devportal
/// (`application`, `subscription`), an API's `subscription-policies`, and the OpenAPI document.
struct TierListingController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// `ThrottlingPolicyDTO` of the publisher and devportal.
    struct TierDTO: Encodable, Sendable {
        var name: String
        var displayName: String
        var description: String?
        var requestCount: Int64
        var unitTime: Int64
        var timeUnit = "ms"
        var stopOnQuotaReach: Bool
        var tierPlan: String

        init(_ tier: ThrottleTier) {
            name = tier.name
            displayName = tier.attributes["displayName"] ?? tier.name
            description = tier.description
            requestCount = tier.maxCount ?? -1
            unitTime = tier.unitTime
            stopOnQuotaReach = tier.stopOnQuotaReach
            tierPlan = tier.billingPlan ?? "FREE"
        }
    }

    /// One policy of a level by its name (404 when the level has none of that name).
    private func named(_ name: String, level: String, _ levels: [String: TierLevel]) async throws -> Response {
        guard let tierLevel = levels[level] else {
            throw ManagementError.badRequest("policyLevel must be one of \(levels.keys.sorted().joined(separator: ", "))")
        }
        guard let tier = try await services.tiers(tierLevel).first(where: { $0.name == name }) else {
            throw ManagementError.notFound("No \(level) throttling policy \(name)")
        }
        return JSONResponses.response(TierDTO(tier))
    }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.get("\(PublisherAPIsController.prefix)/throttling-policies/:policyLevel") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.require("apim:tier_view")
            let levels: [String: TierLevel] = ["subscription": .subscription, "api": .resource]
            return try await list(context.parameters.path("policyLevel"), levels)
        }
        routes.get("\(DevPortalAPIsController.prefix)/throttling-policies/:policyLevel") { request, context in
            _ = try await services.authenticator.optionalPrincipal(for: request)
            let levels: [String: TierLevel] = ["subscription": .subscription, "application": .application]
            return try await list(context.parameters.path("policyLevel"), levels)
        }
        routes.get("\(PublisherAPIsController.prefix)/throttling-policies/:policyLevel/:policyId") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.require("apim:tier_view")
            let levels: [String: TierLevel] = ["subscription": .subscription, "api": .resource]
            return try await named(context.parameters.path("policyId"), level: context.parameters.path("policyLevel"), levels)
        }
        routes.get("\(DevPortalAPIsController.prefix)/throttling-policies/:policyLevel/:policyId") { request, context in
            _ = try await services.authenticator.optionalPrincipal(for: request)
            let levels: [String: TierLevel] = ["subscription": .subscription, "application": .application]
            return try await named(context.parameters.path("policyId"), level: context.parameters.path("policyLevel"), levels)
        }
        // The subscription tiers an API offers (an API offering none offers `Unlimited`), as WSO2's portals list
        // them on the subscribe form.
        routes.get("\(PublisherAPIsController.prefix)/apis/:apiId/subscription-policies") { request, context in
            let principal = try await services.authenticator.principal(for: request)
            try principal.require("apim:api_view")
            let api = try await PublisherAPIService(services: services, logger: logger).api(context.parameters.path("apiId"))
            return try await offered(api.stored.definition.offeredTiers)
        }
        routes.get("\(DevPortalAPIsController.prefix)/apis/:apiId/subscription-policies") { request, context in
            let principal = try await services.authenticator.optionalPrincipal(for: request)
            let page = try await StoreCatalogService(services: services)
                .page(apiID: context.parameters.path("apiId"), principal: principal)
            return try await offered(page.api.stored.definition.offeredTiers)
        }
        routes.get("/api/am/openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: ManagementOpenAPIDocument.json()))
            )
        }
    }

    /// WSO2 answers a plain array here (its definition says one object; its server and clients use the array).
    private func offered(_ names: [String]) async throws -> Response {
        let tiers = try await services.tiers(.subscription)
        return JSONResponses.response(names.compactMap { name in tiers.first { $0.name == name }.map(TierDTO.init) })
    }

    private func list(_ name: String, _ levels: [String: TierLevel]) async throws -> Response {
        guard let level = levels[name] else {
            throw ManagementError.badRequest(
                "policyLevel must be one of \(levels.keys.sorted().joined(separator: ", "))"
            )
        }
        return JSONResponses.response(ListDTO(try await services.tiers(level).map(TierDTO.init)))
    }
}
