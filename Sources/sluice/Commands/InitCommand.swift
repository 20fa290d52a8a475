import ArgumentParser
import Foundation
import SluiceArtifacts
import SluiceControlPlane

/// `sluice init NAME [--oas FILE]`: a new API project folder (apictl's layout, see ``APIProject``), offline; with
/// `--oas`, the API comes from an OpenAPI 3.x or Swagger 2.0 document read as the server's import reads it.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start an API project folder, optionally from an OpenAPI or Swagger document.",
        discussion: """
            Writes NAME/api.yaml (the definition), and with --oas NAME/Definitions/swagger.yaml (or .json) with the \
            document as given. Name, version, context, endpoint, resources, auth types and scopes come from the \
            document; --name, --api-version, --context and --endpoint override them. `sluice api import NAME` \
            creates the API on a server.
            """
    )

    @Argument(help: "The project folder to create.")
    var folder: String

    @Option(name: .long, help: "An OpenAPI 3.x or Swagger 2.0 document (JSON or YAML).")
    var oas: String?

    @OptionGroup var overrides: OpenAPIOverrides

    @Flag(name: .long, help: "Replace the folder if it exists.")
    var force = false

    func run() async throws {
        var definition: APIDefinition
        var document: APIProject.OpenAPIDocument?
        if let oas {
            guard let bytes = FileManager.default.contents(atPath: oas) else { throw CLIError("cannot read \(oas)") }
            let imported: ImportedOpenAPI
            do throws(OpenAPIImportError) {
                imported = try OpenAPIDocumentReader.read(document: bytes, fileName: oas)
            } catch {
                throw CLIError("\(oas): \(error.description)")
            }
            do {
                definition = try PublisherAPIService.definition(
                    from: imported,
                    additionalProperties: try overrides.additionalProperties().map { Data($0) }
                )
            } catch let error as ManagementError {
                throw CLIError(error.detail)
            }
            document = APIProject.OpenAPIDocument(bytes: bytes, isYAML: YAMLReader.looksLikeYAML(Array(bytes), path: oas))
        } else {
            let name = overrides.name ?? (folder as NSString).lastPathComponent
            definition = APIDefinition(
                name: name,
                context: overrides.context ?? "/" + name.lowercased(),
                version: overrides.apiVersion ?? "1.0.0",
                endpointConfig: APIEndpointConfig(
                    endpointType: .http,
                    productionEndpoints: [APIEndpoint(url: overrides.endpoint ?? "http://localhost:8080")],
                    sandboxEndpoints: [APIEndpoint(url: overrides.endpoint ?? "http://localhost:8080")]
                )
            )
        }
        do throws(APIProjectError) {
            let files = try APIProject(definition: definition, openAPI: document).files()
            try APIProjectArchive.write(files, toFolder: folder, replacing: force)
        } catch {
            throw CLIError(error.description + (error.message.hasPrefix("exists") ? " (--force replaces it)" : ""))
        }
        print("Created project \(folder): API \(definition.name) \(definition.version) at \(definition.context), "
            + "\(definition.operations.count) resources")
    }
}
