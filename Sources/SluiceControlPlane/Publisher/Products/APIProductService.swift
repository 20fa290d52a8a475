import Foundation
import Logging
package import SluiceArtifacts
package import SluiceStorage

/// WSO2's API products: resources of several APIs offered under one context, with the product's own tiers,
/// subscriptions, documents, lifecycle and revisions.
///
/// A product is stored as an API record (so subscriptions, key validation, throttling, documents, lifecycle and
/// revisions work on it as on an API) whose ``StoredAPI/productParts`` say which API each operation comes from. Its
/// artifact is the product's `<api>` with, per resource, the mediation its API generates (sent to that API's
/// endpoints), kept as the record's Synapse source: a lifecycle change deploys it like an API's edited source.
/// The artifact is built again from the APIs as they are served at each edit and before each lifecycle change, so a
/// product picks up its APIs' endpoint changes then.
package struct APIProductService: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// Creates the service.
    package init(services: APIManagerServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// The operations a product takes from one API.
    package struct Part: Sendable {
        package var apiID: String
        package var operations: [APIOperation]

        package init(apiID: String, operations: [APIOperation]) {
            self.apiID = apiID
            self.operations = operations
        }
    }

    /// A product with the APIs its resources come from.
    package struct Product: Sendable {
        package var record: APIRecord
        /// Per API: its record and the product's operations from it, in the product's order.
        package var parts: [(api: APIRecord?, operations: [APIOperation])]
    }

    private var deployment: APIDeploymentService { APIDeploymentService(services: services, logger: logger) }

    // MARK: - Reading

    /// Every product, by name then version.
    package func products() async throws -> [APIRecord] {
        try await services.storage.apis().filter(\.stored.isProduct)
    }

    /// One product, with its parts.
    /// - Throws: ``ManagementError`` 404 (also for the id of an API that is not a product).
    package func product(_ id: String) async throws -> Product {
        let record = try await productRecord(id)
        let stored = record.stored
        var parts: [(api: APIRecord?, operations: [APIOperation])] = []
        var positions: [String: Int] = [:]
        for (operation, part) in zip(stored.definition.operations, stored.productParts ?? []) {
            if let position = positions[part.apiID] {
                parts[position].operations.append(operation)
            } else {
                positions[part.apiID] = parts.count
                parts.append((try await services.storage.api(id: part.apiID), [operation]))
            }
        }
        return Product(record: record, parts: parts)
    }

    // MARK: - Writing

    /// Stores a new product in state CREATED, owned by `definition.provider` or the caller.
    /// - Throws: ``ManagementError`` 403 without `apim:api_create`, 400 for an unknown API or operation, an
    ///   operation offered twice, tiers that do not exist or a taken context; `APIValidationError`.
    package func create(_ definition: APIDefinition, parts: [Part], by principal: Principal) async throws -> Product {
        try principal.require("apim:api_create")
        let id = try await services.publisherGate.run {
            var definition = definition
            definition.context = PublisherSupport.rootedContext(definition.context)
            let provider = definition.provider ?? principal.username
            guard provider == principal.username || principal.isAdministrator else {
                throw ManagementError.forbidden("Only an administrator may create API products for another provider")
            }
            definition.provider = provider
            definition.id = UUID().uuidString.lowercased()
            definition.lifeCycleStatus = .created
            let stored = try await compose(definition, parts: parts, replacing: nil)
            let now = Date()
            let record = APIRecord(
                id: definition.id!,
                provider: provider,
                name: definition.name,
                version: definition.version,
                context: definition.context,
                description: definition.description,
                lifecycleState: .created,
                visibility: (definition.visibility ?? .public).rawValue,
                isDefaultVersion: false,
                tags: definition.tags,
                definition: stored.encoded(),
                createdAt: now,
                updatedAt: now
            )
            try await services.storage.createAPI(record, actor: principal.username)
            return record.id
        }
        return try await product(id)
    }

    /// Replaces a product's definition and resources; a product on the gateway is redeployed (unless a deployed
    /// revision serves it, or the caller is no publisher: then the edit waits, as an API's does). Name, version,
    /// context and provider cannot change.
    /// - Throws: ``ManagementError`` 403, 404, 400; deployment errors (storage is put back).
    package func update(id: String, with definition: APIDefinition, parts: [Part], by principal: Principal)
        async throws -> Product
    {
        try principal.require("apim:api_create")
        try await services.publisherGate.run {
            let previous = try await productRecord(id)
            var definition = definition
            definition.context = PublisherSupport.rootedContext(definition.context)
            guard definition.name == previous.name, definition.version == previous.version,
                definition.context == previous.context, (definition.provider ?? previous.provider) == previous.provider
            else {
                throw ManagementError.badRequest("name, version, context and provider of an API product cannot be changed")
            }
            definition.id = previous.id
            definition.provider = previous.provider
            definition.lifeCycleStatus = previous.lifecycleState
            let before = previous.stored
            var stored = try await compose(definition, parts: parts, replacing: previous)
            stored.gatewayDeployed = before.gatewayDeployed
            stored.revisionDeployments = before.revisionDeployments
            stored.deployed = before.deployed
            let onGateway = before.gatewayDeployed && previous.lifecycleState.isDeployed
            if onGateway && before.defaultEnvironmentDeployment == nil {
                if APIDeploymentService.mayDeploy(principal) { stored.deployed = nil } else { stored.keepDeployedRevision() }
            }
            var updated = previous
            updated.description = definition.description
            updated.visibility = (definition.visibility ?? .public).rawValue
            updated.tags = definition.tags
            updated.definition = stored.encoded()
            updated.updatedAt = Date()
            if onGateway && stored.servesWorkingCopy {
                try await deployment.serve(updated, replacing: previous)
            } else {
                try await services.storage.updateAPI(updated)
            }
        }
        return try await product(id)
    }

    /// Builds the product's artifact again from its APIs as they are served now, and stores it (nothing is deployed):
    /// the next lifecycle change deploys it.
    /// - Throws: ``ManagementError`` 404, 400 when an API of the product is gone or cannot be deployed.
    package func refreshArtifact(id: String) async throws {
        try await services.publisherGate.run {
            let record = try await productRecord(id)
            let before = record.stored
            let parts = try await self.product(id).parts.map { part in
                guard let api = part.api else {
                    throw ManagementError.badRequest("An API of the product no longer exists; edit the product first")
                }
                return Part(apiID: api.id, operations: part.operations)
            }
            var stored = try await compose(before.definition, parts: parts, replacing: record)
            stored.gatewayDeployed = before.gatewayDeployed
            stored.revisionDeployments = before.revisionDeployments
            stored.deployed = before.deployed
            var updated = record
            updated.definition = stored.encoded()
            try await services.storage.updateAPI(updated)
        }
    }

    /// Copies a product into a new version in state CREATED, with the same resources (WSO2's
    /// `copy-api-products`); the copy has a new name-version identity and its own documents, revisions and tiers.
    /// - Throws: ``ManagementError`` 403 without `apim:api_create`, 404, 400 (version taken, an API gone).
    package func copy(id: String, newVersion: String, by principal: Principal) async throws -> Product {
        let source = try await product(id)
        var definition = source.record.stored.definition
        definition.version = newVersion
        definition.id = nil
        definition.provider = source.record.provider
        let parts = try source.parts.map { part in
            guard let api = part.api else {
                throw ManagementError.badRequest("An API of the product no longer exists; edit the product first")
            }
            return Part(apiID: api.id, operations: part.operations)
        }
        return try await create(definition, parts: parts, by: principal)
    }

    /// Whether the product's artifact differs from the one its APIs would give now (an API's endpoints or mediation
    /// changed since the product was last edited or changed state): the next lifecycle change or edit brings it up
    /// to date.
    /// - Throws: ``ManagementError`` 404.
    package func isOutdated(id: String) async throws -> Bool {
        let source = try await product(id)
        let stored = source.record.stored
        var parts: [APIProductPart] = []
        for part in source.parts {
            guard let api = part.api else { return true }
            let served = api.stored.live.definition
            parts += part.operations.map { APIProductPart(operation: $0, api: served) }
        }
        let current = try? services.lifecycleExecutor.builder.productSource(for: stored.definition, parts: parts)
        return current != stored.synapseSource
    }

    /// Deletes a product without subscriptions and removes its artifact.
    /// - Throws: ``ManagementError`` 403, 404, 409 while subscriptions exist.
    package func delete(id: String, by principal: Principal) async throws {
        try principal.require("apim:api_delete")
        _ = try await productRecord(id)
        try await PublisherAPIService(services: services, logger: logger).delete(apiID: id, by: principal)
    }

    /// The products that offer operations of the API `apiID`.
    static func products(using apiID: String, in records: [APIRecord]) -> [APIRecord] {
        records.filter { $0.stored.productParts?.contains { $0.apiID == apiID } ?? false }
    }

    // MARK: - Composition

    private func productRecord(_ id: String) async throws -> APIRecord {
        guard let record = try await services.storage.api(id: id), record.stored.isProduct else {
            throw ManagementError.wso2(
                .notFound, code: 900360, "API Product Not Found", "Requested API Product with id '\(id)' not found"
            )
        }
        return record
    }

    /// The stored form of a product: its definition with the parts' operations, checked like an API's, and its
    /// artifact built from the APIs as they are served.
    private func compose(_ definition: APIDefinition, parts: [Part], replacing: APIRecord?) async throws -> StoredAPI {
        guard !parts.isEmpty, parts.allSatisfy({ !$0.operations.isEmpty }) else {
            throw ManagementError.badRequest("apis: an API product needs at least one operation of an API")
        }
        var definition = definition
        var operations: [APIOperation] = []
        var productParts: [StoredAPI.ProductPart] = []
        var artifactParts: [APIProductPart] = []
        var seen: Set<String> = []
        for (index, part) in parts.enumerated() {
            guard let api = try await services.storage.api(id: part.apiID), !api.stored.isProduct else {
                throw ManagementError.badRequest("apis[\(index)].apiId: no API \(part.apiID)")
            }
            let served = api.stored.live.definition
            for operation in part.operations {
                let verb = operation.verb.uppercased()
                guard let original = served.effectiveOperations.first(where: {
                    $0.target == operation.target && $0.verb.uppercased() == verb
                }) else {
                    throw ManagementError.badRequest(
                        "apis[\(index)].operations: \(api.name) has no operation \(verb) \(operation.target)"
                    )
                }
                guard seen.insert("\(verb) \(operation.target)").inserted else {
                    throw ManagementError.badRequest("apis[\(index)].operations: \(verb) \(operation.target) is offered twice")
                }
                guard original.scopes.isEmpty && operation.scopes.isEmpty else {
                    throw ManagementError.badRequest(
                        "apis[\(index)].operations: \(verb) \(operation.target) needs scopes; API products do not offer "
                            + "operations with scopes yet"
                    )
                }
                var offered = operation
                offered.verb = verb
                offered.authType = operation.authType ?? original.authType
                offered.throttlingPolicy = operation.throttlingPolicy ?? original.throttlingPolicy
                operations.append(offered)
                productParts.append(StoredAPI.ProductPart(apiID: api.id, target: operation.target, verb: verb))
                artifactParts.append(APIProductPart(operation: offered, api: served))
            }
        }
        definition.operations = operations
        definition.isDefaultVersion = false
        // The product's own endpoint is never called (each resource sends to its API's); validation wants one.
        definition.endpointConfig = artifactParts[0].api.endpointConfig
        try await PublisherSupport.check(&definition, services: services, replacing: replacing)
        var stored = StoredAPI(definition: definition, gatewayDeployed: false)
        stored.synapseSource = try services.lifecycleExecutor.builder.productSource(for: definition, parts: artifactParts)
        stored.productParts = productParts
        return stored
    }
}
