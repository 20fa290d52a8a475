import ArgumentParser
import Foundation
import SluiceControlPlane

/// `sluice api export NAME --version V`: the server's `GET /apis/export` (an apictl project of the API: definition,
/// OpenAPI document, hand-edited Synapse source, documents, tiers), saved as the zip archive or unpacked as a
/// folder.
struct APIExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an API as a project (a zip archive or a folder) that `sluice api import` takes.",
        discussion: """
            Writes NAME_VERSION.zip, or with --format folder the folder NAME-VERSION (apictl's names), or PATH with \
            -o. The lifecycle state goes along unless --no-preserve-status.
            """
    )

    enum Form: String, ExpressibleByArgument, CaseIterable {
        case zip
        case folder
    }

    @Argument(help: "The API's name.")
    var name: String

    @Option(name: .long, help: "The API's version.")
    var version: String

    @Option(name: .long, help: "The API's provider, when several providers have an API of that name and version.")
    var provider: String?

    @Option(name: .long, help: "What to write: zip or folder.")
    var format: Form = .zip

    @Option(name: [.customShort("o"), .customLong("path")], help: "Where to write (default: apictl's name, here).")
    var path: String?

    @Flag(name: .long, inversion: .prefixedNo, help: "Keep the lifecycle state (a new API on import without it).")
    var preserveStatus = true

    @Flag(name: .long, help: "Replace PATH if it exists.")
    var force = false

    @OptionGroup var target: EnvironmentOption

    func run() async throws {
        var session = try target.session()
        var query = [("name", name), ("version", version), ("format", "YAML"), ("preserveStatus", "\(preserveStatus)")]
        if let provider { query.append(("providerName", provider)) }
        let archive = try await session.call(
            .GET,
            RemoteAPIResolver.Portal.publisher.base + "/apis/export",
            query: query,
            doing: "exporting API \(name) \(version)"
        )
        switch format {
        case .zip:
            let destination = path ?? "\(name)_\(version).zip"
            if FileManager.default.fileExists(atPath: destination), !force {
                throw CLIError("\(destination) exists (--force replaces it)")
            }
            guard FileManager.default.createFile(atPath: destination, contents: Data(archive)) else {
                throw CLIError("cannot write \(destination)")
            }
            print("Exported \(name) \(version) to \(destination)")
        case .folder:
            let destination = path ?? "\(name)-\(version)"
            do throws(APIProjectError) {
                // The archive holds one top folder, NAME-VERSION/: the destination takes its place.
                let files = APIProject.withoutTopFolder(try APIProjectArchive.files(inZip: Data(archive)))
                _ = try APIProject(files: files)
                try APIProjectArchive.write(files, toFolder: destination, replacing: force)
            } catch {
                throw CLIError("\(destination): \(error.description)")
            }
            print("Exported \(name) \(version) to \(destination)/")
        }
    }
}
