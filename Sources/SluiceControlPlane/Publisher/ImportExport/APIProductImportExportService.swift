import Foundation
import Logging
import SluiceArtifacts
import SluiceModel
import SluiceStorage

/// Exporting an API product with the APIs it is made of, and importing one: the logic behind WSO2's
/// `GET /api/am/publisher/v4/api-products/export` and `POST /api-products/import` (`apictl export|import
/// api-product`).
///
/// An import checks the whole archive first (its files, the product's APIs found in `APIs/` or on this server, an
/// existing product), then goes through the services of the REST API's own writes: API import, product create or
/// update, documents, thumbnail, lifecycle, revisions. What a failing import created (the product, the APIs it
/// brought) is deleted again: it lands whole or not at all.
package struct APIProductImportExportService: Sendable {
    let services: APIManagerServices
    let logger: Logger

    /// Creates the service.
    package init(services: APIManagerServices, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// The scopes WSO2's product export takes (any one of them).
    package static let exportScopes = ["apim:api_view", "apim:api_product_import_export"]
    /// The scope WSO2's product import takes.
    package static let importScopes = ["apim:api_product_import_export"]
    /// The scope that also lets an import bring the product's APIs (WSO2 ignores `importAPIs` without it).
    package static let apiImportScope = "apim:api_import_export"

    /// Which product to export, and which of its states.
    package struct Selection: Sendable, Hashable {
        package var name: String?
        package var version: String?
        package var provider: String?
        /// A revision's number: its definition instead of the working copy's.
        package var revisionNumber: Int?
        /// The newest revision instead of the working copy.
        package var latestRevision = false

        package init(name: String?, version: String?, provider: String? = nil, revisionNumber: Int? = nil, latestRevision: Bool = false) {
            self.name = name
            self.version = version
            self.provider = provider
            self.revisionNumber = revisionNumber
            self.latestRevision = latestRevision
        }
    }

    /// WSO2's query flags of the import.
    package struct ImportOptions: Sendable, Hashable {
        package var preserveProvider = true
        /// At the revision limit, the oldest revision is undeployed and deleted to make room (else 900351).
        package var rotateRevision = false
        /// Create (or, with `overwriteAPIs`, update) the APIs of `APIs/`; without it they must exist here.
        package var importAPIs = false
        /// Update the existing product of that name and version; without it, one is a 409.
        package var overwriteAPIProduct = false
        /// Update APIs of `APIs/` that exist here (with `importAPIs`); without it they are used as they are.
        package var overwriteAPIs = false

        package init(
            preserveProvider: Bool = true, rotateRevision: Bool = false, importAPIs: Bool = false,
            overwriteAPIProduct: Bool = false, overwriteAPIs: Bool = false
        ) {
            self.preserveProvider = preserveProvider
            self.rotateRevision = rotateRevision
            self.importAPIs = importAPIs
            self.overwriteAPIProduct = overwriteAPIProduct
            self.overwriteAPIs = overwriteAPIs
        }
    }

    var products: APIProductService { APIProductService(services: services, logger: logger) }
    var apiImport: APIImportExportService { APIImportExportService(services: services, logger: logger) }
    var revisions: APIRevisionService { APIRevisionService(services: services, logger: logger) }

    // MARK: - Export

    /// The product as a project, with its APIs.
    /// - Throws: ``ManagementError`` 400 without name and version, or when an API of the product is gone; 403;
    ///   404 (the product, 900347 the revision); 409 when several providers have such a product.
    package func project(_ selection: Selection, preserveStatus: Bool = true, by principal: Principal) async throws
        -> APIProductProject
    {
        try principal.requireAny(Self.exportScopes)
        let product = try await products.product(try await productID(selection))
        let stored = product.record.stored
        var definition = stored.definition
        var apis: [APIProductProject.ProductAPI] = []
        for part in product.parts {
            guard let api = part.api else {
                throw ManagementError.badRequest("An API of the product no longer exists; edit the product first")
            }
            apis.append(.init(apiId: api.id, name: api.name, version: api.version, operations: part.operations))
        }
        if let revision = try await revisionDefinition(of: product.record, selection) {
            definition = revision
            apis = try Self.parts(apis, narrowedTo: revision.operations)
        }
        if !preserveStatus { definition.lifeCycleStatus = nil }
        definition.clientCertificates = []
        var project = APIProductProject(
            definition: definition,
            apis: apis,
            openAPI: APIProject.OpenAPIDocument(bytes: APIOpenAPIDefinition.document(for: definition), isYAML: false)
        )
        project.documents = try await apiImport.exportedDocuments(apiID: product.record.id)
        if let thumbnail = try await services.storage.thumbnail(apiID: product.record.id) {
            project.thumbnail = .init(
                fileName: APIProductProject.thumbnailFileName(contentType: thumbnail.contentType), data: thumbnail.data
            )
        }
        project.deploymentEnvironments = (stored.revisionDeployments ?? []).sorted { $0.environment < $1.environment }
            .map { .init(deploymentEnvironment: $0.environment, deploymentVhost: $0.vhost, displayOnDevportal: $0.displayOnDevportal) }
        for api in apis {
            project.dependentAPIs.append(
                try await apiImport.project(.init(apiID: api.apiId), preserveStatus: preserveStatus, by: principal)
            )
        }
        return project
    }

    /// The product as a zip archive (`Name_version.zip` holding `Name-version/`).
    package func export(
        _ selection: Selection, format: APIProject.Format = .yaml, preserveStatus: Bool = true, by principal: Principal
    ) async throws -> (fileName: String, archive: Data) {
        let project = try await self.project(selection, preserveStatus: preserveStatus, by: principal)
        let archive = try APIProjectArchive.zip(try project.files(format: format), rootFolder: project.rootFolderName)
        return (project.archiveName, archive)
    }

    private func productID(_ selection: Selection) async throws -> String {
        guard let name = selection.name, let version = selection.version, !name.isEmpty, !version.isEmpty else {
            throw ManagementError.badRequest("Give name and version (and providerName) of the API Product")
        }
        let matches = try await products.products().filter {
            $0.name == name && $0.version == version && (selection.provider == nil || $0.provider == selection.provider)
        }
        guard let record = matches.first else {
            throw ManagementError.wso2(
                .notFound, code: 900360, "API Product Not Found", "Requested API Product \(name) \(version) not found"
            )
        }
        guard matches.count == 1 else {
            throw ManagementError.conflict("Several providers have an API Product \(name) \(version): give providerName")
        }
        return record.id
    }

    /// The definition of the revision the selection names, if it names one.
    private func revisionDefinition(of record: APIRecord, _ selection: Selection) async throws -> APIDefinition? {
        guard selection.revisionNumber != nil || selection.latestRevision else { return nil }
        let all = try await services.storage.revisions(apiID: record.id)
        let chosen = selection.revisionNumber.map { number in all.first { $0.number == number } }
            ?? all.max { $0.number < $1.number }
        guard let chosen else {
            throw ManagementError.wso2(
                .notFound, code: 900347, "API Revision Not Found",
                "The API Product has no revision \(selection.revisionNumber.map(String.init) ?? "")"
            )
        }
        guard let snapshot = try? JSONDecoder().decode(StoredAPI.Revision.self, from: chosen.snapshot) else {
            throw ManagementError.internalError("The revision's snapshot cannot be read")
        }
        return snapshot.definition
    }

    /// The parts keeping only (and exactly) the revision's operations; one the product no longer has is a 409.
    private static func parts(_ parts: [APIProductProject.ProductAPI], narrowedTo operations: [APIOperation]) throws
        -> [APIProductProject.ProductAPI]
    {
        func key(_ operation: APIOperation) -> String { "\(operation.verb.uppercased()) \(operation.target)" }
        var owner: [String: Int] = [:]
        for (index, part) in parts.enumerated() { for operation in part.operations { owner[key(operation)] = index } }
        var narrowed = parts.map { APIProductProject.ProductAPI(apiId: $0.apiId, name: $0.name, version: $0.version, operations: []) }
        for operation in operations {
            guard let index = owner[key(operation)] else {
                throw ManagementError.conflict(
                    "The revision offers \(key(operation)), which the product's APIs no longer give: export the working copy"
                )
            }
            narrowed[index].operations.append(operation)
        }
        return narrowed.filter { !$0.operations.isEmpty }
    }
}
