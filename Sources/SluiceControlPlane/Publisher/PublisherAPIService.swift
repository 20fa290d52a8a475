import Foundation
import Logging
package import SluiceArtifacts
package import SluiceModel
package import SluiceStorage

/// Creating, editing, copying and deleting publisher APIs, and changing their lifecycle: the logic behind
/// `POST|PUT|DELETE /api/am/publisher/v4/apis`, `copy-api` and `change-lifecycle`, shared with the Publisher portal.
///
/// Every function checks the caller's scope itself, so the REST API and the portal enforce the same rules (a
/// creator cannot change lifecycles). Writes run one at a time through the services' publisher gate.
package struct PublisherAPIService: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// Creates the service.
    package init(services: APIManagerServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    private var deployment: APIDeploymentService { APIDeploymentService(services: services, logger: logger) }

    /// Stores a new API in state CREATED, owned by `definition.provider` or the caller.
    /// - Throws: ``ManagementError`` 403 without `apim:api_create` or for another provider (unless administrator),
    ///   400 for invalid fields, unknown tiers or a taken context; `APIValidationError`.
    package func create(_ definition: APIDefinition, by principal: Principal) async throws -> APIRecord {
        try principal.require("apim:api_create")
        return try await services.publisherGate.run {
            var definition = definition
            definition.context = PublisherSupport.rootedContext(definition.context)
            let provider = definition.provider ?? principal.username
            guard provider == principal.username || principal.isAdministrator else {
                throw ManagementError.forbidden("Only an administrator may create APIs for another provider")
            }
            if provider != principal.username, try await services.storage.user(named: provider) == nil {
                throw ManagementError.badRequest("provider \(provider) is not a user")
            }
            definition.provider = provider
            definition.id = UUID().uuidString.lowercased()
            definition.lifeCycleStatus = .created
            try await PublisherSupport.check(&definition, services: services, replacing: nil)
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
                isDefaultVersion: definition.isDefaultVersion,
                tags: definition.tags,
                definition: StoredAPI(definition: definition, gatewayDeployed: false).encoded(),
                createdAt: now,
                updatedAt: now
            )
            try await services.storage.createAPI(record, actor: principal.username)
            return try await PublisherSupport.api(record.id, services)
        }
    }

    /// Replaces the definition of an API; a deployed API gets its artifact rewritten (generated again: a
    /// hand-edited source is dropped). Name, version, context and provider cannot change. A live API edited by a
    /// user without the publisher role keeps serving its deployed revision; the edit waits for a publisher
    /// (``deployPendingChanges(apiID:by:)``, an edit of theirs, or a lifecycle action that writes the artifact).
    /// - Throws: ``ManagementError`` 403, 404, 400; `APIValidationError`; deployment errors (storage is put back).
    package func update(apiID: String, with definition: APIDefinition, by principal: Principal) async throws
        -> APIRecord
    {
        try principal.require("apim:api_create")
        return try await services.publisherGate.run {
            let previous = try await PublisherSupport.api(apiID, services)
            var definition = definition
            definition.context = PublisherSupport.rootedContext(definition.context)
            let before = previous.stored
            var unchangeable: [String] = []
            if definition.name != previous.name { unchangeable.append("name") }
            if definition.version != previous.version { unchangeable.append("version") }
            if APIKey(context: definition.context, version: definition.version).context != previous.context {
                unchangeable.append("context")
            }
            if let provider = definition.provider, provider != previous.provider { unchangeable.append("provider") }
            guard unchangeable.isEmpty else {
                throw ManagementError.badRequest(
                    "\(unchangeable.joined(separator: ", ")) cannot be changed; use copy-api to create a new version"
                )
            }
            definition.id = previous.id
            definition.provider = previous.provider
            definition.lifeCycleStatus = previous.lifecycleState
            try await PublisherSupport.check(&definition, services: services, replacing: previous)
            let live = before.gatewayDeployed && previous.lifecycleState.isDeployed
            if live {
                // A deployed API must stay deployable: refuse the edit before anything is written.
                try definition.validate(forDeployment: true)
            }
            // Certificates have resources of their own; an edit of the definition keeps them.
            definition.clientCertificates = before.definition.clientCertificates
            var stored = StoredAPI(definition: definition, gatewayDeployed: before.gatewayDeployed)
            stored.clientCertificates = before.clientCertificates
            stored.revisionDeployments = before.revisionDeployments
            // A deployed revision keeps serving until another is deployed (WSO2 4.x); without revisions, a
            // creator's changes to a live API are staged: stored now, on the gateway once a publisher acts.
            let staged = before.defaultEnvironmentDeployment != nil || (live && !APIDeploymentService.mayDeploy(principal))
            if staged {
                stored.deployed = before.deployed ?? StoredAPI.Revision(
                    definition: before.definition,
                    synapseSource: before.synapseSource
                )
            }
            var updated = previous
            updated.description = definition.description
            updated.visibility = (definition.visibility ?? .public).rawValue
            updated.isDefaultVersion = definition.isDefaultVersion
            updated.tags = definition.tags
            updated.definition = stored.encoded()
            updated.updatedAt = Date()
            try await services.storage.updateAPI(updated)
            if staged {
                logger.info(
                    "API edit staged until a publisher deploys it",
                    metadata: ["sluice.api": "\(previous.provider)--\(previous.name):\(previous.version)"]
                )
                return try await PublisherSupport.api(apiID, services)
            }
            do {
                try await deployment.redeploy(previous: previous, updated: updated)
                if updated.isDefaultVersion && before.gatewayDeployed && updated.lifecycleState.isDeployed {
                    try await deployment.releaseDefaultVersion(except: updated)
                }
            } catch {
                // Keep storage and gateway in step: the old definition comes back, and so does its artifact.
                try await services.storage.updateAPI(previous)
                _ = try? await deployment.redeploy(previous: updated, updated: previous)
                throw error
            }
            return try await PublisherSupport.api(apiID, services)
        }
    }

    /// Deletes an API without subscriptions and removes its artifacts.
    /// - Throws: ``ManagementError`` 403, 404, 409 while subscriptions exist.
    package func delete(apiID: String, by principal: Principal) async throws {
        try principal.require("apim:api_delete")
        try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            let subscriptions = try await services.storage.subscriptions(
                to: APIKey(context: record.context, version: record.version)
            )
            let products = APIProductService.products(using: apiID, in: try await services.storage.apis())
            guard products.isEmpty else {
                throw ManagementError.conflict(
                    "The API is part of the API product\(products.count == 1 ? "" : "s") "
                        + products.map(\.name).joined(separator: ", ") + "; remove it from them before deleting it"
                )
            }
            guard subscriptions.isEmpty else {
                throw ManagementError.conflict(
                    "The API has \(subscriptions.count) subscription\(subscriptions.count == 1 ? "" : "s"); "
                        + "remove them (or retire the API) before deleting it"
                )
            }
            try await deployment.undeploy(record)
            _ = try await services.storage.deleteAPI(id: apiID)
        }
    }

    /// Copies an API into a new version in state CREATED, with its documents.
    /// - Parameters:
    ///   - apiID: The API to copy.
    ///   - newVersion: The new version.
    ///   - isDefaultVersion: Whether the copy becomes the default version.
    ///   - principal: The caller.
    /// - Throws: ``ManagementError`` 403, 404, 400 (version taken or invalid).
    package func copy(
        apiID: String,
        newVersion: String,
        isDefaultVersion: Bool,
        by principal: Principal
    ) async throws -> APIRecord {
        try principal.require("apim:api_create")
        return try await services.publisherGate.run {
            let source = try await PublisherSupport.api(apiID, services)
            var definition = source.stored.definition
            definition.version = newVersion
            definition.id = UUID().uuidString.lowercased()
            definition.lifeCycleStatus = .created
            definition.isDefaultVersion = isDefaultVersion
            try await PublisherSupport.check(&definition, services: services, replacing: nil)
            let now = Date()
            let record = APIRecord(
                id: definition.id!,
                provider: source.provider,
                name: source.name,
                version: definition.version,
                context: source.context,
                description: definition.description,
                lifecycleState: .created,
                visibility: source.visibility,
                isDefaultVersion: definition.isDefaultVersion,
                tags: source.tags,
                definition: StoredAPI(definition: definition, gatewayDeployed: false).encoded(),
                createdAt: now,
                updatedAt: now
            )
            try await services.storage.createAPI(record, actor: principal.username)
            for document in try await services.storage.documents(apiID: source.id) {
                var copy = document
                copy.id = UUID().uuidString.lowercased()
                copy.apiID = record.id
                try await services.storage.createDocument(copy)
            }
            return try await PublisherSupport.api(record.id, services)
        }
    }

    /// Deploys the edits that users without the publisher role made to a live API (see ``StoredAPI/deployed``).
    /// - Returns: The updated record.
    /// - Throws: ``ManagementError`` 403 without `apim:api_publish`, 404, 409 when nothing is pending; deployment
    ///   errors (storage is put back).
    package func deployPendingChanges(apiID: String, by principal: Principal) async throws -> APIRecord {
        try principal.require("apim:api_publish")
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            guard record.stored.hasPendingChanges else {
                throw ManagementError.conflict("The API has no pending changes: the gateway serves it as stored")
            }
            try await deployment.deployPendingChanges(of: record)
            return try await PublisherSupport.api(apiID, services)
        }
    }

    /// Applies a lifecycle action (WSO2's transitions) and makes the gateway folder match.
    /// - Parameters:
    ///   - action: The action; only the transitions of the API's current state are allowed.
    ///   - apiID: The API.
    ///   - deprecateOldVersions: Publish only: deprecate the other published versions.
    ///   - requireResubscription: Publish only: do not carry older versions' subscriptions over.
    ///   - pushToGateway: False lists the API without deploying it (Publish-like actions only).
    ///   - principal: The caller; needs `apim:api_publish` (a creator cannot change lifecycles).
    /// - Returns: The updated record.
    /// - Throws: ``ManagementError`` 403, 404; `LifecycleError` for an illegal transition or undeployable API.
    package func changeLifecycle(
        _ action: LifecycleAction,
        apiID: String,
        deprecateOldVersions: Bool = false,
        requireResubscription: Bool = false,
        pushToGateway: Bool = true,
        by principal: Principal
    ) async throws -> APIRecord {
        try principal.require("apim:api_publish")
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            return try await deployment.changeLifecycle(
                of: record,
                action: action,
                options: APIDeploymentService.Options(
                    deprecateOldVersions: deprecateOldVersions,
                    requireResubscription: requireResubscription,
                    pushToGateway: pushToGateway
                ),
                actor: principal.username
            )
        }
    }

    /// The API with this id.
    /// - Throws: ``ManagementError`` 404.
    package func api(_ apiID: String) async throws -> APIRecord {
        try await PublisherSupport.api(apiID, services)
    }

    /// The APIs matching a WSO2 search (`name:`, `tag:`, `provider:`...), by name then version.
    package func apis(matching search: APISearchQuery) async throws -> [APIRecord] {
        // API products have resources of their own (`/api-products`).
        try await services.storage.apis().filter { !$0.stored.isProduct && search.matches($0) }
    }

    /// The APIs whose name or context contains `text` (ignoring case; empty matches all), by name then version.
    /// - Parameter provider: Only the APIs of this provider; nil: everyone's.
    package func apis(containing text: String, provider: String? = nil) async throws -> [APIRecord] {
        try await services.storage.apis().filter { record in
            !record.stored.isProduct && (provider == nil || record.provider == provider)
                && (text.isEmpty || record.name.localizedCaseInsensitiveContains(text)
                    || record.context.localizedCaseInsensitiveContains(text))
        }
    }

    /// The OpenAPI 3 document of an API, generated from its operations.
    /// - Throws: ``ManagementError`` 404.
    package func openAPIDocument(_ apiID: String) async throws -> Data {
        APIOpenAPIDefinition.document(for: try await api(apiID).stored.definition)
    }

    /// Replaces the operations of an API with those of an OpenAPI document (JSON); a deployed API is redeployed.
    /// - Throws: ``ManagementError`` 400 for a document without usable operations, 403, 404; what
    ///   ``update(apiID:with:by:)`` throws.
    package func replaceOperations(apiID: String, fromOpenAPI document: Data, by principal: Principal) async throws
        -> APIRecord
    {
        let operations = try APIOpenAPIDefinition.operations(from: document)
        var definition = try await api(apiID).stored.definition
        definition.operations = operations
        // Scopes the document declares (with x-scopes-bindings) replace the API's of the same name; the others stay.
        let documented = try APIOpenAPIDefinition.scopes(from: document)
        let names = Set(documented.map(\.name))
        definition.scopes = definition.scopes.filter { !names.contains($0.name) } + documented
        return try await update(apiID: apiID, with: definition, by: principal)
    }

    /// The lifecycle history of an API, oldest first.
    /// - Throws: ``ManagementError`` 404.
    package func lifecycleHistory(_ apiID: String) async throws -> [LifecycleHistoryEntry] {
        _ = try await PublisherSupport.api(apiID, services)
        return try await services.storage.lifecycleHistory(apiID: apiID)
    }

    /// The publisher definition of a stored API (identity and state filled in).
    package func definition(of record: APIRecord) -> APIDefinition { record.stored.definition }

    /// The names of the tiers of a level an API may use (tier files, administrator policies, Unlimited), sorted.
    package func tierNames(_ level: TierLevel) async throws -> [String] {
        try await services.tiers(level).map(\.name)
    }

    /// Whether a hand-edited source overrides the generated artifact of the API.
    package func hasSourceOverride(_ record: APIRecord) -> Bool { record.stored.synapseSource != nil }

    /// Whether edits of the live API wait for a user with the publisher role.
    package func hasPendingChanges(_ record: APIRecord) -> Bool { record.stored.hasPendingChanges }
}
