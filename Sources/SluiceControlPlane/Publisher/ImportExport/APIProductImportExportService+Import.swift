import Foundation
import SluiceArtifacts
import SluiceModel
import SluiceStorage

extension APIProductImportExportService {
    /// Creates or updates a product (and, with `importAPIs`, its APIs) from a zip archive.
    /// - Returns: The product as stored.
    /// - Throws: ``ManagementError`` 400 for an archive that cannot be read (naming the file) or an unknown gateway
    ///   environment, 403, 404 (an API of the product neither here nor brought; `overwriteAPIProduct` of a product
    ///   that does not exist), 409 (the product exists and `overwriteAPIProduct` is off); what the services of the
    ///   publisher's own writes throw. Nothing is stored when a check fails.
    package func importArchive(_ archive: Data, options: ImportOptions, by principal: Principal) async throws
        -> APIProductService.Product
    {
        try principal.requireAny(Self.importScopes)
        let project: APIProductProject
        do throws(APIProjectError) {
            project = try APIProductProject(files: try APIProjectArchive.files(inZip: archive))
        } catch {
            throw ManagementError.badRequest("The API Product archive cannot be imported: \(error.description)")
        }
        return try await importProject(project, options: options, by: principal)
    }

    /// Creates or updates a product from a project; see ``importArchive(_:options:by:)``.
    package func importProject(_ project: APIProductProject, options: ImportOptions, by principal: Principal)
        async throws -> APIProductService.Product
    {
        try principal.requireAny(Self.importScopes)
        var options = options
        // WSO2's rule: bringing APIs takes the API import scope too; without it the flag is ignored.
        options.importAPIs = options.importAPIs && principal.has(Self.apiImportScope)
        let existing = try await check(project, options: options)
        var created: [String] = []
        let failure: any Error
        do {
            return try await write(project, over: existing, options: options, by: principal, created: &created)
        } catch {
            failure = error
        }
        // All or nothing: what this import created goes again, the product first (outside the catch: no await there).
        for id in created.reversed() { await apiImport.discard(apiID: id) }
        throw failure
    }

    private static func key(_ name: String, _ version: String) -> String { "\(name) \(version)" }

    /// The existing product the import updates, after every check that needs nothing stored.
    private func check(_ project: APIProductProject, options: ImportOptions) async throws -> APIRecord? {
        let definition = project.definition
        let label = Self.key(definition.name, definition.version)
        guard !project.apis.isEmpty else {
            throw ManagementError.badRequest("apis: an API product needs at least one operation of an API")
        }
        try APIRevisionService.checkEnvironments(project.deploymentEnvironments.map { .init(environment: $0.deploymentEnvironment) })
        let records = try await services.storage.apis()
        let existing = records.first { $0.stored.isProduct && $0.name == definition.name && $0.version == definition.version }
        if existing != nil, !options.overwriteAPIProduct {
            throw ManagementError.conflict("An API Product \(label) exists already (overwriteAPIProduct=true updates it)")
        }
        if existing == nil, options.overwriteAPIProduct {
            throw ManagementError.wso2(
                .notFound, code: 900360, "API Product Not Found",
                "No API Product \(label) to update: import it without overwriteAPIProduct to create it"
            )
        }
        let brought = Set(project.dependentAPIs.map { Self.key($0.definition.name, $0.definition.version) })
        for api in project.apis {
            let key = Self.key(api.name, api.version)
            let here = records.contains { !$0.stored.isProduct && Self.key($0.name, $0.version) == key }
            guard here || (options.importAPIs && brought.contains(key)) else {
                throw ManagementError.notFound(
                    "The product's API \(key) is not on this server: import it first, or import the product with "
                        + "importAPIs=true (needs \(Self.apiImportScope))"
                )
            }
        }
        return existing
    }

