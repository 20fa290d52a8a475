import Foundation
import Logging
import SluiceArtifacts
import SluiceKeyManager
import SluiceModel
import SluiceStorage

/// Lifecycle changes and redeployment of publisher APIs: the gateway folder is changed first (through
/// ``LifecycleExecutor``), then storage; when storage fails the folder is put back as it was.
package struct APIDeploymentService: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// The options of `change-lifecycle` (WSO2's `lifecycleChecklist` and the "push to gateway" switch).
    package struct Options: Sendable, Hashable {
        /// Deprecate the other published versions of the API (Publish only).
        package var deprecateOldVersions = false
        /// Do not carry the subscriptions of older versions over to this one (Publish only).
        package var requireResubscription = false
        /// Write the artifact; false lists the API in the store without deploying it.
        package var pushToGateway = true

        /// Creates options; the defaults are WSO2's.
        package init(deprecateOldVersions: Bool = false, requireResubscription: Bool = false, pushToGateway: Bool = true) {
            self.deprecateOldVersions = deprecateOldVersions
            self.requireResubscription = requireResubscription
            self.pushToGateway = pushToGateway
        }
    }

    /// Applies `action` to the API and makes the gateway folder match.
    /// - Returns: The updated record.
    /// - Throws: ``LifecycleError`` for illegal transitions or undeployable definitions; storage errors.
    func changeLifecycle(
        of record: APIRecord,
        action: LifecycleAction,
        options: Options,
        actor: String
    ) async throws -> APIRecord {
        var stored = record.stored
        // With a revision deployed the gateway serves that revision in every state; else the working copy.
        let serving = stored.defaultEnvironmentDeployment != nil ? stored.live : stored
        // Only the actions that put an API on the gateway may skip the gateway; Block and Deprecate must reach it,
        // or a blocked API would stay callable.
        let push: Bool =
            switch action {
            case .publish, .republish, .deployAsPrototype, .demoteToPrototyped: options.pushToGateway
            default: true
            }
        if let source = serving.synapseSource, let next = record.lifecycleState.applying(action), next.isDeployed,
            next != .blocked
        {
            // The source was checked for the state it was saved in; a prototype's may lack what publishing needs.
            let validator = APISourceValidator(builder: services.lifecycleExecutor.builder)
            try validator.checkHandlerChain(try validator.validate(source, for: serving.definition), for: serving.definition, in: next)
        }
        let executor = services.lifecycleExecutor.overriding(
            source: serving.synapseSource,
            of: serving.definition,
            in: record.lifecycleState.applying(action)
        )
        let outcome = try await executor.perform(
            action,
            from: record.lifecycleState,
            definition: serving.definition,
            options: LifecycleExecutor.Options(pushToGateway: push)
        )
        let wasDeployed = stored.gatewayDeployed
        switch action {
        case .demoteToCreated, .retire: stored.gatewayDeployed = false
        case .deprecate: break
        case .block: stored.gatewayDeployed = true
        case .publish, .republish, .deployAsPrototype, .demoteToPrototyped:
            // Without a push a re-publish keeps whatever is deployed; a first publish deploys nothing.
            stored.gatewayDeployed = push || (wasDeployed && record.lifecycleState.isDeployed)
        }
        stored.definition.lifeCycleStatus = outcome.newState
        // Pending edits are deployed once the action writes the working copy's versioned artifact (or removes the
        // API from the gateway); Block serves 700700 and Deprecate keeps the published artifact, so edits wait on.
        switch action {
        case .demoteToCreated, .retire:
            // Leaving the gateway undeploys every revision too (WSO2 undeploys a retired API's revisions).
            stored.deployed = nil
            stored.revisionDeployments = nil
        case .block: break
        default:
            if stored.defaultEnvironmentDeployment == nil,
                outcome.written.contains(services.lifecycleExecutor.builder.fileName(for: stored.definition))
            {
                stored.deployed = nil
            }
        }
        var updated = record
        updated.lifecycleState = outcome.newState
        updated.definition = stored.encoded()
        updated.updatedAt = Date()
        do {
            try await services.storage.updateAPI(updated)
            try await services.storage.recordLifecycleChange(
                LifecycleHistoryEntry(
                    apiID: record.id,
                    previousState: record.lifecycleState,
                    newState: outcome.newState,
                    action: action,
                    actor: actor,
                    changedAt: updated.updatedAt
                )
            )
        } catch {
            await restore(record, removing: outcome.written)
            throw error
        }
        services.configuration.onLifecycleChange?(updated.context, updated.version, updated.lifecycleState)
        if updated.isDefaultVersion && !outcome.written.isEmpty { try await releaseDefaultVersion(except: updated) }
        if action == .publish && outcome.previousState != .published {
            if options.deprecateOldVersions { try await deprecateOtherVersions(of: updated, actor: actor) }
            if !options.requireResubscription { try await carrySubscriptions(to: updated) }
        }
        return updated
    }

    /// Rewrites the artifact of an API that is deployed, after an edit (WSO2 redeploys edited published APIs).
    /// - Parameters:
    ///   - previous: The API before the edit.
    ///   - updated: The API after it (same name, version and provider).
    /// - Returns: The files written.
    /// - Throws: ``LifecycleError``-like failures as `APIValidationError` or `DeploymentError`.
    @discardableResult
    func redeploy(previous: APIRecord, updated: APIRecord) async throws -> [String] {
        // What `updated` serves: its deployed revision while edits are pending (a rollback), else the working copy.
        let stored = updated.stored.live
        guard stored.gatewayDeployed, updated.lifecycleState.isDeployed else { return [] }
        let deployer = services.lifecycleExecutor.deployer
        var written: [String] = []
        for file in try stored.artifactFiles(builder: services.lifecycleExecutor.builder, status: updated.lifecycleState) {
            try await deployer.write(file.xml, fileName: file.fileName)
            written.append(file.fileName)
        }
        let before = previous.stored.live.definition
        if before.isDefaultVersion && !stored.definition.isDefaultVersion {
            try await deployer.remove(fileName: services.lifecycleExecutor.builder.defaultVersionFileName(for: before))
        }
        return written
    }

    /// Whether `principal` may change what the gateway serves for a live API: users with the publisher role
    /// (`apim:api_publish`); a creator's edits of a live API are staged (``StoredAPI/deployed``).
    static func mayDeploy(_ principal: Principal) -> Bool { principal.has("apim:api_publish") }

    /// Writes the working copy of an API with pending changes to the gateway and clears the pending state; a
    /// storage failure puts the deployed revision back.
    func deployPendingChanges(of record: APIRecord) async throws {
        var stored = record.stored
        stored.deployed = nil
        stored.revisionDeployments?.removeAll { $0.environment == GatewayEnvironments.defaultName }
        var updated = record
        updated.definition = stored.encoded()
        updated.isDefaultVersion = stored.definition.isDefaultVersion
        updated.updatedAt = Date()
        guard stored.gatewayDeployed, record.lifecycleState.isDeployed else {
            try await services.storage.updateAPI(updated)
            return
        }
        try stored.definition.validate(forDeployment: true)
        let written = try await redeploy(previous: record, updated: updated)
        do {
            try await services.storage.updateAPI(updated)
        } catch {
            await restore(record, removing: written)
            throw error
        }
        if updated.isDefaultVersion { try await releaseDefaultVersion(except: updated) }
    }

    /// Stores `updated` and makes the gateway serve what it says (``StoredAPI/live``): its artifacts are written
    /// when it is on the gateway, else the ones `record` had there are removed. A storage failure puts the folder
    /// back as it was for `record`.
    func serve(_ updated: APIRecord, replacing record: APIRecord) async throws {
        var written: [String] = []
        if updated.stored.gatewayDeployed && updated.lifecycleState.isDeployed {
            try updated.stored.live.definition.validate(forDeployment: true)
            written = try await redeploy(previous: record, updated: updated)
        } else if record.stored.gatewayDeployed && record.lifecycleState.isDeployed {
            try await removeArtifacts(of: record.stored.live.definition)
        }
        // The failure is carried out of the catch before awaiting (an await inside a catch crashed the release
        // compiler, Swift 6.3.1).
        let failure: (any Error)?
        do {
            try await services.storage.updateAPI(updated)
            failure = nil
        } catch {
            failure = error
        }
        if let failure {
            await restore(record, removing: written)
            throw failure
        }
        if updated.isDefaultVersion && !written.isEmpty { try await releaseDefaultVersion(except: updated) }
    }

    /// Removes the versioned artifact of `definition` and, when it is the default version, the unversioned one.
    func removeArtifacts(of definition: APIDefinition) async throws {
        let builder = services.lifecycleExecutor.builder
        try await services.lifecycleExecutor.deployer.remove(fileName: builder.fileName(for: definition))
        if definition.isDefaultVersion {
            try await services.lifecycleExecutor.deployer.remove(fileName: builder.defaultVersionFileName(for: definition))
        }
    }

    /// Hands the default version over to `api`, whose default-version artifact has just been written: the other
    /// versions lose the flag, so retiring them later leaves that artifact alone.
    func releaseDefaultVersion(except api: APIRecord) async throws {
        for other in try await services.storage.apis()
        where other.id != api.id && other.provider == api.provider && other.name == api.name && other.isDefaultVersion {
            var stored = other.stored
            stored.definition.isDefaultVersion = false
            var updated = other
            updated.isDefaultVersion = false
            updated.definition = stored.encoded()
            try await services.storage.updateAPI(updated)
        }
    }

    /// Removes the artifacts of an API about to be deleted.
    func undeploy(_ record: APIRecord) async throws {
        try await removeArtifacts(of: record.stored.definition)
        if record.stored.live.definition.isDefaultVersion { try await removeArtifacts(of: record.stored.live.definition) }
    }

    // MARK: - Publish options

    private func deprecateOtherVersions(of api: APIRecord, actor: String) async throws {
        for other in try await services.storage.apis()
        where other.id != api.id && other.provider == api.provider && other.name == api.name
            && other.lifecycleState == .published
        {
            _ = try await changeLifecycle(of: other, action: .deprecate, options: Options(), actor: actor)
        }
    }

    /// WSO2 copies the subscriptions of the older versions to a newly published version unless the publisher
    /// asks for re-subscription; tiers the new version does not offer are not carried.
    private func carrySubscriptions(to api: APIRecord) async throws {
        let offered = Set(api.stored.definition.offeredTiers)
        let existing = Set(
            try await services.storage.subscriptions(to: APIKey(context: api.context, version: api.version)).map(
                \.applicationID
            )
        )
        var carried: Set<String> = existing
        for other in try await services.storage.apis()
        where other.id != api.id && other.provider == api.provider && other.name == api.name {
            let subscriptions = try await services.storage.subscriptions(
                to: APIKey(context: other.context, version: other.version)
            )
            for subscription in subscriptions
            where subscription.status == .unblocked && offered.contains(subscription.tier)
                && !carried.contains(subscription.applicationID)
            {
                _ = try await services.keyManager.subscribe(
                    applicationID: subscription.applicationID,
                    apiID: api.id,
                    tier: subscription.tier
                )
                carried.insert(subscription.applicationID)
            }
        }
    }

    // MARK: - Rollback

    /// Puts the gateway folder back as it was for `record` (what it served), after storage refused a change that
    /// wrote `written`.
    private func restore(_ record: APIRecord, removing written: [String]) async {
        let stored = record.stored.live
        let deployer = services.lifecycleExecutor.deployer
        do {
            for fileName in written { try await deployer.remove(fileName: fileName) }
            if stored.gatewayDeployed && record.lifecycleState.isDeployed {
                let builder = services.lifecycleExecutor.builder
                for file in try stored.artifactFiles(builder: builder, status: record.lifecycleState) {
                    try await deployer.write(file.xml, fileName: file.fileName)
                }
            }
        } catch {
            logger.error(
                "Could not restore the gateway artifacts after a failed lifecycle change",
                metadata: [
                    "sluice.api": "\(record.provider)--\(record.name):\(record.version)", "sluice.error": "\(error)",
                ]
            )
        }
    }
}

extension APIDefinition {
    /// The subscription tiers subscribers may choose; an API that names none offers `Unlimited`.
    package var offeredTiers: [String] { policies.isEmpty ? [ThrottleTier.unlimited.name] : policies }
}
