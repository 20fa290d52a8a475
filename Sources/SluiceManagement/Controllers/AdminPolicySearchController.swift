import Foundation
import Hummingbird
import Logging
import SluiceControlPlane
import SluiceModel

/// `GET /admin/v4/throttling/policies/search?query=`: the throttling policies of every level, filtered by `type:`
/// (`sub`/`subscription`, `app`/`application`, `api`/`advanced`) and `name:` (contains, ignoring case); a bare word
/// is a name.
struct AdminPolicySearchController: Sendable {
    let services: APIManagerServices
    let logger: Logger

    static let scopes = ["apim:admin", "apim:tier_view", "apim:admin_tier_view", "apim:policies_import_export"]

    /// WSO2's `ThrottlePolicyDetails`.
    struct PolicyDetailsDTO: Encodable, Sendable {
        var uuid: String
        var policyName: String
        var displayName: String
        var description: String?
        var isDeployed = true
        var type: String
    }

    func addRoutes<Context: RequestContext>(to routes: RouteRegistrar<Context>) {
        routes.get("\(AdminController.prefix)/throttling/policies/search") { request, _ in
            let principal = try await services.authenticator.principal(for: request)
            try principal.requireAny(Self.scopes)
            var levels: [(name: String, level: TierLevel)] = [("sub", .subscription), ("app", .application), ("api", .resource)]
            var name: String?
            for term in (request.query("query") ?? "").split(separator: " ") {
                let parts = term.split(separator: ":", maxSplits: 1).map { String($0).lowercased() }
                switch (parts.count == 2 ? parts[0] : "name", parts.last ?? "") {
                case ("type", let type):
                    let aliases = ["subscription": "sub", "application": "app", "advanced": "api"]
                    let wanted = aliases[type] ?? type
                    guard levels.contains(where: { $0.name == wanted }) else {
                        throw ManagementError.badRequest("type must be sub, app or api")
                    }
                    levels = levels.filter { $0.name == wanted }
                case ("name", let value): name = value
                default: throw ManagementError.badRequest("query: use type: and name:")
                }
            }
            var found: [PolicyDetailsDTO] = []
            for (type, level) in levels {
                for tier in try await services.tiers(level) where name.map({ tier.name.lowercased().contains($0) }) ?? true {
                    found.append(PolicyDetailsDTO(
                        uuid: tier.name, policyName: tier.name, displayName: tier.attributes["displayName"] ?? tier.name,
                        description: tier.description, type: type
                    ))
                }
            }
            return JSONResponses.response(ListDTO(found))
        }
    }
}