    /// The writes of an import that passed ``check(_:options:)``; `created` collects the ids of what is new.
    private func write(
        _ project: APIProductProject,
        over existing: APIRecord?,
        options: ImportOptions,
        by principal: Principal,
        created: inout [String]
    ) async throws -> APIProductService.Product {
        var ids: [String: String] = [:]
        if options.importAPIs {
            for api in project.dependentAPIs {
                let key = Self.key(api.definition.name, api.definition.version)
                let here = try await localAPI(key)
                if let here, !options.overwriteAPIs {
                    ids[key] = here.id
                    continue
                }
                let record = try await apiImport.importProject(
                    api,
                    options: .init(overwrite: here != nil, preserveProvider: options.preserveProvider),
                    by: principal
                )
                if here == nil { created.append(record.id) }
                ids[key] = record.id
                // WSO2 deploys an API brought with a product where the product is deployed.
                try await deployRevision(of: record.id, to: project.deploymentEnvironments, options: options, by: principal)
            }
        }
        var parts: [APIProductService.Part] = []
        for api in project.apis {
            let key = Self.key(api.name, api.version)
            var id = ids[key]
            if id == nil { id = try await localAPI(key)?.id }
            guard let id else {
                throw ManagementError.notFound("The product's API \(key) is not on this server")
            }
            parts.append(APIProductService.Part(apiID: id, operations: api.operations))
        }
        var definition = project.definition
        let status = definition.lifeCycleStatus ?? .created
        if !options.preserveProvider || definition.provider == nil { definition.provider = principal.username }
        definition.id = nil
        let productID: String
        if let existing {
            definition.provider = existing.provider
            productID = try await products.update(id: existing.id, with: definition, parts: parts, by: principal).record.id
        } else {
            definition.lifeCycleStatus = nil
            productID = try await products.create(definition, parts: parts, by: principal).record.id
            created.append(productID)
        }
        try await apiImport.importDocuments(project.documents, apiID: productID, replacing: existing != nil, by: principal)
        if let thumbnail = project.thumbnail {
            _ = try await APICatalogService(services: services).setThumbnail(apiID: productID, data: thumbnail.data)
        }
        try await deployRevision(of: productID, to: project.deploymentEnvironments, options: options, by: principal)
        if existing == nil {
            let publisher = PublisherAPIService(services: services, logger: logger)
            for action in APIImportExportService.actions(reaching: status) {
                _ = try await publisher.changeLifecycle(action, apiID: productID, by: principal)
            }
        }
        logger.info(
            "API product \(existing == nil ? "created" : "updated") from an archive",
            metadata: ["sluice.api": "\(productID)"]
        )
        return try await products.product(productID)
    }

    /// The API (not product) of that name and version here.
    private func localAPI(_ key: String) async throws -> APIRecord? {
        try await services.storage.apis().first { !$0.stored.isProduct && Self.key($0.name, $0.version) == key }
    }

    /// Snapshots the API or product as a new revision and deploys it to the environments (nothing without any);
    /// at the limit, `rotateRevision` makes room by undeploying and deleting the oldest revision (WSO2's rule).
    private func deployRevision(
        of apiID: String,
        to environments: [APIProductProject.DeploymentEnvironment],
        options: ImportOptions,
        by principal: Principal
    ) async throws {
        guard !environments.isEmpty else { return }
        let existing = try await revisions.revisions(apiID: apiID, by: principal)
        if options.rotateRevision, existing.count >= APIRevisionService.maximumRevisions,
            let oldest = existing.min(by: { $0.record.number < $1.record.number })
        {
            if !oldest.deployments.isEmpty {
                _ = try await revisions.undeploy(
                    apiID: apiID, revisionID: oldest.record.id, from: [], allEnvironments: true, by: principal
                )
            }
            _ = try await revisions.delete(apiID: apiID, revisionID: oldest.record.id, by: principal)
        }
        let revision = try await revisions.create(apiID: apiID, description: "Imported", by: principal)
        _ = try await revisions.deploy(
            apiID: apiID,
            revisionID: revision.record.id,
            to: environments.map {
                .init(environment: $0.deploymentEnvironment, vhost: $0.deploymentVhost, displayOnDevportal: $0.displayOnDevportal ?? true)
            },
            by: principal
        )
    }
}
