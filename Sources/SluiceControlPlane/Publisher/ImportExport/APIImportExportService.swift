import Foundation
import Logging
import SluiceArtifacts
import SluiceModel
package import SluiceStorage

/// Exporting an API as an apictl-style project and importing one: the logic behind WSO2's
/// `GET /api/am/publisher/v4/apis/export` and `POST /apis/import`, which `sluice api export|import` call.
///
/// An import goes through the same services as the REST API's own writes (create or update, the source view,
/// documents, lifecycle), so it checks exactly what they check. A new API that fails half way (a source the
/// gateway refuses, a document, a lifecycle step) is deleted again: an import either lands whole or not at all.
package struct APIImportExportService: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// Creates the service.
    package init(services: APIManagerServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// The scopes WSO2's export takes (any one of them).
    package static let exportScopes = [
        "apim:api_view", "apim:api_publish", "apim:api_create", "apim:api_import_export", "apim:api_manage",
    ]
    /// The scopes WSO2's import takes (any one of them).
    package static let importScopes = ["apim:api_import_export", "apim:admin"]

    /// Which API to export: by id, or by name and version (and provider when several providers use the name).
    package struct Selection: Sendable, Hashable {
        package var apiID: String?
        package var name: String?
        package var version: String?
        package var provider: String?

        /// Creates a selection.
        package init(apiID: String? = nil, name: String? = nil, version: String? = nil, provider: String? = nil) {
            self.apiID = apiID
            self.name = name
            self.version = version
            self.provider = provider
        }
    }

    /// How an import treats an existing API and the archive's provider.
    package struct ImportOptions: Sendable, Hashable {
        /// Update the existing API of the same name and version (WSO2's `overwrite`); without it, one is a 409.
        package var overwrite: Bool
        /// Keep the archive's provider (WSO2's default); false makes the caller the provider.
        package var preserveProvider: Bool

        /// Creates options.
        package init(overwrite: Bool = false, preserveProvider: Bool = true) {
            self.overwrite = overwrite
            self.preserveProvider = preserveProvider
        }
    }

    // MARK: - Export

    /// The API as a project.
    /// - Parameters:
    ///   - selection: The API.
    ///   - preserveStatus: Keep the lifecycle state in the definition (WSO2's default); false exports it as new.
    ///   - principal: The caller; needs one of ``exportScopes``.
    /// - Throws: ``ManagementError`` 400 without an id or a name and version, 403, 404.
    package func project(_ selection: Selection, preserveStatus: Bool = true, by principal: Principal) async throws
        -> APIProject
    {
        try principal.requireAny(Self.exportScopes)
        let record = try await self.record(selection)
        let stored = record.stored
        var definition = stored.definition
        if !preserveStatus { definition.lifeCycleStatus = nil }
        // Certificates are resources of their own, uploaded per server; they do not travel with the definition.
        definition.clientCertificates = []
        var project = APIProject(
            definition: definition,
            openAPI: APIProject.OpenAPIDocument(bytes: APIOpenAPIDefinition.document(for: definition), isYAML: false)
        )
        if let source = stored.synapseSource {
            project.synapseSource = (services.lifecycleExecutor.builder.fileName(for: definition), source)
        }
        project.documents = try await exportedDocuments(apiID: record.id)
        let named = Set(definition.policies)
        project.tiers = try await services.tiers(.subscription)
            .filter { named.contains($0.name) && $0.name != ThrottleTier.unlimited.name }
            .map(ThrottlePolicyDTO.init)
        return project
    }

    /// The API as a zip archive (apictl's `Name_version.zip` holding `Name-version/`).
    /// - Returns: The archive's file name and bytes.
    /// - Throws: What ``project(_:preserveStatus:by:)`` throws.
    package func export(
        _ selection: Selection,
        format: APIProject.Format = .yaml,
        preserveStatus: Bool = true,
        by principal: Principal
    ) async throws -> (fileName: String, archive: Data) {
        let project = try await self.project(selection, preserveStatus: preserveStatus, by: principal)
        let archive = try APIProjectArchive.zip(try project.files(format: format), rootFolder: project.rootFolderName)
        return (project.archiveName, archive)
    }

    private func record(_ selection: Selection) async throws -> APIRecord {
        if let apiID = selection.apiID, !apiID.isEmpty { return try await PublisherSupport.api(apiID, services) }
        guard let name = selection.name, let version = selection.version, !name.isEmpty, !version.isEmpty else {
            throw ManagementError.badRequest("Give apiId, or name and version (and providerName) of the API")
        }
        let matches = try await services.storage.apis().filter {
            $0.name == name && $0.version == version && (selection.provider == nil || $0.provider == selection.provider)
        }
        guard let record = matches.first else { throw ManagementError.notFound("API \(name) \(version) not found") }
        guard matches.count == 1 else {
            throw ManagementError.conflict("Several providers have an API \(name) \(version): give providerName")
        }
        return record
    }

    // MARK: - Import

    /// Creates or updates an API from a zip archive.
    /// - Throws: ``ManagementError`` 400 for an archive that cannot be read (naming the file), 403, 404 (overwrite
    ///   of an API that does not exist), 409 (an API exists and overwrite is off); what the publisher's create,
    ///   update, source and document operations throw.
    package func importArchive(_ archive: Data, options: ImportOptions, by principal: Principal) async throws
        -> APIRecord
    {
        try principal.requireAny(Self.importScopes)
        let project: APIProject
        do throws(APIProjectError) {
            project = try APIProject(files: try APIProjectArchive.files(inZip: archive))
        } catch {
            throw ManagementError.badRequest("The API archive cannot be imported: \(error.description)")
        }
        return try await importProject(project, options: options, by: principal)
    }

    /// Creates or updates an API from a project; see ``importArchive(_:options:by:)``.
    package func importProject(_ project: APIProject, options: ImportOptions, by principal: Principal) async throws
        -> APIRecord
    {
        try principal.requireAny(Self.importScopes)
        var definition = project.definition
        let status = definition.lifeCycleStatus ?? .created
        if !options.preserveProvider || definition.provider == nil { definition.provider = principal.username }
        let existing = try await services.storage.apis().first {
            $0.name == definition.name && $0.version == definition.version
        }
        let publisher = PublisherAPIService(services: services, logger: logger)
        let label = "\(definition.name) \(definition.version)"
        if let existing {
            guard options.overwrite else {
                throw ManagementError.conflict("An API \(label) exists already (overwrite=true updates it)")
            }
            definition.provider = existing.provider
            var record = try await publisher.update(apiID: existing.id, with: definition, by: principal)
            record = try await applyContents(of: project, to: record, replacingDocuments: true, by: principal)
            logger.info("API updated from an archive", metadata: ["sluice.api": "\(record.id)"])
            return record
        }
        guard !options.overwrite else {
            throw ManagementError.notFound("No API \(label) to update: import it without overwrite to create it")
        }
        definition.lifeCycleStatus = nil
        let created = try await publisher.create(definition, by: principal)
        let failure: any Error
        do {
            var record = try await applyContents(of: project, to: created, replacingDocuments: false, by: principal)
            for action in Self.actions(reaching: status) {
                record = try await publisher.changeLifecycle(action, apiID: record.id, by: principal)
            }
            logger.info("API created from an archive", metadata: ["sluice.api": "\(record.id)"])
            return record
        } catch {
            failure = error
        }
        // All or nothing: the new API goes again, with its documents (outside the catch: no await in one).
        await discard(apiID: created.id)
        throw failure
    }

    /// The hand-edited source and the documents of `project` applied to the API.
    private func applyContents(
        of project: APIProject,
        to record: APIRecord,
        replacingDocuments: Bool,
        by principal: Principal
    ) async throws -> APIRecord {
        var record = record
        if let source = project.synapseSource {
            record = try await APISourceService(services: services, logger: logger).save(
                source.xml,
                apiID: record.id,
                by: principal
            )
        }
        try await importDocuments(project.documents, apiID: record.id, replacing: replacingDocuments, by: principal)
        return record
    }

    // MARK: - Shared with the API product's import and export

    /// The documents of an API (or product) as project documents, with their text or file.
    func exportedDocuments(apiID: String) async throws -> [APIProject.Document] {
        let documents = DocumentService(services: services)
        var entries: [APIProject.Document] = []
        for document in try await services.storage.documents(apiID: apiID) {
            var entry = APIProject.Document(
                name: document.name,
                type: document.type,
                sourceType: document.sourceType,
                summary: document.summary,
                sourceUrl: document.sourceURL,
                visibility: document.visibility,
                content: document.content.map { Data($0.utf8) }
            )
            if document.sourceType == "FILE", let file = try? await documents.file(of: document) {
                entry.content = file.data
                entry.contentFileName = file.fileName
            }
            entries.append(entry)
        }
        return entries
    }

    /// Creates the project's documents on an API (or product), after deleting its own when `replacing`; each goes
    /// through the document service's checks.
    func importDocuments(_ imported: [APIProject.Document], apiID: String, replacing: Bool, by principal: Principal)
        async throws
    {
        let documents = DocumentService(services: services)
        if replacing {
            for document in try await documents.documents(apiID: apiID, by: principal) {
                try await documents.delete(documentID: document.id, apiID: apiID, by: principal)
            }
        }
        for document in imported {
            let isFile = document.sourceType == "FILE"
            let created = try await documents.create(
                DocumentService.Draft(
                    name: document.name,
                    type: document.type,
                    sourceType: document.sourceType,
                    summary: document.summary,
                    sourceURL: document.sourceUrl,
                    content: isFile ? nil : document.content.map { String(decoding: $0, as: UTF8.self) },
                    visibility: document.visibility
                ),
                apiID: apiID,
                by: principal
            )
            if isFile, let content = document.content {
                _ = try await documents.setContent(
                    .file(APIDocumentContent(data: content, fileName: document.contentFileName)),
                    documentID: created.id,
                    apiID: apiID,
                    by: principal
                )
            }
        }
    }

    /// Takes an API (or product) made by an import that failed half way off the gateways and out of storage, with
    /// its documents: an import lands whole or not at all.
    func discard(apiID: String) async {
        try? await services.publisherGate.run {
            if let record = try? await PublisherSupport.api(apiID, services) {
                try? await APIDeploymentService(services: services, logger: logger).undeploy(record)
            }
            _ = try await services.storage.deleteAPI(id: apiID)
        }
    }

    /// The lifecycle actions taking a new (CREATED) API to `state` along WSO2's transitions.
    static func actions(reaching state: APILifecycleState) -> [LifecycleAction] {
        switch state {
        case .created: []
        case .prototyped: [.deployAsPrototype]
        case .published: [.publish]
        case .blocked: [.publish, .block]
        case .deprecated: [.publish, .deprecate]
        case .retired: [.publish, .deprecate, .retire]
        }
    }
}
