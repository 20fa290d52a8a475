import Foundation
import Logging
public import SluiceMediation

/// What deployment says about a set of artifact files, said by the deployer itself: `sluice validate` and the
/// hot-deploy watcher run the same `GatewayDeployer` pass (parse, emptiness check, duplicate names, compilation of
/// the named sequences, endpoints, local entries and templates, API name and context claims, compilation of every
/// API against the handler classes), so the two cannot drift. Nothing is served and no folder is created.
///
/// A `synapse-configs/default` folder is checked as the gateway deploys it. Loose files are checked with the
/// repository they sit in (a file in `<root>/api/`, `<root>/sequences/`... with `<root>`'s other artifacts, so
/// references resolve as they will), the others together with an optional repository. A reference to a sequence,
/// endpoint, local entry or template nothing given defines is the deployer's warning: the file deploys and a
/// message reaching the reference faults, as in Synapse.
public struct ArtifactCheck: Sendable {
    /// What one file would deploy as.
    public struct FileReport: Sendable, Hashable {
        /// The path as the caller spelled it (the deployer's own path for a folder's files).
        public var path: String
        /// Why deployment refuses the file (or part of it); empty when it deploys.
        public var errors: [DeploymentStatus.Diagnostic]
        /// References nothing given defines: the file deploys, and a message reaching one faults.
        public var warnings: [DeploymentStatus.Diagnostic]

        /// The deployer's lines for the file (`DeploymentStatus.FileStatus.lines`): `OK path` for a file that
        /// deploys cleanly, else one `path:line:column: message` line per error, then per warning
        /// (`path:line:column: warning: message`).
        public var lines: [String] {
            DeploymentStatus.FileStatus(
                path: path, folder: "", state: errors.isEmpty ? .deployed : .failed, artifacts: [],
                diagnostics: errors, warnings: warnings
            ).lines
        }
    }

    private let handlerRegistry: GatewayHandlerRegistry
    private let classMediators: ClassMediatorRegistry
    private let networkFetch: NetworkFetchLimits

    /// - Parameters:
    ///   - handlerRegistry: The handler classes the gateway knows (`GatewayHandlerRegistry.apiManagerForChecking`
    ///     for a node's).
    ///   - classMediators: The `<class name=>` mediators it knows.
    ///   - networkFetch: How the http(s) documents artifacts name are fetched, as deployment fetches them
    ///     (`offline`: not at all, each one a warning).
    public init(
        handlerRegistry: GatewayHandlerRegistry,
        classMediators: ClassMediatorRegistry = .standard,
        networkFetch: NetworkFetchLimits = NetworkFetchLimits()
    ) {
        self.handlerRegistry = handlerRegistry
        self.classMediators = classMediators
        self.networkFetch = networkFetch
    }

    /// The artifact folders a `synapse-configs/default` folder holds (deployed, or refused with a reason).
    public static var artifactFolders: [String] {
        ArtifactRepository.folders + ArtifactRepository.refusedFolders.keys.sorted()
    }

    /// True when `path` is a `synapse-configs/default`-style folder: it holds one of the artifact folders.
    public static func isSynapseConfigFolder(_ path: String) -> Bool {
        artifactFolders.contains { folder in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path + "/" + folder, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }

    /// What the gateway deploying `synapseConfigPath` reports, file by file in deployment order, then the folders
    /// and files it cannot read.
    public func checkFolder(_ synapseConfigPath: String) async -> [FileReport] {
        let root = synapseConfigPath.hasSuffix("/") ? String(synapseConfigPath.dropLast()) : synapseConfigPath
        let status = await deploy(ArtifactRepository(root: root))
        return status.files.map { FileReport(path: $0.path, errors: $0.diagnostics, warnings: $0.warnings) }
            + status.unreadable.sorted { $0.key < $1.key }.map { path, reason in
                FileReport(path: path, errors: [.init(file: path, line: 1, column: 1, message: reason)], warnings: [])
            }
    }

    /// What deployment reports for each of `paths`, in their order.
    /// - Parameters:
    ///   - paths: Artifact files.
    ///   - repository: The `synapse-configs/default` folder whose artifacts the files outside any such folder are
    ///     deployed with; nil to check them on their own.
    public func checkFiles(_ paths: [String], repository: String? = nil) async -> [FileReport] {
        // The deployer's path of each file (its repository's spelling) → the caller's.
        var groups: [String?: [ArtifactRepository.LooseFile]] = [:]
        var callerPath: [String: String] = [:]
        for path in paths {
            let placed = Self.placement(of: path)
            let root = placed?.root ?? repository
            let deployerPath = placed.map { $0.root + "/" + $0.folder + "/" + $0.name } ?? path
            callerPath[deployerPath] = path
            groups[root, default: []].append(.init(path: deployerPath, folder: placed?.folder ?? ""))
        }
        var reports: [String: FileReport] = [:]
        for (root, files) in groups {
            let status = await deploy(ArtifactRepository(root: root, looseFiles: files))
            let requested = Set(files.map(\.path))
            for file in status.files where requested.contains(file.path) {
                let path = callerPath[file.path] ?? file.path
                reports[path] = FileReport(path: path, errors: file.diagnostics, warnings: file.warnings)
            }
            for (unreadable, reason) in status.unreadable where requested.contains(unreadable) {
                let path = callerPath[unreadable] ?? unreadable
                reports[path] = FileReport(
                    path: path,
                    errors: [.init(file: path, line: 1, column: 1, message: reason)],
                    warnings: []
                )
            }
        }
        return paths.map { path in
            reports[path]
                ?? FileReport(
                    path: path,
                    errors: [.init(file: path, line: 1, column: 1, message: "no such file")],
                    warnings: []
                )
        }
    }

    // MARK: - Private

    /// The first deployment of `repository`, from nothing, as a gateway starting on it does: network documents
    /// included (fetched, or warnings offline).
    private func deploy(_ repository: ArtifactRepository) async -> DeploymentStatus {
        let deployer = GatewayDeployer(
            repository: repository,
            handlerRegistry: handlerRegistry,
            classMediators: classMediators,
            networkFetch: networkFetch,
            logger: Logger(label: "sluice.validate", factory: { _ in SwiftLogNoOpLogHandler() }),
            createsFolders: false
        )
        await deployer.redeployChangedFilesAndWait(
            timeout: .nanoseconds(networkFetch.timeout.nanoseconds * 2) + .seconds(5),
            clock: ContinuousClock()
        )
        return deployer.status
    }

    /// The repository a file sits in: `<root>/<artifact folder>/<name>`.
    private static func placement(of path: String) -> (root: String, folder: String, name: String)? {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard components.count >= 2 else { return nil }
        let folder = String(components[components.count - 2])
        guard artifactFolders.contains(folder) else { return nil }
        let root = components.dropLast(2).joined(separator: "/")
        let name = String(components[components.count - 1])
        if root.isEmpty { return path.hasPrefix("/") ? ("", folder, name) : (".", folder, name) }
        return (root, folder, name)
    }
}
