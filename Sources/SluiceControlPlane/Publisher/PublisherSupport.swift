import Foundation
import SluiceArtifacts
import SluiceModel
import SluiceStorage

/// Checks and look-ups shared by the publisher controllers.
enum PublisherSupport {
    /// WSO2 takes a context without its leading slash (`pizza` is `/pizza`).
    static func rootedContext(_ context: String) -> String {
        context.isEmpty || context.hasPrefix("/") ? context : "/" + context
    }

    /// The API with this id.
    /// - Throws: ``ManagementError`` 404.
    static func api(_ id: String, _ services: APIManagerServices) async throws -> APIRecord {
        guard let record = try await services.storage.api(id: id) else {
            throw ManagementError.notFound("API \(id) not found")
        }
        return record
    }

    /// Everything the publisher checks before storing a definition: field validation, tiers that exist, and a
    /// context/version no other API uses. A scope declaration naming a shared scope becomes that shared scope
    /// (its labels and bindings replace the declaration's, `shared: true`), as in WSO2.
    /// - Parameters:
    ///   - definition: The new or edited definition.
    ///   - services: The services.
    ///   - replacing: The API being edited, nil for a new one.
    /// - Throws: `APIValidationError` or ``ManagementError`` 400.
    static func check(_ definition: inout APIDefinition, services: APIManagerServices, replacing: APIRecord?) async throws {
        let shared = Dictionary(
            try await SharedScopeService(services: services).stored().map { ($0.scope.name, $0.scope) }
        ) { first, _ in first }
        definition.scopes = definition.scopes.map { declaration in
            shared[declaration.name].map { APIScope(scope: $0, shared: true) } ?? APIScope(scope: declaration.scope)
        }
        try definition.validate()
        try await OperationPolicyService(services: services).resolve(&definition)
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
        let roles = try await services.storage.roles()
        let knownRoles = Set(roles.map(\.name))
        let systemScopes = roles.reduce(into: Set<String>()) { $0.formUnion($1.scopes) }
        for (index, declaration) in definition.scopes.enumerated() where !declaration.shared {
            let field = "scopes[\(index)].scope"
            // A REST API scope declared by an API would let its creator bind `apim:admin` to any role.
            if systemScopes.contains(declaration.name) {
                issues.append(item("\(field).name", "'\(declaration.name)' is a scope of the management REST APIs"))
            }
            for (roleIndex, role) in declaration.bindings.enumerated() where !knownRoles.contains(role) {
                issues.append(item("\(field).bindings[\(roleIndex)]", "'\(role)' is not a role"))
            }
        }
        if let visibleRoles = definition.visibleRoles, !visibleRoles.isEmpty {
            for (index, role) in visibleRoles.enumerated() where !knownRoles.contains(role) {
                issues.append(item("visibleRoles[\(index)]", "'\(role)' is not a role"))
            }
            if definition.visibility != .restricted {
                issues.append(item("visibleRoles", "visible roles apply only to RESTRICTED visibility"))
            }
        }
        let key = APIKey(context: definition.context, version: definition.version)
        let others = try await services.storage.apis().filter { $0.id != replacing?.id }
        for other in others {
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
            // Scopes are global in tokens: only the versions of one API may declare the same scope.
            if other.name != definition.name || other.provider != (definition.provider ?? other.provider) {
                let taken = Set(other.stored.definition.scopes.map(\.name))
                for (index, declaration) in definition.scopes.enumerated()
                where !declaration.shared && taken.contains(declaration.name) {
                    issues.append(
                        item("scopes[\(index)].scope.name", "the scope \(declaration.name) belongs to the API \(other.name)")
                    )
                }
            }
        }
        guard issues.isEmpty else {
            throw ManagementError.badRequest(issues.map(\.description).joined(separator: "; "), items: issues)
        }
        try checkNamespace(of: definition, builder: services.lifecycleExecutor.builder, against: others)
    }

    /// Refuses (409) a definition whose served paths and another API's overlap: one is the other or lies below
    /// it (context `/sececho/1.0.0` with version `x` serves `/sececho/1.0.0/x`, inside SecEcho 1.0.0), so the
    /// gateway would hand one API's requests to the other. Versions of the same API share their context.
    static func checkNamespace(
        of definition: APIDefinition,
        builder: APITemplateBuilder,
        against others: [APIRecord]
    ) throws(ManagementError) {
        let mine = servedPaths(of: definition, builder: builder)
        for other in others where other.name != definition.name || other.provider != definition.provider {
            var theirs = other.stored.definition
            theirs.isDefaultVersion = other.isDefaultVersion
            for path in mine {
                for taken in servedPaths(of: theirs, builder: builder)
                where isPath(path, within: taken) || isPath(taken, within: path) {
                    throw ManagementError.conflict(
                        "The API would be served at \(path), which overlaps \(taken) of the API \(other.name) "
                            + "\(other.version); choose a context outside it"
                    )
                }
            }
        }
    }

    /// The paths the gateway serves an API at: the versioned context, and the unversioned one for the default
    /// version.
    private static func servedPaths(of definition: APIDefinition, builder: APITemplateBuilder) -> [String] {
        let versioned = builder.versionedContext(for: definition)
        guard definition.isDefaultVersion else { return [versioned] }
        return [versioned, builder.unversionedContext(for: definition)]
    }

    /// Whether `path` equals `prefix` or lies below it, segment by segment.
    private static func isPath(_ path: String, within prefix: String) -> Bool {
        let segments = path.split(separator: "/")
        let prefixSegments = prefix.split(separator: "/")
        return segments.count >= prefixSegments.count && zip(segments, prefixSegments).allSatisfy { $0 == $1 }
    }

    private static func item(_ field: String, _ message: String) -> ManagementError.Item {
        ManagementError.Item(code: "400", message: field, description: "\(field): \(message)")
    }
}
