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
/// what it held. A folder or file that cannot be read is not a deleted one: everything keeps serving, the
/// problem is logged once and `needsRetry` asks the watcher to try again. An API whose name and version, or
/// context, another file already serves is refused (`APIClaims`): the API serving first keeps serving.
///
/// Reading, parsing and compiling run outside any lock: one pass runs at a time, and a call arriving meanwhile
/// only asks the running pass to scan once more (so no caller blocks behind a long deployment).
public final class GatewayDeployer: Sendable {
    /// The snapshot the data plane serves.
    public let snapshots = DeploymentSnapshotStore()
    let watchedDirectories: [String]
    private let handlerRegistry: GatewayHandlerRegistry
    private let classMediators: ClassMediatorRegistry
    private let databases: (any DatabaseConnector)?
    /// The http(s) documents of artifact files (`<localEntry src=>`, `<wsdl uri=>`), fetched at deployment.
    private let networkSources: NetworkSourceStore
    /// Files to read again because the documents they asked for have been fetched.
    private let fetchedFor = NIOLockedValueBox<Set<String>>([])
    /// Fetches running, and who waits for them to end.
    private let fetches = NIOLockedValueBox(Fetches())
    private let logger: Logger
    private let slot: NIOLockedValueBox<Slot>
    private let statusBox = NIOLockedValueBox(DeploymentStatus())
    private let retry = NIOLockedValueBox(false)

    /// The deployment state, out of the box while a pass works on it, and who waits for the running pass to end.
    private struct Slot {
        enum Phase {
            case idle(State)
            // A pass holds the state; `rescanRequested` when another call came meanwhile.
            case busy(rescanRequested: Bool)
        }

        var phase: Phase
        /// Callers of ``GatewayDeployer/redeployChangedFilesAndWait(timeout:clock:)``, resumed when the pass ends.
        var waiters = ParkedWaiters<Void>()

        var isBusy: Bool {
            if case .busy = phase { true } else { false }
        }
    }

    private struct Fetches {
        var running = 0
        var waiters = ParkedWaiters<Bool>()
    }

    private struct State {
        var repository: ArtifactRepository
        var generation = 0
        /// The paths that could not be read at the last scan, with why (logged when they appear and clear).
        var unreadable: [String: String] = [:]
        /// The `path#identity` key of the API serving each route in the current snapshot: it claims that route
        /// first at the next pass, so neither a newcomer nor another API's edit can take it over.
        var servingRoutes: [APIClaims.Route: String] = [:]
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
    ///   - databases: Opens the pools of `dblookup`/`dbreport` (nil: they fault).
    ///   - networkFetch: How the http(s) documents artifacts name are fetched.
    public convenience init(
        synapseConfigPath: String,
        handlerRegistry: GatewayHandlerRegistry,
        classMediators: ClassMediatorRegistry = .standard,
        databases: (any DatabaseConnector)? = nil,
        networkFetch: NetworkFetchLimits = NetworkFetchLimits(),
        logger: Logger
    ) {
        self.init(
            repository: ArtifactRepository(root: synapseConfigPath),
            handlerRegistry: handlerRegistry,
            classMediators: classMediators,
            databases: databases,
            networkFetch: networkFetch,
            logger: logger
        )
    }

