import Foundation
public import Logging
import NIOConcurrencyHelpers
public import SluiceMediation
import SluiceModel

/// Turns the artifact files into deployment snapshots: rescans the folders, parses what changed, compiles every
/// API against the named sequences and endpoints, and swaps the snapshot in one step.
///
/// Deployment is per file and atomic: a file that fails to parse or compile is reported (in `status` and in the
/// log as `path:line:column: message`) and whatever it deployed before keeps serving; a deleted file undeploys
/// what it held.
public final class GatewayDeployer: Sendable {
    /// The snapshot the data plane serves.
    public let snapshots = DeploymentSnapshotStore()
    let watchedDirectories: [String]
    private let handlerRegistry: GatewayHandlerRegistry
    private let classMediators: ClassMediatorRegistry
    private let logger: Logger
    private let state: NIOLockedValueBox<State>
    private let statusBox = NIOLockedValueBox(DeploymentStatus())

    private struct State {
        var repository: ArtifactRepository
        var generation = 0
        /// The last version of each API that compiled, by file and API name, to keep serving through a bad edit.
        var lastGoodAPIs: [String: DeployedAPI] = [:]
        /// The named sequences and endpoints of each file as they last compiled into a program.
        var lastGoodNamed: [String: SynapseArtifacts] = [:]
        /// Keys of `lastGoodAPIs` compiled from their file's current content (not kept through a failed edit).
        var currentAPIs: Set<String> = []
    }

