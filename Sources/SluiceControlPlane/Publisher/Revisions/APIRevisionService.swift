import Foundation
import Logging
package import SluiceStorage

/// WSO2's API revisions: immutable snapshots of an API (its definition and hand-edited Synapse source) that can be
/// deployed to a gateway environment, undeployed, and restored as the working copy.
///
/// A revision deployed to `Default` is what this deployment's gateways serve for the API: edits of the working copy
/// and lifecycle changes leave it in place (Publish, Block, Deprecate act on the deployed revision), until another
/// revision is deployed or it is undeployed. An API that never gets a revision keeps Sluice's older behaviour:
/// publishing deploys the working copy (WSO2 4.x deploys only revisions). Writes run through the publisher gate.
package struct APIRevisionService: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// Creates the service.
    package init(services: APIManagerServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// WSO2's default limit of revisions per API (`MAXIMUM_REVISIONS_REACHED` beyond it).
    package static let maximumRevisions = 5
    /// Scopes that may read revisions and deployments (WSO2's).
    package static let readScopes = [
        "apim:api_view", "apim:api_create", "apim:api_manage", "apim:api_publish", "apim:api_import_export",
    ]
    /// Scopes that may make and delete revisions (WSO2's): a snapshot changes nothing a gateway serves.
    package static let writeScopes = ["apim:api_create", "apim:api_manage", "apim:api_publish", "apim:api_import_export"]
    /// Scopes that may deploy and undeploy. WSO2 also lets `apim:api_create` deploy; Sluice keeps its rule that a
    /// live API changes only through a publisher.
    package static let deployScopes = ["apim:api_publish", "apim:api_manage"]
    /// Scopes that may undeploy: the deployers, and apictl's import-export role (WSO2's).
    package static let undeployScopes = deployScopes + ["apim:api_import_export"]
    /// Scopes that may restore a revision as the working copy (WSO2's; a creator's restore of a live API is staged
    /// like an edit).
    package static let restoreScopes = ["apim:api_create", "apim:api_manage", "apim:api_publish"]

    /// A revision and where it is deployed.
    package struct Revision: Sendable {
        package var record: APIRevisionRecord
        package var deployments: [RevisionDeployment]
    }

    /// One environment of a deploy or undeploy request.
    package struct Target: Sendable, Hashable {
        package var environment: String
        package var vhost: String?
        package var displayOnDevportal: Bool

        package init(environment: String, vhost: String? = nil, displayOnDevportal: Bool = true) {
            self.environment = environment
            self.vhost = vhost
            self.displayOnDevportal = displayOnDevportal
        }
    }

    private var deployment: APIDeploymentService { APIDeploymentService(services: services, logger: logger) }

    // MARK: - Revisions

    /// The API's revisions by number; `deployed` true keeps only those deployed somewhere, false only the others.
    /// - Throws: ``ManagementError`` 403, 404.
    package func revisions(apiID: String, deployed: Bool? = nil, by principal: Principal) async throws -> [Revision] {
        try principal.requireAny(Self.readScopes)
        let record = try await PublisherSupport.api(apiID, services)
        let all = try await revisions(of: record)
        guard let deployed else { return all }
        return all.filter { $0.deployments.isEmpty != deployed }
    }

    /// One revision.
    /// - Throws: ``ManagementError`` 403, 404 (900347 for the revision).
    package func revision(apiID: String, revisionID: String, by principal: Principal) async throws -> Revision {
        try principal.requireAny(Self.readScopes)
        let record = try await PublisherSupport.api(apiID, services)
        let revision = try await revisionRecord(apiID: apiID, revisionID: revisionID)
        return Revision(record: revision, deployments: deployments(of: revision.id, in: record))
    }

    /// Snapshots the working copy as the next revision.
    /// - Throws: ``ManagementError`` 403, 404, 400 (900351 at the limit; a description over 255 characters).
    package func create(apiID: String, description: String?, by principal: Principal) async throws -> Revision {
        try principal.requireAny(Self.writeScopes)
        if let description, description.count > 255 {
            throw ManagementError.badRequest("description: at most 255 characters")
        }
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            let existing = try await services.storage.revisions(apiID: apiID)
            guard existing.count < Self.maximumRevisions else {
                throw ManagementError.wso2(
                    .badRequest, code: 900351, "Can not create API Revision",
                    "Maximum number of revisions per API has reached. Need to remove any revision to create a new "
                        + "Revision for API with API UUID: \(apiID)"
                )
            }
            let stored = record.stored
            let snapshot = StoredAPI.Revision(definition: stored.definition, synapseSource: stored.synapseSource)
            let revision = APIRevisionRecord(
                id: UUID().uuidString.lowercased(),
                apiID: apiID,
                number: (existing.map(\.number).max() ?? 0) + 1,
                description: description,
                snapshot: try JSONEncoder().encode(snapshot),
                createdAt: Date()
            )
            try await services.storage.createRevision(revision)
            return Revision(record: revision, deployments: [])
        }
    }

    /// Deletes a revision that is deployed nowhere.
    /// - Returns: The API's remaining revisions.
    /// - Throws: ``ManagementError`` 403, 404, 400 (900348 while deployed).
    package func delete(apiID: String, revisionID: String, by principal: Principal) async throws -> [Revision] {
        try principal.requireAny(Self.writeScopes)
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            let revision = try await revisionRecord(apiID: apiID, revisionID: revisionID)
            guard deployments(of: revision.id, in: record).isEmpty else {
                throw ManagementError.wso2(
                    .badRequest, code: 900348, "Can not delete API Revision",
                    "Couldn't delete API revision since API revision is currently deployed to a gateway. You need to "
                        + "undeploy the API Revision from the gateway before attempting deleting API Revision: \(revisionID)"
                )
            }
            _ = try await services.storage.deleteRevision(apiID: apiID, id: revision.id)
            return try await revisions(of: record)
        }
    }

    /// Makes the working copy equal to a revision. When the gateway serves the working copy itself, a publisher's
    /// restore is deployed at once and a creator's waits for a publisher (as an edit does).
    /// - Returns: The updated API.
    /// - Throws: ``ManagementError`` 403, 404; what an edit throws (tiers removed since, an undeployable source).
    package func restore(apiID: String, revisionID: String, by principal: Principal) async throws -> APIRecord {
        try principal.requireAny(Self.restoreScopes)
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            let snapshot = try await snapshot(of: try await revisionRecord(apiID: apiID, revisionID: revisionID))
            let before = record.stored
            var definition = snapshot.definition
            definition.id = record.id
            definition.provider = record.provider
            definition.name = record.name
            definition.version = record.version
            definition.lifeCycleStatus = record.lifecycleState
            definition.clientCertificates = before.definition.clientCertificates
            try await PublisherSupport.check(&definition, services: services, replacing: record)
            var stored = before
            // Without a deployed revision the gateway serves the working copy: a publisher's restore deploys (with
            // any edits waiting before it), anyone else's waits for a publisher, as an edit does.
            let live = before.gatewayDeployed && record.lifecycleState.isDeployed
                && before.defaultEnvironmentDeployment == nil
            if live {
                if APIDeploymentService.mayDeploy(principal) { stored.deployed = nil } else { stored.keepDeployedRevision() }
            }
            stored.definition = definition
            stored.synapseSource = snapshot.synapseSource
            var updated = record
            updated.description = definition.description
            updated.visibility = (definition.visibility ?? .public).rawValue
            updated.isDefaultVersion = definition.isDefaultVersion
            updated.tags = definition.tags
            updated.definition = stored.encoded()
            updated.updatedAt = Date()
            if live && stored.servesWorkingCopy {
                try await deployment.serve(updated, replacing: record)
            } else {
                try await services.storage.updateAPI(updated)
            }
            return try await PublisherSupport.api(apiID, services)
        }
    }

    // MARK: - Deployments

    /// Where the API's revisions are deployed, by environment name.
    /// - Throws: ``ManagementError`` 403, 404.
    package func deployments(apiID: String, by principal: Principal) async throws -> [RevisionDeployment] {
        try principal.requireAny(Self.readScopes)
        return (try await PublisherSupport.api(apiID, services).stored.revisionDeployments ?? [])
            .sorted { $0.environment < $1.environment }
    }

    /// Deploys a revision to environments (replacing what each served); on `Default` the gateways serve it at once
    /// when the API is in a deployed state (PUBLISHED, PROTOTYPED, DEPRECATED, BLOCKED), else from its publication.
    /// - Returns: Every deployment of the API.
    /// - Throws: ``ManagementError`` 403, 404 (900347), 400 (900504 unknown environment, a retired API); the
    ///   artifact's deployment errors (storage and folder are left as they were).
    package func deploy(apiID: String, revisionID: String, to targets: [Target], by principal: Principal)
        async throws -> [RevisionDeployment]
    {
        try principal.requireAny(Self.deployScopes)
        guard !targets.isEmpty else { throw ManagementError.badRequest("Name the gateway environments to deploy to") }
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            guard record.lifecycleState != .retired else {
                throw ManagementError.badRequest("Deploying API Revisions is not supported for retired APIs. ApiId: \(apiID)")
            }
            let revision = try await revisionRecord(apiID: apiID, revisionID: revisionID)
            let snapshot = try await snapshot(of: revision)
            try Self.checkEnvironments(targets)
            var stored = record.stored
            var deployments = stored.revisionDeployments ?? []
            let now = Date()
            for target in targets {
                deployments.removeAll { $0.environment == target.environment }
                deployments.append(
                    RevisionDeployment(
                        revisionID: revision.id,
                        environment: target.environment,
                        vhost: target.vhost ?? services.configuration.gateway.host,
                        displayOnDevportal: target.displayOnDevportal,
                        deployedAt: now
                    )
                )
            }
            stored.revisionDeployments = deployments
            var updated = record
            if targets.contains(where: { $0.environment == GatewayEnvironments.defaultName }) {
                stored.deployed = snapshot
                if record.lifecycleState.isDeployed { stored.gatewayDeployed = true }
                updated.definition = stored.encoded()
                updated.updatedAt = now
                try await deployment.serve(updated, replacing: record)
            } else {
                updated.definition = stored.encoded()
                try await services.storage.updateAPI(updated)
            }
            return deployments.sorted { $0.environment < $1.environment }
        }
    }

    /// Undeploys a revision (or whatever is deployed when `revisionID` is nil) from the environments named, or from
    /// every environment with `allEnvironments`; leaving `Default` takes the API off the gateways.
    /// - Returns: The deployments left.
    /// - Throws: ``ManagementError`` 403, 404 (the API, the revision, or 900356 when nothing matched), 400.
    package func undeploy(
        apiID: String,
        revisionID: String?,
        from targets: [Target],
        allEnvironments: Bool,
        by principal: Principal
    ) async throws -> [RevisionDeployment] {
        try principal.requireAny(Self.undeployScopes)
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            if let revisionID { _ = try await revisionRecord(apiID: apiID, revisionID: revisionID) }
            let names = Set(targets.map(\.environment))
            var stored = record.stored
            let current = stored.revisionDeployments ?? []
            let leaving = current.filter { deployment in
                (revisionID == nil || deployment.revisionID == revisionID)
                    && (allEnvironments || names.contains(deployment.environment))
            }
            guard !leaving.isEmpty else {
                throw ManagementError.wso2(
                    .notFound, code: 900356, "Existing Deployment Not Found",
                    "Deployment with \(revisionID.map { "revision \($0) in " } ?? "")"
                        + "\(allEnvironments ? "any environment" : names.sorted().joined(separator: ", ")) not found"
                )
            }
            stored.revisionDeployments = current.filter { !leaving.contains($0) }
            var updated = record
            if leaving.contains(where: { $0.environment == GatewayEnvironments.defaultName }) {
                stored.deployed = nil
                stored.gatewayDeployed = false
                updated.definition = stored.encoded()
                updated.updatedAt = Date()
                try await deployment.serve(updated, replacing: record)
            } else {
                updated.definition = stored.encoded()
                try await services.storage.updateAPI(updated)
            }
            return stored.revisionDeployments ?? []
        }
    }

    /// Changes whether the developer portal shows a deployment (WSO2's `PUT /deployments/{deploymentId}`; the id is
    /// the environment's name, or its base64url encoding as WSO2 answers it).
    /// - Throws: ``ManagementError`` 403, 404 (900356).
    package func updateDeployment(
        apiID: String,
        deploymentID: String,
        displayOnDevportal: Bool,
        by principal: Principal
    ) async throws -> RevisionDeployment {
        try principal.requireAny(Self.deployScopes)
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            var stored = record.stored
            var deployments = stored.revisionDeployments ?? []
            let names = [deploymentID, Self.decodedDeploymentID(deploymentID)].compactMap { $0 }
            guard let index = deployments.firstIndex(where: { names.contains($0.environment) }) else {
                throw ManagementError.wso2(
                    .notFound, code: 900356, "Existing Deployment Not Found", "Deployment with \(deploymentID) not found"
                )
            }
            deployments[index].displayOnDevportal = displayOnDevportal
            stored.revisionDeployments = deployments
            var updated = record
            updated.definition = stored.encoded()
            try await services.storage.updateAPI(updated)
            return deployments[index]
        }
    }

    /// WSO2's deployment id: the environment's name in base64url without padding.
    package static func deploymentID(of deployment: RevisionDeployment) -> String {
        Data(deployment.environment.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func decodedDeploymentID(_ id: String) -> String? {
        var base64 = id.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) }
    }

    // MARK: - Helpers

    private func revisions(of record: APIRecord) async throws -> [Revision] {
        try await services.storage.revisions(apiID: record.id).map { revision in
            Revision(record: revision, deployments: deployments(of: revision.id, in: record))
        }
    }

    private func deployments(of revisionID: String, in record: APIRecord) -> [RevisionDeployment] {
        (record.stored.revisionDeployments ?? []).filter { $0.revisionID == revisionID }
    }

    private func revisionRecord(apiID: String, revisionID: String) async throws -> APIRevisionRecord {
        guard let revision = try await services.storage.revision(apiID: apiID, id: revisionID) else {
            throw ManagementError.wso2(
                .notFound, code: 900347, "API Revision Not Found", "Requested API Revision with id \(revisionID) not found"
            )
        }
        return revision
    }

    private func snapshot(of revision: APIRevisionRecord) async throws -> StoredAPI.Revision {
        do {
            return try JSONDecoder().decode(StoredAPI.Revision.self, from: revision.snapshot)
        } catch {
            logger.error("Unreadable API revision", metadata: ["sluice.revision": "\(revision.id)"])
            throw ManagementError.internalError("The revision's snapshot cannot be read")
        }
    }

    static func checkEnvironments(_ targets: [Target]) throws {
        for target in targets where target.environment != GatewayEnvironments.defaultName {
            throw ManagementError.wso2(
                .badRequest, code: 900504, "Invalid Gateway Environment",
                "Gateway Environment with name '\(target.environment)' not found"
            )
        }
    }
}