    /// The designated initializer; tests pass a repository over a failing file system, `ArtifactCheck` one over
    /// the files it checks (and leaves missing folders missing).
    init(
        repository: ArtifactRepository,
        handlerRegistry: GatewayHandlerRegistry,
        classMediators: ClassMediatorRegistry = .standard,
        databases: (any DatabaseConnector)? = nil,
        networkFetch: NetworkFetchLimits = NetworkFetchLimits(),
        logger: Logger,
        createsFolders: Bool = true
    ) {
        self.databases = databases
        let networkSources = NetworkSourceStore(limits: networkFetch)
        self.networkSources = networkSources
        var repository = repository
        repository.networkSources = networkSources
        for directory in repository.directories where createsFolders {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        self.watchedDirectories = repository.directories
        self.handlerRegistry = handlerRegistry
        self.classMediators = classMediators
        self.logger = logger
        self.slot = NIOLockedValueBox(Slot(phase: .idle(State(repository: repository))))
    }

    /// The per-file deployment report.
    public var status: DeploymentStatus { statusBox.withLockedValue { $0 } }

    /// True when the last scan could not read some folder or file: scan again soon (with backoff).
    public var needsRetry: Bool { retry.withLockedValue { $0 } }

    /// Rescans the folders and, when anything changed (or nothing was deployed yet), builds and swaps a new
    /// snapshot. When a pass is already running, asks it to rescan once more and returns at once.
    /// - Returns: true when this call swapped in a new snapshot.
    @discardableResult
    public func redeployChangedFiles() -> Bool { runPasses().swapped }

    /// Deploys what changed and returns once no pass is running any more, so the caller's file is served: when
    /// another pass was running, it scans again (``redeployChangedFiles()`` asked it to) before it ends, and this
    /// call is resumed by that end, not by polling. Used by a node's own publisher right after writing an
    /// artifact; never on the request path.
    /// - Parameters:
    ///   - timeout: How long to wait for a running pass at most.
    ///   - clock: The clock `timeout` is measured on (tests inject one they move by hand).
    /// - Returns: False when `timeout` passed first: the running pass goes on and deploys the file when it ends.
    @discardableResult
    public func redeployChangedFilesAndWait<C: Clock>(timeout: C.Duration, clock: C) async -> Bool {
        let ran = runPasses().ran
        if ran, !fetches.withLockedValue({ $0.running > 0 }) { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                if !ran { await self.waitForRunningPass() }
                // The documents a pass asked for are fetched, then their files deployed by another pass.
                while await self.waitForFetches() { await self.waitForRunningPass() }
                return true
            }
            group.addTask {
                // Cancelled when the pass ends first; that answer is not the one taken.
                (try? await clock.sleep(until: clock.now.advanced(by: timeout), tolerance: nil)) == nil
            }
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
    }

    /// Runs passes until no rescan is asked for, unless one runs already (then asks it to rescan).
    /// - Returns: Whether this call ran the passes, and whether it swapped in a new snapshot.
    private func runPasses() -> (ran: Bool, swapped: Bool) {
        let taken: State? = slot.withLockedValue { slot in
            switch slot.phase {
            case .idle(let state):
                slot.phase = .busy(rescanRequested: false)
                return state
            case .busy:
                slot.phase = .busy(rescanRequested: true)
                return nil
            }
        }
        guard var state = taken else { return (false, false) }
        var swapped = false
        while true {
            swapped = deploymentPass(&state) || swapped
            startFetchesIfWanted()
            let waiters: [CheckedContinuation<Void, Never>]? = slot.withLockedValue { slot in
                if case .busy(rescanRequested: true) = slot.phase {
                    slot.phase = .busy(rescanRequested: false)
                    return nil
                }
                slot.phase = .idle(state)
                return slot.waiters.takeAll()
            }
            guard let waiters else { continue }
            for waiter in waiters { waiter.resume() }
            return (true, swapped)
        }
    }

    /// Returns when the running pass ends (at once when none runs); a cancelled wait returns at once too.
    private func waitForRunningPass() async {
        let id = slot.withLockedValue { $0.waiters.makeID() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let parked = slot.withLockedValue { $0.waiters.park(id, continuation, unless: !$0.isBusy) }
                if !parked { continuation.resume() }
            }
        } onCancel: {
            slot.withLockedValue { $0.waiters.cancel(id) }?.resume()
        }
    }

    /// Fetches the documents the last pass asked for, off the pass, and deploys the files that asked once they
    /// are in. Counted in `fetches` before the pass ends, so a caller waiting for the pass waits for them too.
    private func startFetchesIfWanted() {
        guard networkSources.hasWanted else { return }
        fetches.withLockedValue { $0.running += 1 }
        // An unstructured task bridges the synchronous pass to the asynchronous fetches; it ends with them.
        Task {
            let files = await networkSources.fetchWanted()
            fetchedFor.withLockedValue { $0.formUnion(files) }
            redeployChangedFiles()
            let waiters = fetches.withLockedValue { fetches -> [CheckedContinuation<Bool, Never>] in
                fetches.running -= 1
                guard fetches.running == 0 else { return [] }
                return fetches.waiters.takeAll()
            }
            for waiter in waiters { waiter.resume(returning: true) }
        }
    }