    /// - Parameters:
    ///   - synapseConfigPath: `…/synapse-configs/default`; its artifact folders (`ArtifactRepository.folders`) are
    ///     created when missing.
    ///   - handlerRegistry: The handler classes APIs may name.
    ///   - logger: Receives one line per deployed, undeployed or failed file.
    ///   - classMediators: The `<class name=>` mediators sequences may use.
    public init(
        synapseConfigPath: String,
        handlerRegistry: GatewayHandlerRegistry,
        classMediators: ClassMediatorRegistry = .standard,
        logger: Logger
    ) {
        let repository = ArtifactRepository(root: synapseConfigPath)
        for directory in repository.directories {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        self.watchedDirectories = repository.directories
        self.handlerRegistry = handlerRegistry
        self.classMediators = classMediators
        self.logger = logger
        self.state = NIOLockedValueBox(State(repository: repository))
    }

    /// The per-file deployment report.
    public var status: DeploymentStatus { statusBox.withLockedValue { $0 } }

    /// Rescans the folders and, when anything changed (or nothing was deployed yet), builds and swaps a new
    /// snapshot.
    /// - Returns: true when a new snapshot was swapped in.
    @discardableResult
    public func redeployChangedFiles() -> Bool {
        state.withLockedValue { state in
            let changed = state.repository.rescan()
            guard !changed.isEmpty || state.generation == 0 else { return false }
            rebuild(&state, changed: Set(changed))
            return true
        }
    }

    // MARK: - Private

    private func rebuild(_ state: inout State, changed: Set<String>) {
        let files = state.repository.orderedFiles
        var problems: [String: [DeploymentStatus.Diagnostic]] = [:]
        for file in files { problems[file.path] = file.diagnostics }
        let compiler = MediationCompiler(classMediators: classMediators, handlers: handlerRegistry)
        let previousNamed = state.lastGoodNamed
        let (program, named) = compileProgram(files: files, compiler: compiler, state: &state, problems: &problems)
        // A compiled API depends only on its file and on the named sequences and endpoints. While those stay the
        // same, APIs of unchanged files keep their compiled form: recompiling 10,000 APIs per edit takes a second.
        let programUnchanged = state.generation > 0 && previousNamed == state.lastGoodNamed

        var apis: [DeployedAPI] = []
        var artifactNames: [String: [String]] = named
        var apiOwners: [String: String] = [:]
        var liveKeys: Set<String> = []
        for file in files {
            for api in file.lastGood?.apis ?? [] {
                // Synapse identifies an API by name and version ("name:vversion"): WSO2 deploys a default-version
                // API as a second artifact with the same name and no version.
                let identity = api.version.map { api.name + ":v" + $0 } ?? api.name
                let key = file.path + "#" + identity
                liveKeys.insert(key)
                artifactNames[file.path, default: []].append(api.name)
                if let owner = apiOwners[identity] {
                    problems[file.path, default: []].append(
                        .init(
                            file: file.path, line: api.location?.line ?? 1, column: api.location?.column ?? 1,
                            message: "an API named '\(identity)' is already deployed from \(owner)"
                        )
                    )
                    continue
                }
                if programUnchanged, !changed.contains(file.path), state.currentAPIs.contains(key),
                    let unchanged = state.lastGoodAPIs[key]
                {
                    apis.append(unchanged)
                    apiOwners[identity] = file.path
                    continue
                }
                do {
                    let deployed = DeployedAPI(
                        compiled: try compiler.compile(api: Self.resolvingBuiltInFault(api, in: program), in: program),
                        path: file.path
                    )
                    state.lastGoodAPIs[key] = deployed
                    state.currentAPIs.insert(key)
                    apis.append(deployed)
                    apiOwners[identity] = file.path
                } catch {
                    state.currentAPIs.remove(key)
                    problems[file.path, default: []].append(Self.diagnostic(error, path: file.path))
                    if let previous = state.lastGoodAPIs[key] {
                        apis.append(previous)
                        apiOwners[identity] = file.path
                    }
                }
            }
        }
        for key in state.lastGoodAPIs.keys where !liveKeys.contains(key) {
            state.lastGoodAPIs.removeValue(forKey: key)
            state.currentAPIs.remove(key)
        }

        state.generation += 1
        snapshots.replace(DeploymentSnapshot(generation: state.generation, apis: apis, program: program))
        // A set, not a search of `apis` per file: with 10,000 files that search cost most of a redeploy.
        let servingPaths = Set(apis.map(\.path))
        let status = DeploymentStatus(
            generation: state.generation,
            files: files.map { file in
                let diagnostics = problems[file.path] ?? []
                let stillServing = servingPaths.contains(file.path) || state.lastGoodNamed[file.path] != nil
                return DeploymentStatus.FileStatus(
                    path: file.path,
                    folder: file.folder,
                    state: diagnostics.isEmpty ? .deployed : .failed,
                    artifacts: artifactNames[file.path] ?? [],
                    diagnostics: diagnostics,
                    servingPreviousVersion: !diagnostics.isEmpty && stillServing
                )
            }
        )
        statusBox.withLockedValue { $0 = status }
        report(status, changed: changed)
    }

    /// Compiles the named sequences, endpoints, local entries and templates of every file into one program. A file whose artifacts break
    /// the program falls back to the version of it that compiled last time, or is left out.
    private func compileProgram(
        files: [ArtifactRepository.File],
        compiler: MediationCompiler,
        state: inout State,
        problems: inout [String: [DeploymentStatus.Diagnostic]]
    ) -> (MediationProgram, [String: [String]]) {
        var candidates: [String: SynapseArtifacts] = [:]
        for file in files {
            guard let named = file.lastGood?.namedArtifacts, !named.isEmpty else { continue }
            candidates[file.path] = named
        }
        var fellBack: Set<String> = []
        // Each round removes or rolls back one culprit, so this ends after at most twice the number of files.
        for _ in 0...(2 * candidates.count + 1) {
            let ordered = files.compactMap { candidates[$0.path] }
            do {
                let program = try compiler.compileProgram(
                    sequences: ordered.flatMap(\.sequences),
                    endpoints: ordered.flatMap(\.endpoints),
                    localEntries: ordered.flatMap(\.localEntries),
                    templates: ordered.flatMap(\.templates)
                )
                for (path, artifacts) in candidates { state.lastGoodNamed[path] = artifacts }
                for path in state.lastGoodNamed.keys where candidates[path] == nil {
                    state.lastGoodNamed.removeValue(forKey: path)
                }
                let names = candidates.mapValues {
                    $0.sequences.map(\.name) + $0.endpoints.compactMap(\.name) + $0.localEntries.map(\.key)
                        + $0.templates.map(\.name)
                }
                return (program, names)
            } catch {
                guard
                    let culprit = error.location.map(\.file).flatMap({ candidates[$0] != nil ? $0 : nil })
                        ?? candidates.keys.sorted().last
                else { break }
                problems[culprit, default: []].append(Self.diagnostic(error, path: culprit))
                if !fellBack.contains(culprit), let previous = state.lastGoodNamed[culprit], previous != candidates[culprit] {
                    candidates[culprit] = previous
                    fellBack.insert(culprit)
                } else {
                    candidates.removeValue(forKey: culprit)
                    state.lastGoodNamed.removeValue(forKey: culprit)
                }
            }
        }
        return (.empty, [:])
    }

    private func report(_ status: DeploymentStatus, changed: Set<String>) {
        let known = Set(status.files.map(\.path))
        for file in status.files where changed.contains(file.path) {
            if file.state == .deployed {
                logger.info("Deployed artifact file", metadata: ["sluice.deploy.file": .string(file.path)])
            } else {
                for diagnostic in file.diagnostics {
                    logger.error("\(diagnostic.description)")
                }
            }
        }
        for path in changed.subtracting(known).sorted() {
            logger.info("Undeployed deleted artifact file", metadata: ["sluice.deploy.file": .string(path)])
        }
    }

    /// Publisher-generated APIs name `faultSequence="fault"` on every resource, and WSO2 ships a `fault`
    /// sequence. Without a deployed one, the name means the built-in fault handling rather than an error.
    private static func resolvingBuiltInFault(_ api: SynapseAPI, in program: MediationProgram) -> SynapseAPI {
        guard program.sequence(named: "fault") == nil else { return api }
        var api = api
        for index in api.resources.indices where api.resources[index].faultSequence == .key("fault") {
            api.resources[index].faultSequence = nil
        }
        return api
    }

    private static func diagnostic(_ error: any Error, path: String?) -> DeploymentStatus.Diagnostic {
        if let compileError = error as? MediationCompileError {
            let location = compileError.location
            var message = compileError.description
            if let location, message.hasPrefix("\(location): ") { message.removeFirst("\(location): ".count) }
            return .init(
                file: location?.file ?? path ?? "",
                line: location?.line ?? 1,
                column: location?.column ?? 1,
                message: message
            )
        }
        return .init(file: path ?? "", line: 1, column: 1, message: String(describing: error))
    }
}
