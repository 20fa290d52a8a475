import ArgumentParser
import Foundation
import SluiceGateway
import SluiceModel
import SluiceSynapse

/// `sluice validate FILE|DIR...`: parses artifacts and prints `OK path` or `path:line:column: message`.
///
/// Folders are searched recursively for `*.xml`. Files named like the configuration files of
/// `repository/conf/` (`identity.xml`, `tiers.xml`, `app-tiers.xml`, `res-tiers.xml`, `api-manager.xml`) are
/// checked with their configuration reader; every other file as a Synapse artifact. APIs of different files
/// that share a name and version, or a context, are refused after the first (as the gateway refuses them).
/// Exits with 1 on any error.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check Synapse artifact files (APIs, sequences, endpoints) and print their diagnostics."
    )

    @Argument(help: "Artifact files or folders (folders are searched recursively for *.xml).")
    var paths: [String]

    func run() async throws {
        var failed = false
        let parser = SynapseParser()
        var claims = APIClaims()
        for path in paths {
            let files: [String]
            switch Self.expand(path) {
            case .success(let found): files = found
            case .failure(let diagnostic):
                print(diagnostic.description)
                failed = true
                continue
            }
            for file in files {
                do {
                    let apis = try Self.check(file, parser: parser)
                    let conflicts = apis.compactMap { api in
                        claims.claim(api, file: file).map { message in
                            let location = api.location ?? SourceLocation(file: file, line: 1)
                            return SynapseDiagnostic(message: message, location: location)
                        }
                    }
                    guard conflicts.isEmpty else {
                        for conflict in conflicts { print(conflict.description) }
                        failed = true
                        continue
                    }
                    print("OK \(file)")
                } catch {
                    for diagnostic in error.diagnostics { print(diagnostic.description) }
                    failed = true
                }
            }
        }
        if failed { throw ExitCode.failure }
    }

    /// Parses one file with the reader its name calls for.
    /// - Returns: The APIs an artifact file declares.
    static func check(_ file: String, parser: SynapseParser) throws(SynapseDiagnostics) -> [SynapseAPI] {
        let name = (file as NSString).lastPathComponent
        switch name {
        case "identity.xml":
            _ = try IdentityConfigReader.read(path: file)
        case "api-manager.xml":
            _ = try APIManagerConfigReader.read(path: file)
        default:
            if let level = TierLevel.allCases.first(where: { $0.fileName == name }) {
                _ = try TierConfigReader.read(path: file, level: level)
            } else {
                return try parser.parseFile(atPath: file).apis
            }
        }
        return []
    }

    /// A file as itself, a folder as its `*.xml` files in sorted order.
    static func expand(_ path: String) -> Result<[String], SynapseDiagnostic> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let location = SourceLocation(file: path, line: 1)
            return .failure(SynapseDiagnostic(message: "no such file or directory", location: location))
        }
        guard isDirectory.boolValue else { return .success([path]) }
        let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
        let entries = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        let files = entries.filter { $0.hasSuffix(".xml") }.sorted().map { folder + "/" + $0 }
        return .success(files.filter { !isFolder($0) })
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
