import ArgumentParser
import Foundation
import SluiceControlPlane

/// `sluice api import PATH [--update]`: sends a project (a folder, packed here, or a zip archive) to the server's
/// `POST /apis/import`, which creates the API, or with `--update` updates it when it exists.
struct APIImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create an API on the server from a project folder or archive (`sluice api export`, `sluice init`).",
        discussion: """
            Without --update an API of the same name and version on the server is an error; with it, that API is \
            updated (definition, source, documents), else created. The provider in api.yaml is kept unless \
            --no-preserve-provider makes the logged-in user the provider.
            """
    )

    @Argument(help: "The project folder or zip archive.")
    var path: String

    @Flag(name: .long, help: "Update the API when the server has it already.")
    var update = false

    @Flag(name: .long, inversion: .prefixedNo, help: "Keep the provider of the project.")
    var preserveProvider = true

    @OptionGroup var output: OutputOptions

    @OptionGroup var target: EnvironmentOption

    private struct Imported: Decodable {
        var id: String
    }

    func run() async throws {
        let archive = try Self.archive(at: path)
        var session = try target.session()
        let endpoint = RemoteAPIResolver.Portal.publisher.base + "/apis/import"
        let body = ManagementClient.Body.multipart([(name: "file", fileName: "project.zip", content: Array(archive))])
        var reply = try await session.send(
            .POST,
            endpoint,
            query: [("overwrite", "\(update)"), ("preserveProvider", "\(preserveProvider)")],
            body: body
        )
        var action = update ? "Updated" : "Imported"
        if update, reply.status == 404 {
            // apictl's --update creates what does not exist yet.
            reply = try await session.send(
                .POST,
                endpoint,
                query: [("overwrite", "false"), ("preserveProvider", "\(preserveProvider)")],
                body: body
            )
            action = "Imported"
        }
        guard reply.isSuccess else { throw ServerFailure.error(reply, doing: "importing \(path)") }
        let id = try RemoteDTOs.decode(Imported.self, reply.body, what: "an import answer").id
        let api = try await session.call(
            .GET,
            RemoteAPIResolver.Portal.publisher.base + "/apis/" + id,
            doing: "reading the imported API"
        )
        if output.isJSON { return output.printJSON(api) }
        let info = try RemoteDTOs.decode(RemoteDTOs.APIInfo.self, api, what: "an API")
        print("\(action) API \(info.name) \(info.version) (\(info.lifeCycleStatus ?? "?")), id \(info.id)")
    }

    /// The project as a zip archive: a zip file as it is, a folder packed (after checking it reads as a project).
    static func archive(at path: String) throws -> Data {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CLIError("\(path): no such file or folder")
        }
        guard isFolder.boolValue else {
            guard let data = FileManager.default.contents(atPath: path), APIProjectArchive.isZip(data) else {
                throw CLIError("\(path): not a zip archive or a project folder")
            }
            return data
        }
        do throws(APIProjectError) {
            let files = try APIProjectArchive.files(inFolder: path)
            let project = try APIProject(files: files)
            return try APIProjectArchive.zip(files, rootFolder: project.rootFolderName)
        } catch {
            let location = error.path.isEmpty ? path : error.path.hasPrefix(path) ? error.path : path + "/" + error.path
            throw CLIError("\(location): \(error.message)")
        }
    }
}
