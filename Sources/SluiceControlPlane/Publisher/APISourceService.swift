import Foundation
import Logging
package import SluiceArtifacts
package import SluiceModel
package import SluiceStorage

/// The publisher's XML source view of an API: the generated Synapse artifact, and a hand-edited source that
/// overrides it (WSO2 lets a publisher override the generated synapse configuration of an API).
///
/// How an edit relates to the definition:
/// - A saved source is checked first (the gateway's parser and diagnostics, plus: one `<api>`, same name and
///   context, and, on a node with a gateway, the gateway's compiler through
///   ``APIManagerConfiguration/checkAPISource``); a refused source changes nothing, neither storage nor the
///   gateway folder.
/// - While a source is stored it is what the gateway gets for the API's versioned artifact, in every deployed
///   state but BLOCKED (a block always serves the 700700 artifact; Re-Publish brings the edit back). The
///   default-version artifact stays generated: it only forwards to the versioned one.
/// - "Revert to generated" drops the source and deploys the generated artifact again.
/// - Editing the definition (form or `PUT /apis/{id}`) regenerates the artifact and drops the source, so the
///   definition and the gateway never silently disagree; the edit form says so while a source exists.
package struct APISourceService: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// Creates the service.
    package init(services: APIManagerServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// What the source view shows.
    package struct SourceView: Sendable, Hashable {
        /// The artifact file name, `provider--Name_vVersion.xml`.
        package var fileName: String
        /// The generated XML for the state shown (the published artifact while the API is CREATED or RETIRED).
        /// Nil when the definition cannot be deployed yet (no endpoint); ``generationProblem`` says why.
        package var generated: String?
        /// Why nothing could be generated.
        package var generationProblem: String?
        /// The stored hand-edited source, if any.
        package var override: String?
        /// The state the generated XML is rendered for.
        package var renderedState: APILifecycleState

        /// What the gateway gets (or will get when deployed): the override, else the generated XML.
        package var effective: String? { override ?? generated }
    }

    /// The source view of an API.
    /// - Throws: ``ManagementError`` 404 for an unknown API.
    package func view(apiID: String) async throws -> SourceView {
        let record = try await PublisherSupport.api(apiID, services)
        let stored = record.stored
        let builder = services.lifecycleExecutor.builder
        let state: APILifecycleState = record.lifecycleState.isDeployed ? record.lifecycleState : .published
        var view = SourceView(
            fileName: builder.fileName(for: stored.definition),
            override: stored.synapseSource,
            renderedState: state
        )
        do {
            view.generated = try APIArtifactEmitter(builder: builder).emit(stored.definition, status: state).first?.xml
        } catch {
            view.generationProblem = error.description
        }
        return view
    }

    /// Validates `source` and, when it passes, stores it and deploys it if the API is on the gateway.
    /// - Parameters:
    ///   - source: The edited XML.
    ///   - apiID: The API.
    ///   - principal: The caller; needs `apim:api_create`, like any edit of an API.
    /// - Returns: The updated record.
    /// - Throws: ``APISourceError`` for a source that does not pass (nothing is stored or written);
    ///   ``ManagementError`` 403, 404; deployment or storage errors (the folder is put back).
    package func save(_ source: String, apiID: String, by principal: Principal) async throws -> APIRecord {
        try await saveReportingWarnings(source, apiID: apiID, by: principal).record
    }

    /// ``save(_:apiID:by:)``, and the warnings the gateway's deployment gives the saved source (text and elements
    /// Synapse ignores, references nothing deployed defines), so the editor can show them.
    package func saveReportingWarnings(
        _ source: String,
        apiID: String,
        by principal: Principal
    ) async throws -> (record: APIRecord, warnings: [APISourceError.Problem]) {
        try principal.require("apim:api_create")
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            var stored = record.stored
            let validator = APISourceValidator(builder: services.lifecycleExecutor.builder)
            let (api, readWarnings) = try validator.validateReportingWarnings(source, for: stored.definition)
            // A prototype's source is checked again with the published chain when it is published.
            try validator.checkHandlerChain(
                api,
                for: stored.definition,
                in: record.lifecycleState == .prototyped ? .prototyped : .published
            )
            // The gateway keeps serving the previous artifact when a new one does not compile, so a source it
            // cannot compile is refused here rather than reported as deployed.
            let compilation = services.configuration.checkAPISource?(api) ?? APISourceCompilation()
            if let problem = compilation.problem {
                throw APISourceError(
                    problems: [
                        APISourceError.Problem(line: problem.line, column: problem.column, message: problem.message)
                    ]
                )
            }
            stage(&stored, of: record, by: principal)
            stored.synapseSource = source
            let warnings = readWarnings + compilation.warnings.map {
                APISourceError.Problem(line: $0.line, column: $0.column, message: $0.message)
            }
            return (try await replace(record, with: stored), warnings)
        }
    }

    /// Drops the hand-edited source and deploys the generated artifact again if the API is on the gateway.
    /// - Returns: The updated record.
    /// - Throws: ``ManagementError`` 403 without `apim:api_create`, 404 or 400 (no source to revert); deployment
    ///   or storage errors.
    package func revertToGenerated(apiID: String, by principal: Principal) async throws -> APIRecord {
        try principal.require("apim:api_create")
        return try await services.publisherGate.run {
            let record = try await PublisherSupport.api(apiID, services)
            var stored = record.stored
            guard stored.synapseSource != nil else {
                throw ManagementError.badRequest("The API has no edited source; it already uses the generated one")
            }
            stage(&stored, of: record, by: principal)
            stored.synapseSource = nil
            return try await replace(record, with: stored)
        }
    }

    /// Decides whether an edit reaches the gateway: a user with the publisher role deploys it (with any edits
    /// waiting before it); a source edit of a live API by anyone else is stored and waits for a publisher
    /// (``StoredAPI/deployed``).
    private func stage(_ stored: inout StoredAPI, of record: APIRecord, by principal: Principal) {
        if stored.defaultEnvironmentDeployment != nil {
            // The gateway serves a deployed revision; the edit reaches it with a revision made after it.
            return
        } else if APIDeploymentService.mayDeploy(principal) {
            stored.deployed = nil
        } else if stored.gatewayDeployed && record.lifecycleState.isDeployed {
            stored.keepDeployedRevision()
        }
    }

    /// Writes the versioned artifact for `stored` when the API is deployed and nothing waits for a publisher, then
    /// stores it; a storage failure puts the previous artifact back.
    private func replace(_ record: APIRecord, with stored: StoredAPI) async throws -> APIRecord {
        var updated = record
        updated.definition = stored.encoded()
        updated.updatedAt = Date()
        let builder = services.lifecycleExecutor.builder
        let deployer = services.lifecycleExecutor.deployer
        let live = stored.gatewayDeployed && record.lifecycleState.isDeployed && record.lifecycleState != .blocked
            && stored.servesWorkingCopy
        let fileName = builder.fileName(for: stored.definition)
        if live {
            let xml = try stored.versionedXML(builder: builder, status: record.lifecycleState)
            try await deployer.write(xml, fileName: fileName)
        }
        // The failure is carried out of the catch before awaiting: an await inside that catch crashed the release
        // compiler (Swift 6.3.1, coroutine splitting).
        let failure: (any Error)?
        do {
            try await services.storage.updateAPI(updated)
            failure = nil
        } catch {
            failure = error
        }
        if let failure {
            if live { await restoreArtifact(of: record, fileName: fileName) }
            throw failure
        }
        return updated
    }

    /// Puts the API's previous artifact back after its source change could not be stored.
    private func restoreArtifact(of record: APIRecord, fileName: String) async {
        let builder = services.lifecycleExecutor.builder
        do {
            let previous = try record.stored.live.versionedXML(builder: builder, status: record.lifecycleState)
            try await services.lifecycleExecutor.deployer.write(previous, fileName: fileName)
        } catch {
            logger.error(
                "Could not restore the gateway artifact after a failed source change",
                metadata: ["sluice.api": "\(fileName)", "sluice.error": "\(error)"]
            )
        }
    }
}

extension StoredAPI {
    /// The files to deploy for the API in `status`: the generated ones, with the hand-edited source in place of
    /// the versioned artifact while one is stored (never for a blocked API).
    /// - Throws: `APIValidationError` when the definition cannot be deployed.
    func artifactFiles(
        builder: APITemplateBuilder,
        status: APILifecycleState
    ) throws(APIValidationError) -> [APIArtifactEmitter.EmittedFile] {
        var files = try APIArtifactEmitter(builder: builder).emit(definition, status: status)
        if let synapseSource, status != .blocked, !files.isEmpty {
            files[0].xml = synapseSource
        }
        return files
    }

    /// The XML of the versioned artifact in `status` (the source override when there is one).
    func versionedXML(builder: APITemplateBuilder, status: APILifecycleState) throws(APIValidationError) -> String {
        if let synapseSource, status != .blocked { return synapseSource }
        let fileName = builder.fileName(for: definition)
        let files = try APIArtifactEmitter(builder: builder).emit(definition, status: status)
        return files.first { $0.fileName == fileName }?.xml ?? ""
    }
}
