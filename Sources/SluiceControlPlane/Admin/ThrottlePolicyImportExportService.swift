import Foundation
package import SluiceModel
import Yams

/// Exporting one throttling policy and importing one: the logic behind WSO2's admin
/// `GET /throttling/policies/export` and `POST /throttling/policies/import` (`apictl export|import policy
/// rate-limiting`). The file is WSO2's `ExportThrottlePolicy`: `type: throttling policy`, a `subtype` naming the
/// level (`subscription policy`, `application policy`, `advanced policy`), the tool version and the policy's DTO as
/// `data`. Custom rules (WSO2's Siddhi queries) are not served here, so neither exported nor imported.
package struct ThrottlePolicyImportExportService: Sendable {
    let services: APIManagerServices

    /// Creates the service.
    package init(services: APIManagerServices) {
        self.services = services
    }

    /// WSO2's scopes of both operations (any one of them).
    package static let scopes = ["apim:admin", "apim:tier_manage", "apim:admin_tier_manage", "apim:policies_import_export"]

    /// The envelope's `type`.
    package static let fileType = "throttling policy"

    /// The levels with their `subtype`, the DTO's `type` and the names WSO2's `type` parameter gives them.
    package static let levels: [(level: TierLevel, subtype: String, dtoType: String, names: Set<String>)] = [
        (.subscription, "subscription policy", "SubscriptionThrottlePolicy", ["sub", "subscription"]),
        (.application, "application policy", "ApplicationThrottlePolicy", ["app", "application"]),
        (.resource, "advanced policy", "AdvancedThrottlePolicy", ["api", "advanced"]),
    ]

    /// The level WSO2's `type` query parameter names.
    /// - Throws: ``ManagementError`` 400 for a type Sluice has no policies of (custom rules, `global`).
    package static func level(named type: String) throws(ManagementError) -> TierLevel {
        let lowered = type.lowercased()
        guard let entry = levels.first(where: { $0.names.contains(lowered) }) else {
            if ["global", "custom"].contains(lowered) {
                throw ManagementError.badRequest("Custom rules (Siddhi queries) are not served by Sluice")
            }
            throw ManagementError.badRequest("type must be sub, app or api (advanced), not \(type)")
        }
        return entry.level
    }

    /// An exported policy: its level and its tier.
    package struct Exported: Sendable {
        package var level: TierLevel
        package var tier: ThrottleTier
        /// The envelope's `subtype`.
        package var subtype: String { ThrottlePolicyImportExportService.levels.first { $0.level == level }!.subtype }
        /// The DTO's `type`.
        package var dtoType: String { ThrottlePolicyImportExportService.levels.first { $0.level == level }!.dtoType }
    }

    /// The policy with id (its name in Sluice) `policyID` or named `name`, at the level `type` names or the first
    /// level that has it (subscription, application, advanced: as WSO2 looks).
    /// - Throws: ``ManagementError`` 400 without an id or a name, or for a type of custom rules; 403; 404.
    package func export(policyID: String?, name: String?, type: String?, by principal: Principal) async throws
        -> Exported
    {
        try principal.requireAny(Self.scopes)
        guard let wanted = [policyID, name].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw ManagementError.badRequest("Give policyId or name of the throttling policy")
        }
        let levels = try type.map { type throws(ManagementError) in [try Self.level(named: type)] }
            ?? Self.levels.map(\.level)
        for level in levels {
            if let tier = try await services.tiers(level).first(where: { $0.name == wanted }) {
                return Exported(level: level, tier: tier)
            }
        }
        throw ManagementError.notFound("Throttling policy \(wanted) not found")
    }

    /// An exported policy as YAML (apictl's default format).
    package static func yaml(_ file: some Encodable) throws -> String {
        try YAMLEncoder().encode(file)
    }

    /// The file's level and its `data` as JSON, for the caller to decode as the policy DTO.
    /// - Throws: ``ManagementError`` 400 for a file that is not a throttling policy (naming what is wrong), or a
    ///   custom rule.
    package static func read(_ file: Data) throws(ManagementError) -> (level: TierLevel, data: Data) {
        var json = Array(file)
        if YAMLReader.looksLikeYAML(json, path: "") {
            do throws(YAMLReader.Failure) {
                json = try YAMLReader.json(fromYAML: json)
            } catch {
                throw ManagementError.badRequest("The policy file cannot be read: \(error.description)")
            }
        }
        guard let envelope = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any],
            let data = envelope["data"] as? [String: Any]
        else { throw ManagementError.badRequest("The policy file is not an exported throttling policy (type, subtype, data)") }
        guard (envelope["type"] as? String)?.lowercased() == fileType else {
            throw ManagementError.badRequest("The file's type must be \(fileType), not \(envelope["type"] ?? "missing")")
        }
        let subtype = (envelope["subtype"] as? String)?.lowercased() ?? ""
        guard let entry = levels.first(where: { $0.subtype == subtype || $0.dtoType == data["type"] as? String }) else {
            if subtype.contains("custom") || subtype.contains("global") {
                throw ManagementError.badRequest("Custom rules (Siddhi queries) are not served by Sluice")
            }
            throw ManagementError.badRequest(
                "The file's subtype must be subscription policy, application policy or advanced policy, not \(subtype)"
            )
        }
        var policy = data
        // WSO2 writes a policy without burst control as rateLimitCount 0.
        if (policy["rateLimitCount"] as? NSNumber)?.intValue == 0 {
            policy["rateLimitCount"] = nil
            policy["rateLimitTimeUnit"] = nil
        }
        guard let bytes = try? JSONSerialization.data(withJSONObject: policy) else {
            throw ManagementError.badRequest("The policy file's data cannot be read")
        }
        return (entry.level, bytes)
    }

    /// Creates the policy, or with `overwrite` replaces the one of that name.
    /// - Returns: True when it was created, false when it replaced one.
    /// - Throws: ``ManagementError`` 403, 409 (exists and overwrite is off), 400 (Unlimited), what
    ///   ``AdminService`` throws.
    package func importPolicy(_ tier: ThrottleTier, level: TierLevel, overwrite: Bool, by principal: Principal)
        async throws -> Bool
    {
        try principal.requireAny(Self.scopes)
        // Importing is its own right (apim:policies_import_export); the stores below check the tier scopes.
        let writer = Principal(
            username: principal.username,
            roles: principal.roles,
            scopes: principal.scopes.union(["apim:tier_manage"]),
            method: principal.method
        )
        let admin = AdminService(services: services)
        guard try await services.tierNames(level).contains(tier.name) else {
            try await admin.createPolicy(tier, level: level, by: writer)
            return true
        }
        guard overwrite else {
            throw ManagementError.conflict(
                "A \(level.rawValue) policy named \(tier.name) exists already (overwrite=true replaces it)"
            )
        }
        try await admin.updatePolicy(tier, level: level, by: writer)
        return false
    }
}

extension ThrottlePolicyDTO {
    /// The DTO of `tier` with only the fields of `level` (burst control, quota behaviour and billing belong to
    /// subscription policies), as WSO2's DTO of that level has them: an export imports again.
    package init(_ tier: ThrottleTier, level: TierLevel) {
        self.init(tier)
        guard level != .subscription else { return }
        rateLimitCount = nil
        rateLimitTimeUnit = nil
        stopOnQuotaReach = nil
        billingPlan = nil
    }
}
