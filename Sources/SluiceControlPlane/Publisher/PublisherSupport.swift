import Foundation
import SluiceArtifacts
import SluiceModel
import SluiceStorage

/// Checks and look-ups shared by the publisher controllers.
enum PublisherSupport {
    /// The API with this id.
    /// - Throws: ``ManagementError`` 404.
    static func api(_ id: String, _ services: APIManagerServices) async throws -> APIRecord {
        guard let record = try await services.storage.api(id: id) else {
            throw ManagementError.notFound("API \(id) not found")
        }
        return record
    }

    /// Everything the publisher checks before storing a definition: field validation, tiers that exist, and a
    /// context/version no other API uses.
    /// - Parameters:
    ///   - definition: The new or edited definition.
    ///   - services: The services.
    ///   - replacing: The API being edited, nil for a new one.
    /// - Throws: `APIValidationError` or ``ManagementError`` 400.
    static func check(_ definition: APIDefinition, services: APIManagerServices, replacing: APIRecord?) async throws {
        try definition.validate()
        var issues: [ManagementError.Item] = []
        let subscriptionTiers = try await services.tierNames(.subscription)
        for (index, tier) in definition.policies.enumerated() where !subscriptionTiers.contains(tier) {
            issues.append(item("policies[\(index)]", "'\(tier)' is not a subscription tier"))
        }
        let resourceTiers = try await services.tierNames(.resource)
        if let policy = definition.apiThrottlingPolicy, !resourceTiers.contains(policy) {
            issues.append(item("apiThrottlingPolicy", "'\(policy)' is not an API throttling policy"))
        }
        for (index, operation) in definition.operations.enumerated() {
            if let policy = operation.throttlingPolicy, !resourceTiers.contains(policy) {
                issues.append(
                    item("operations[\(index)].throttlingPolicy", "'\(policy)' is not a resource throttling policy")
                )
            }
        }
        if let roles = definition.visibleRoles, !roles.isEmpty {
            let known = Set(try await services.storage.roles().map(\.name))
            for (index, role) in roles.enumerated() where !known.contains(role) {
                issues.append(item("visibleRoles[\(index)]", "'\(role)' is not a role"))
            }
            if definition.visibility != .restricted {
                issues.append(item("visibleRoles", "visible roles apply only to RESTRICTED visibility"))
            }
        }
        let key = APIKey(context: definition.context, version: definition.version)
        for other in try await services.storage.apis() where other.id != replacing?.id {
            if other.context == key.context && other.version == key.version {
                issues.append(
                    item("context", "an API with context \(key.context) and version \(key.version) already exists")
                )
            } else if other.context == key.context
                && (other.name != definition.name || other.provider != definition.provider)
            {
                issues.append(item("context", "the context \(key.context) is used by the API \(other.name)"))
            } else if other.name == definition.name && other.provider == definition.provider
                && other.version == definition.version
            {
                issues.append(item("version", "\(definition.name) \(definition.version) already exists"))
            }
        }
        guard issues.isEmpty else {
            throw ManagementError.badRequest(issues.map(\.description).joined(separator: "; "), items: issues)
        }
    }

    private static func item(_ field: String, _ message: String) -> ManagementError.Item {
        ManagementError.Item(code: "400", message: field, description: "\(field): \(message)")
    }
}
