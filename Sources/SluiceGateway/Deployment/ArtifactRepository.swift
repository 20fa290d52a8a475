import SluiceModel
import SluiceSynapse

/// The artifact files under `synapse-configs/default/{api,sequences,endpoints}` and what each last parsed to.
///
/// A file that stops parsing keeps its last good artifacts (so they keep serving) next to the new diagnostics;
/// a deleted file drops its artifacts.
struct ArtifactRepository {
    /// The folders watched, in deployment order: the named artifacts before the APIs using them.
    static let folders = ["local-entries", "templates", "endpoints", "sequences", "api"]
    /// WSO2 folders of artifacts Sluice does not run: a file in one is reported, with the reason, and not deployed.
    static let refusedFolders: [String: String] = [
        "proxy-services": "proxy services are out of scope for Sluice, an API gateway; expose the service as an <api>",
        "tasks": "scheduled tasks are out of scope for Sluice",
        "message-stores": "message stores are out of scope for Sluice",
        "message-processors": "message processors are out of scope for Sluice",
        "inbound-endpoints": "inbound endpoints are out of scope for Sluice; the gateway listens on HTTP and HTTPS",
    ]

    struct File {
        let path: String
        let folder: String
        var signature: FileSignature
        /// The artifacts of the last version that parsed.
        var lastGood: SynapseArtifacts?
        /// Problems of the current version; empty when it parsed.
        var diagnostics: [DeploymentStatus.Diagnostic]
    }

    let root: String
    private let parser: SynapseParser
    private(set) var files: [String: File] = [:]

    init(root: String, parser: SynapseParser = SynapseParser()) {
        self.root = root
        self.parser = parser
    }

    /// The watched folder paths.
    var directories: [String] { Self.folders.map { root + "/" + $0 } }

    /// Re-reads every file whose signature changed, drops deleted ones.
    /// - Returns: the paths that changed (added, modified or deleted).
    mutating func rescan() -> [String] {
        var seen: Set<String> = []
        var changed: [String] = []
        for folder in Self.folders + Self.refusedFolders.keys.sorted() {
            for (path, signature) in FileSignature.scan(directory: root + "/" + folder) {
                seen.insert(path)
                if let existing = files[path], existing.signature == signature { continue }
                changed.append(path)
                var file = files[path] ?? File(path: path, folder: folder, signature: signature, diagnostics: [])
                file.signature = signature
                if let reason = Self.refusedFolders[folder] {
                    file.diagnostics = [.init(file: path, line: 1, column: 1, message: "not deployed: " + reason)]
                    files[path] = file
                    continue
                }
                do {
                    let artifacts = try parser.parseFile(atPath: path)
                    file.lastGood = artifacts
                    file.diagnostics = Self.emptinessDiagnostics(artifacts, path: path)
                } catch {
                    file.diagnostics = error.diagnostics.map {
                        DeploymentStatus.Diagnostic(
                            file: $0.location.file,
                            line: $0.location.line,
                            column: $0.location.column,
                            message: $0.message
                        )
                    }
                }
                files[path] = file
            }
        }
        for path in files.keys where !seen.contains(path) {
            files.removeValue(forKey: path)
            changed.append(path)
        }
        return changed.sorted()
    }

    /// Marks a file as failing to deploy for a reason found after parsing (compilation).
    mutating func recordFailure(_ diagnostic: DeploymentStatus.Diagnostic, path: String) {
        files[path]?.diagnostics.append(diagnostic)
    }

    /// Files in deployment order (folder order, then path).
    var orderedFiles: [File] {
        files.values.sorted { lhs, rhs in
            let lhsFolder = Self.folders.firstIndex(of: lhs.folder) ?? 0
            let rhsFolder = Self.folders.firstIndex(of: rhs.folder) ?? 0
            return lhsFolder != rhsFolder ? lhsFolder < rhsFolder : lhs.path < rhs.path
        }
    }

    /// A file that parses but declares nothing is reported, so a typo in the root element does not go unnoticed.
    private static func emptinessDiagnostics(
        _ artifacts: SynapseArtifacts,
        path: String
    ) -> [DeploymentStatus.Diagnostic] {
        if artifacts.isEmpty {
            return [.init(file: path, line: 1, column: 1, message: "the file declares no api, sequence or endpoint")]
        }
        return []
    }
}
