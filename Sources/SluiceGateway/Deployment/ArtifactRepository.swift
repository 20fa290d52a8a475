#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceMediation
import SluiceModel
import SluiceSynapse

/// The artifact files under `synapse-configs/default/{api,sequences,endpoints}` and what each last parsed to.
///
/// A file that stops parsing keeps its last good artifacts (so they keep serving) next to the new diagnostics;
/// a deleted file drops its artifacts. A folder or file that cannot be read (descriptors exhausted, permissions,
/// a folder removed) is neither: what it deployed keeps serving, and the rescan reports it as unreadable so the
/// caller tries again.
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
        /// The version last read; nil while the file has never been read.
        var signature: FileSignature?
        /// The artifacts of the last version that parsed.
        var lastGood: SynapseArtifacts?
        /// Problems of the current version; empty when it parsed.
        var diagnostics: [DeploymentStatus.Diagnostic]
        /// What the last version that parsed holds and Synapse ignores (stray text, elements no factory reads).
        var readWarnings: [DeploymentStatus.Diagnostic] = []
    }

    /// What a rescan found.
    struct Scan {
        /// Paths added, modified or deleted.
        var changed: [String] = []
        /// Folders and files that could not be read this time, with why; retried on the next rescan.
        var unreadable: [String: String] = [:]
    }

    /// A file deployed from outside the watched folders (`sluice validate`'s loose files), as if it lay in `folder`.
    struct LooseFile: Hashable {
        let path: String
        let folder: String
    }

    /// `…/synapse-configs/default`, nil when only loose files are deployed.
    let root: String?
    /// Files read besides the folders' own, in this order after them.
    let looseFiles: [LooseFile]
    /// The canonical path of the repository folder: symbolic links must resolve inside it.
    let repositoryRoot: String
    private var parser: SynapseParser
    private let fileSystem: ArtifactFileSystem
    private(set) var files: [String: File] = [:]
    /// The http(s) documents files name, fetched by the deployer; nil when nothing is fetched.
    var networkSources: NetworkSourceStore? {
        didSet { parser.networkSources = networkSources }
    }
    /// Files read again because their documents arrived: what was fetched for them stays (any other new
    /// version of a file fetches its documents again).
    private var keepingFetched: Set<String> = []
    /// Folders listed successfully at least once: from then on, their disappearing is an error.
    private var listedFolders: Set<String> = []

    /// - Parameters:
    ///   - root: The `synapse-configs/default` folder whose artifact folders are read; nil for none.
    ///   - looseFiles: Files read besides those of the folders (a file also found in them is read once).
    ///   - repositoryRoot: Where symbolic links must resolve; the repository above `root` by default, anywhere
    ///     without a root.
    init(
        root: String?,
        looseFiles: [LooseFile] = [],
        repositoryRoot: String? = nil,
        parser: SynapseParser = SynapseParser(),
        fileSystem: ArtifactFileSystem = .posix
    ) {
        self.root = root
        self.looseFiles = looseFiles
        if let repository = repositoryRoot ?? root.map(Self.repositoryFolder(of:)) {
            self.repositoryRoot = ArtifactFileSystem.realPath(repository) ?? repository
        } else {
            // Every canonical path starts with "/": a link may point anywhere.
            self.repositoryRoot = ""
        }
        self.parser = parser
        self.fileSystem = fileSystem
    }

    /// The watched folder paths.
    var directories: [String] { root.map { root in Self.folders.map { root + "/" + $0 } } ?? [] }

    /// Re-reads every file whose signature changed, drops deleted ones, keeps those it cannot read.
    mutating func rescan() -> Scan {
        var scan = Scan()
        var seen: Set<String> = []
        for folder in root == nil ? [] : Self.folders + Self.refusedFolders.keys.sorted() {
            let directory = (root ?? "") + "/" + folder
            let names: [String]
            switch fileSystem.listDirectory(directory) {
            case .success(let listed):
                listedFolders.insert(folder)
                names = listed
            case .failure(let failure):
                // Never "every file deleted": the folder's files stay as they are until it reads again.
                let known = files.values.filter { $0.folder == folder }.map(\.path)
                seen.formUnion(known)
                if failure.code != ENOENT || listedFolders.contains(folder) || !known.isEmpty {
                    scan.unreadable[directory] = failure.message
                }
                continue
            }
            for name in names where name.hasSuffix(".xml") && !name.hasPrefix(".") {
                let path = directory + "/" + name
                if let problem = visit(path, folder: folder, changed: &scan.changed) {
                    scan.unreadable[path] = problem
                }
                if files[path] != nil { seen.insert(path) }
            }
        }
        for loose in looseFiles where !seen.contains(loose.path) {
            if let problem = visit(loose.path, folder: loose.folder, changed: &scan.changed) {
                scan.unreadable[loose.path] = problem
            }
            if files[loose.path] != nil { seen.insert(loose.path) }
        }
        for path in files.keys where !seen.contains(path) {
            files.removeValue(forKey: path)
            networkSources?.forget(file: path)
            scan.changed.append(path)
        }
        scan.changed.sort()
        return scan
    }

    /// Makes the next rescan read `paths` again, keeping what was fetched for them.
    /// - Returns: False when one of them is not a file of the repository.
    mutating func readAgain(_ paths: Set<String>) -> Bool {
        var allKnown = true
        for path in paths {
            guard files[path] != nil else {
                allKnown = false
                continue
            }
            files[path]?.signature = nil
            keepingFetched.insert(path)
        }
        return allKnown
    }

    /// Marks a file as failing to deploy for a reason found after parsing (compilation or a conflict).
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

    // MARK: - Private

    /// Looks at one file and re-reads it when it changed; returns why it cannot be read now, if so.
    private mutating func visit(_ path: String, folder: String, changed: inout [String]) -> String? {
        let signature: FileSignature
        var readPath = path
        switch fileSystem.entry(path, repositoryRoot) {
        case .file(let found):
            signature = found
        case .link(let found, let target):
            (signature, readPath) = (found, target)
        case .refusedLink(let target):
            refuse(path, folder: folder, changed: &changed, message: Self.refusedLinkMessage(target))
            return nil
        case .other, .vanished:
            return nil
        case .unreadable(let failure):
            // Kept as it is (if known): an unreadable file is not a deleted one.
            return failure.message
        }
        if let existing = files[path], existing.signature == signature { return nil }
        var file = files[path] ?? File(path: path, folder: folder, signature: nil, diagnostics: [])
        if let reason = Self.refusedFolders[folder] {
            file.signature = signature
            file.diagnostics = [.init(file: path, line: 1, column: 1, message: "not deployed: " + reason)]
            files[path] = file
            changed.append(path)
            return nil
        }
        let bytes: [UInt8]
        switch fileSystem.readFile(readPath, parser.limits.maxFileBytes) {
        case .success(let read):
            bytes = read
        case .failure(let failure) where failure.isTransient:
            // The signature is not recorded, so the next rescan reads the file again.
            if files[path] == nil { files[path] = file }
            return failure.message
        case .failure(let failure):
            bytes = []
            file.signature = signature
            file.diagnostics = [.init(file: path, line: 1, column: 1, message: failure.message)]
            files[path] = file
            changed.append(path)
            return nil
        }
        changed.append(path)
        file.signature = signature
        // A new version of the file fetches its documents again, as Synapse does when it redeploys an artifact.
        if keepingFetched.remove(path) == nil { networkSources?.forget(file: path) }
        do {
            let (artifacts, warnings) = try parser.parseWithWarnings(bytes: bytes, fileName: path)
            file.lastGood = artifacts
            file.readWarnings = warnings.map { Self.diagnostic($0, severity: .warning) }
            // Checked offline, a file of network local entries only holds none; its warnings say why.
            let offline = warnings.contains { $0.message.hasPrefix(NetworkDocument.offlineWarningPrefix) }
            file.diagnostics = offline ? [] : Self.emptinessDiagnostics(artifacts, path: path)
        } catch {
            file.diagnostics = error.diagnostics.map { Self.diagnostic($0, severity: .error) }
        }
        files[path] = file
        return nil
    }

    private static func diagnostic(
        _ diagnostic: SynapseDiagnostic,
        severity: DeploymentStatus.Diagnostic.Severity
    ) -> DeploymentStatus.Diagnostic {
        DeploymentStatus.Diagnostic(
            file: diagnostic.location.file,
            line: diagnostic.location.line,
            column: diagnostic.location.column,
            message: diagnostic.message,
            severity: severity
        )
    }

    /// A file deployed from nowhere: it holds no artifacts (even if an earlier version did) and says why.
    private mutating func refuse(_ path: String, folder: String, changed: inout [String], message: String) {
        let diagnostics = [DeploymentStatus.Diagnostic(file: path, line: 1, column: 1, message: message)]
        if let existing = files[path], existing.lastGood == nil, existing.diagnostics == diagnostics { return }
        files[path] = File(path: path, folder: folder, signature: nil, lastGood: nil, diagnostics: diagnostics)
        changed.append(path)
    }

    private static func refusedLinkMessage(_ target: String?) -> String {
        guard let target else { return "symbolic link that does not resolve: not deployed" }
        return "symbolic link to \(target), outside the repository or not a regular file: not deployed"
    }

    /// `<repository>/deployment/server/synapse-configs/default` → `<repository>`; any other folder is its own root.
    private static func repositoryFolder(of synapseConfigPath: String) -> String {
        let suffix = "/deployment/server/synapse-configs/default"
        let trimmed = synapseConfigPath.hasSuffix("/") ? String(synapseConfigPath.dropLast()) : synapseConfigPath
        return trimmed.hasSuffix(suffix) ? String(trimmed.dropLast(suffix.count)) : trimmed
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