    /// Waits until no fetch runs; returns whether there was one to wait for (false too when cancelled).
    private func waitForFetches() async -> Bool {
        let id = fetches.withLockedValue { $0.waiters.makeID() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let parked = fetches.withLockedValue { $0.waiters.park(id, continuation, unless: $0.running == 0) }
                if !parked { continuation.resume(returning: false) }
            }
        } onCancel: {
            fetches.withLockedValue { $0.waiters.cancel(id) }?.resume(returning: false)
        }
    }

    // MARK: - Private

    /// One scan, and a new snapshot when something changed; no lock is held.
    private func deploymentPass(_ state: inout State) -> Bool {
        let fetched = fetchedFor.withLockedValue { files in
            defer { files = [] }
            return files
        }
        // Files whose documents arrived are read again; one the repository does not know (a document asked for
        // from no file) still needs the program compiled again.
        let forced = !state.repository.readAgain(fetched)
        let scan = state.repository.rescan()
        reportReadability(scan.unreadable, previously: state.unreadable)
        state.unreadable = scan.unreadable
        retry.withLockedValue { $0 = !scan.unreadable.isEmpty }
        guard !scan.changed.isEmpty || state.generation == 0 || forced else {
            statusBox.withLockedValue { $0.unreadable = scan.unreadable }
            return false
        }
        rebuild(&state, changed: Set(scan.changed))
        return true
    }

