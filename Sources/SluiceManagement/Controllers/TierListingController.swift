import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel

/// `GET /throttling-policies/{policyLevel}` of the publisher (`subscription`, `api`) and the devportal
/// (`application`, `subscription`), and the OpenAPI document.
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
        routes.get("/api/am/openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: ManagementOpenAPIDocument.json()))
            )
        }
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
