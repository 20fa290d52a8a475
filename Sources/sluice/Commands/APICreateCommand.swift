import ArgumentParser
import Foundation
import SluiceArtifacts

/// `sluice api create --file DEFINITION.json`: creates an API on the logged-in server from the definition format
/// `sluice api emit` reads; `sluice api create --oas OPENAPI.yaml` from an OpenAPI 3.x or Swagger 2.0 document
/// (the publisher's `import-openapi`).
struct APICreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API on the server from a definition file (needs a login).",
        discussion: """
            The file is the JSON or YAML definition `sluice api emit` reads (WSO2 publisher v4 fields). It is checked \
            here first, then sent as is; server-set fields such as id and lifeCycleStatus are ignored, so the API \
            starts CREATED: publish it with `sluice api publish`. With --oas the server reads an OpenAPI 3.x or \
            Swagger 2.0 document (JSON or YAML): name, version, context, endpoint, resources, auth types and scopes \
            come from it, and --name, --version, --context and --endpoint override them.
            """
    )

    @Option(name: [.customShort("f"), .long], help: "The API definition (JSON or YAML), or '-' for standard input.")
    var file: String?

    @Option(name: .long, help: "An OpenAPI 3.x or Swagger 2.0 document (JSON or YAML) to create the API from.")
    var oas: String?

    @OptionGroup var overrides: OpenAPIOverrides

    @OptionGroup var output: OutputOptions

    @OptionGroup var target: EnvironmentOption

    func validate() throws {
        guard (file == nil) != (oas == nil) else { throw ValidationError("give either --file or --oas") }
    }

    func run() async throws {
        if let oas { return try await importOpenAPI(oas) }
        let file = self.file ?? "-"
        let read: [UInt8]
        if file == "-" {
            read = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            read = Array(data)
        }
        let bytes = try DefinitionFile.json(read, path: file)
        // The same checks `api emit` makes, so a broken file is reported with its name before any request.
        do throws(APIValidationError) {
            _ = try APIArtifactEmitter().definition(fromJSON: bytes, source: file)
        } catch {
            throw CLIError(error.issues.map { "\(file): \($0)" }.joined(separator: "\n"))
        }
        var session = try target.session()
        let body = try await session.call(
            .POST,
            RemoteAPIResolver.Portal.publisher.base + "/apis",
            body: .json(bytes),
            doing: "creating the API"
        )
        if output.isJSON { return output.printJSON(body) }
        let api = try RemoteDTOs.decode(RemoteDTOs.APIInfo.self, body, what: "the created API")
        let status = api.lifeCycleStatus ?? "CREATED"
        print("Created API \(api.name) \(api.version) at \(api.context) (\(api.id)), status \(status)")
    }

    private func importOpenAPI(_ path: String) async throws {
        guard let document = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
        var session = try target.session()
        var parts: [(name: String, fileName: String?, content: [UInt8])] = [
            ("file", (path as NSString).lastPathComponent, Array(document))
        ]
        if let properties = try overrides.additionalProperties() { parts.append(("additionalProperties", nil, properties)) }
        let body = try await session.call(
            .POST,
            RemoteAPIResolver.Portal.publisher.base + "/apis/import-openapi",
            body: .multipart(parts),
            doing: "creating the API from \(path)"
        )
        if output.isJSON { return output.printJSON(body) }
        let api = try RemoteDTOs.decode(RemoteDTOs.APIInfo.self, body, what: "the created API")
        print("Created API \(api.name) \(api.version) at \(api.context) (\(api.id)), status \(api.lifeCycleStatus ?? "CREATED")")
    }
}