    private func rebuild(_ state: inout State, changed: Set<String>) {
        let files = state.repository.orderedFiles
        var problems: [String: [DeploymentStatus.Diagnostic]] = [:]
        for file in files { problems[file.path] = file.diagnostics }
        // Keys nothing deployed defines: deployed, and faulting when a message reaches them (as in Synapse).
        var warnings: [String: [DeploymentStatus.Diagnostic]] = [:]
        for file in files where !file.readWarnings.isEmpty { warnings[file.path] = file.readWarnings }
        var compiler = MediationCompiler(classMediators: classMediators, handlers: handlerRegistry)
        compiler.databases = databases
        compiler.networkSources = networkSources
        let previousNamed = state.lastGoodNamed
        let (program, named) = compileProgram(files: files, compiler: compiler, state: &state, problems: &problems)
        Self.addWarnings(program.unresolvedReferences, path: nil, to: &warnings)
        // A compiled API depends only on its file and on the named sequences and endpoints. While those stay the
        // same, APIs of unchanged files keep their compiled form: recompiling 10,000 APIs per edit takes a second.
        let programUnchanged = state.generation > 0 && previousNamed == state.lastGoodNamed

        var artifactNames: [String: [String]] = named
        var liveKeys: Set<String> = []
        var candidates: [Candidate] = []
        for file in files {
            for api in file.lastGood?.apis ?? [] {
                let key = file.path + "#" + APIClaims.identity(of: api)
                liveKeys.insert(key)
                artifactNames[file.path, default: []].append(api.name)
                candidates.append(Candidate(order: candidates.count, file: file.path, api: api, key: key))
            }
        }
        // What served before claims first (on the route it served), so a newcomer or another API's edit cannot
        // take over its name or context; the rest claim in file order.
        let servingKeys = Set(state.servingRoutes.values)
        let claimOrder = candidates.sorted { lhs, rhs in
            let (left, right) = (claimRank(lhs, state: state, servingKeys: servingKeys), claimRank(rhs, state: state, servingKeys: servingKeys))
            return left != right ? left < right : lhs.order < rhs.order
        }
        var claims = APIClaims()
        var served: [Int: DeployedAPI] = [:]
        for candidate in claimOrder {
            let file = candidate.file
            let key = candidate.key
            if let conflict = claims.claim(candidate.api, file: file) {
                let location = candidate.api.location
                problems[file, default: []].append(
                    .init(file: file, line: location?.line ?? 1, column: location?.column ?? 1, message: conflict)
                )
                state.currentAPIs.remove(key)
                // An edit that collides keeps its file's previous version serving, if that one still fits.
                if let previous = state.lastGoodAPIs[key], claims.claim(previous.compiled.definition, file: file) == nil {
                    served[candidate.order] = previous
                }
                continue
            }
            if programUnchanged, !changed.contains(file), state.currentAPIs.contains(key),
                let unchanged = state.lastGoodAPIs[key]
            {
                served[candidate.order] = unchanged
                Self.addWarnings(unchanged.compiled.unresolvedReferences, path: file, to: &warnings)
                continue
            }
            do {
                let deployed = DeployedAPI(
                    compiled: try compiler.compile(api: Self.resolvingBuiltInFault(candidate.api, in: program), in: program),
                    path: file
                )
                state.lastGoodAPIs[key] = deployed
                state.currentAPIs.insert(key)
                served[candidate.order] = deployed
                Self.addWarnings(deployed.compiled.unresolvedReferences, path: file, to: &warnings)
            } catch {
                state.currentAPIs.remove(key)
                problems[file, default: []].append(Self.diagnostic(error, path: file))
                if let previous = state.lastGoodAPIs[key] {
                    _ = claims.claim(previous.compiled.definition, file: file)
                    served[candidate.order] = previous
                }
            }
        }
        // The router breaks ties between equal contexts with other filters by position: keep file order.
        let apis = served.sorted { $0.key < $1.key }.map(\.value)
        state.servingRoutes = Dictionary(
            served.map { (APIClaims.Route($0.value.compiled.definition), candidates[$0.key].key) },
            uniquingKeysWith: { first, _ in first }
        )
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
            unreadable: state.unreadable,
            files: files.map { file in
                let diagnostics = problems[file.path] ?? []
                let stillServing = servingPaths.contains(file.path) || state.lastGoodNamed[file.path] != nil
                return DeploymentStatus.FileStatus(
                    path: file.path,
                    folder: file.folder,
                    state: diagnostics.isEmpty ? .deployed : .failed,
                    artifacts: artifactNames[file.path] ?? [],
                    diagnostics: diagnostics,
                    warnings: diagnostics.isEmpty ? warnings[file.path] ?? [] : [],
                    servingPreviousVersion: !diagnostics.isEmpty && stillServing
                )
            }
        )
        statusBox.withLockedValue { $0 = status }
        report(status, changed: changed)
    }

    /// 0: the API serves this very route now; 1: it serves under another route (its edit moved it); 2: new.
    private func claimRank(_ candidate: Candidate, state: State, servingKeys: Set<String>) -> Int {
        if state.servingRoutes[APIClaims.Route(candidate.api)] == candidate.key { return 0 }
        return servingKeys.contains(candidate.key) ? 1 : 2
    }

    /// An API of an artifact file, in file order.
    private struct Candidate {
        let order: Int
        let file: String
        let api: SynapseAPI
        /// `path#identity`: the key of its compiled form in `lastGoodAPIs`.
        let key: String
    }

    /// Logs each unreadable folder or file once when it appears, and once when it reads again.
    private func reportReadability(_ unreadable: [String: String], previously: [String: String]) {
        for (path, reason) in unreadable.sorted(by: { $0.key < $1.key }) where previously[path] != reason {
            logger.error(
                "Cannot read deployment path; what it deployed keeps serving and it is retried",
                metadata: ["sluice.deploy.file": .string(path), "sluice.deploy.error": .string(reason)]
            )
        }
        for path in previously.keys.sorted() where unreadable[path] == nil {
            logger.notice("Deployment path readable again", metadata: ["sluice.deploy.file": .string(path)])
        }
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
        let duplicates = NamedArtifactClaims.resolve(
            &candidates,
            order: files.map(\.path),
            served: state.lastGoodNamed
        )
        for (path, diagnostics) in duplicates { problems[path, default: []] += diagnostics }
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
                for warning in file.warnings {
                    logger.warning("\(warning.description)")
                }
            } else if file.diagnostics.allSatisfy({ $0.message.hasSuffix(NetworkDocument.pendingNote) }) {
                // Not a failure yet: the documents arrive, and the file is deployed again, in a moment.
                logger.info(
                    "Fetching the network documents of an artifact file",
                    metadata: ["sluice.deploy.file": .string(file.path)]
                )
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

    /// The unresolved references of a compiled program or API as warnings, by the file they are written in.
    private static func addWarnings(
        _ references: [MediationCompileError],
        path: String?,
        to warnings: inout [String: [DeploymentStatus.Diagnostic]]
    ) {
        for reference in references {
            var warning = diagnostic(reference, path: path)
            warning.severity = .warning
            warnings[warning.file, default: []].append(warning)
        }
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
