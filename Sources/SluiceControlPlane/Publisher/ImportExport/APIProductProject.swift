import Foundation
package import SluiceArtifacts
import SluiceModel

/// An API product project, laid out as WSO2 lays out an exported product (`apictl export api-product`):
///
/// ```
/// Name-version/
///   api_product.yaml               type: api_product, data: the product (WSO2's APIProduct fields, with apis)
///   Definitions/swagger.yaml       the product's OpenAPI document (swagger.json for JSON)
///   Docs/<name>/document.yaml      a document's metadata, and its text or file beside it (as an API's)
///   Image/icon.<png|jpeg|gif|webp> the thumbnail
///   deployment_environments.yaml   type: deployment_environments, data: where the product's revision is deployed
///   APIs/<Name-version>/...        each API the product takes operations from, as an API project
/// ```
///
/// Importing into a server that has none of the APIs recreates them from `APIs/` (with `importAPIs`); the product's
/// `apis` name each API by name and version, since ids differ between servers.
package struct APIProductProject: Sendable {
    /// WSO2's `ProductAPI`: an API of the product and the operations offered from it.
    package struct ProductAPI: Sendable, Hashable, Codable {
        package var apiId: String?
        package var name: String
        package var version: String
        package var operations: [APIOperation]

        package init(apiId: String?, name: String, version: String, operations: [APIOperation]) {
            self.apiId = apiId
            self.name = name
            self.version = version
            self.operations = operations
        }
    }

    /// One entry of `deployment_environments.yaml` (WSO2's names).
    package struct DeploymentEnvironment: Sendable, Hashable, Codable {
        package var deploymentEnvironment: String
        package var deploymentVhost: String?
        package var displayOnDevportal: Bool?

        package init(deploymentEnvironment: String, deploymentVhost: String?, displayOnDevportal: Bool?) {
            self.deploymentEnvironment = deploymentEnvironment
            self.deploymentVhost = deploymentVhost
            self.displayOnDevportal = displayOnDevportal
        }
    }

    /// The thumbnail and its file name under `Image/`.
    package struct Thumbnail: Sendable, Hashable {
        package var fileName: String
        package var data: Data
    }

    /// `api_product.yaml`'s data: the product's definition fields with `apis`, `state` and `apiType` beside them.
    struct Payload: Codable {
        var definition: APIDefinition
        var apis: [ProductAPI]

        private enum CodingKeys: String, CodingKey { case apis, state, apiType }

        init(definition: APIDefinition, apis: [ProductAPI]) {
            self.definition = definition
            self.apis = apis
        }

        init(from decoder: any Decoder) throws {
            definition = try APIDefinition(from: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            apis = try container.decodeIfPresent([ProductAPI].self, forKey: .apis) ?? []
            // WSO2 writes a product's state as `state`; Sluice's definition calls it lifeCycleStatus.
            if definition.lifeCycleStatus == nil, let state = try container.decodeIfPresent(String.self, forKey: .state) {
                definition.lifeCycleStatus = APILifecycleState(rawValue: state.uppercased())
            }
        }

        func encode(to encoder: any Encoder) throws {
            try definition.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(apis, forKey: .apis)
            try container.encodeIfPresent(definition.lifeCycleStatus?.rawValue, forKey: .state)
            try container.encode("APIPRODUCT", forKey: .apiType)
        }
    }

    package var definition: APIDefinition
    package var apis: [ProductAPI]
    package var openAPI: APIProject.OpenAPIDocument?
    package var documents: [APIProject.Document] = []
    package var thumbnail: Thumbnail?
    package var deploymentEnvironments: [DeploymentEnvironment] = []
    /// The APIs of `APIs/`, each a whole API project.
    package var dependentAPIs: [APIProject] = []

    /// Creates a project.
    package init(definition: APIDefinition, apis: [ProductAPI], openAPI: APIProject.OpenAPIDocument? = nil) {
        self.definition = definition
        self.apis = apis
        self.openAPI = openAPI
    }

    /// The folder WSO2 names an exported product's files after, `Name-version`.
    package var rootFolderName: String { "\(definition.name)-\(definition.version)" }

    /// The archive name, `Name_version.zip`.
    package var archiveName: String { "\(definition.name)_\(definition.version).zip" }

    /// The file the thumbnail of `contentType` is kept in.
    static func thumbnailFileName(contentType: String) -> String {
        "icon." + (contentType.split(separator: "/").last.map(String.init) ?? "png")
    }

    // MARK: - Writing

    /// The project's files, by path relative to the project folder.
    /// - Throws: ``APIProjectError`` when a value cannot be encoded.
    package func files(format: APIProject.Format = .yaml) throws(APIProjectError) -> [String: Data] {
        let ext = format.fileExtension
        var files: [String: Data] = [:]
        files["api_product.\(ext)"] = try APIProject.encode(
            APIProject.Envelope(
                type: "api_product", version: APIProject.envelopeVersion, data: Payload(definition: definition, apis: apis)
            ),
            format
        )
        if let openAPI {
            files["Definitions/swagger." + (openAPI.isYAML ? "yaml" : "json")] = openAPI.bytes
        }
        files.merge(try APIProject.documentFiles(documents, format: format)) { $1 }
        if let thumbnail {
            files["Image/" + APIProject.safeFileName(thumbnail.fileName)] = thumbnail.data
        }
        if !deploymentEnvironments.isEmpty {
            files["deployment_environments.\(ext)"] = try APIProject.encode(
                APIProject.Envelope(
                    type: "deployment_environments", version: APIProject.envelopeVersion, data: deploymentEnvironments
                ),
                format
            )
        }
        for api in dependentAPIs {
            let folder = "APIs/" + APIProject.safeFileName(api.rootFolderName) + "/"
            for (path, data) in try api.files(format: format) { files[folder + path] = data }
        }
        return files
    }

    // MARK: - Reading

    /// Reads a project from its files; a single top folder around them is looked through.
    /// - Throws: ``APIProjectError`` naming the file: no `api_product.yaml`, a metadata file of another `type`, a
    ///   field that does not decode, a thumbnail that is no image, a dependent API that cannot be read.
    package init(files: [String: Data]) throws(APIProjectError) {
        let files = APIProject.withoutTopFolder(files)
        let names = ["api_product.yaml", "api_product.yml", "api_product.json"]
        guard let (definitionPath, definitionBytes) = APIProject.first(names, in: files) else {
            throw APIProjectError(path: "", message: "no api_product.yaml or api_product.json: not an API product project")
        }
        let json = try APIProject.payload(of: definitionBytes, path: definitionPath, type: "api_product")
        let payload: Payload = try Self.decode(json, path: definitionPath)
        guard !payload.definition.name.isEmpty, !payload.definition.version.isEmpty else {
            throw APIProjectError(path: definitionPath, message: "name and version are required")
        }
        definition = payload.definition
        apis = payload.apis
        openAPI = APIProject.first(["Definitions/swagger.yaml", "Definitions/swagger.yml", "Definitions/swagger.json"], in: files)
            .map { APIProject.OpenAPIDocument(bytes: $0.1, isYAML: !$0.0.hasSuffix(".json")) }
        documents = try APIProject.documents(in: files)
        thumbnail = try Self.thumbnail(in: files)
        let environmentNames = ["deployment_environments.yaml", "deployment_environments.yml", "deployment_environments.json"]
        if let (path, bytes) = APIProject.first(environmentNames, in: files) {
            let json = try APIProject.payload(of: bytes, path: path, type: "deployment_environments")
            deploymentEnvironments = try Self.decode(json, path: path)
        }
        dependentAPIs = try Self.dependentAPIs(in: files)
    }

    private static func decode<Value: Decodable>(_ json: [UInt8], path: String) throws(APIProjectError) -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(json))
        } catch {
            throw APIProjectError(path: path, message: APIProject.describe(error))
        }
    }

    private static func thumbnail(in files: [String: Data]) throws(APIProjectError) -> Thumbnail? {
        let images = files.keys.filter { $0.hasPrefix("Image/") && !$0.dropFirst("Image/".count).contains("/") }.sorted()
        guard let path = images.first else { return nil }
        guard images.count == 1 else { throw APIProjectError(path: "Image/", message: "holds \(images.count) files; a product has one thumbnail") }
        let data = files[path]!
        guard data.count <= APICatalogService.maximumThumbnailSize, APICatalogService.imageType(of: data) != nil else {
            throw APIProjectError(
                path: path, message: "not a PNG, JPEG, GIF or WebP image of at most \(APICatalogService.maximumThumbnailSize >> 10) KiB"
            )
        }
        return Thumbnail(fileName: String(path.dropFirst("Image/".count)), data: data)
    }

    /// The API projects of `APIs/<folder>/`, errors naming the file by its path in the product.
    private static func dependentAPIs(in files: [String: Data]) throws(APIProjectError) -> [APIProject] {
        var folders: [String: [String: Data]] = [:]
        for (path, data) in files where path.hasPrefix("APIs/") {
            let parts = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { throw APIProjectError(path: path, message: "not inside an API's folder") }
            folders[String(parts[1]), default: [:]][String(parts[2])] = data
        }
        var projects: [APIProject] = []
        for folder in folders.keys.sorted() {
            do throws(APIProjectError) {
                projects.append(try APIProject(files: folders[folder]!))
            } catch {
                let inner = error.path.isEmpty ? "" : error.path
                throw APIProjectError(path: "APIs/\(folder)/\(inner)", message: error.message)
            }
        }
        return projects
    }
}
