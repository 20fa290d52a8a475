public import SluiceModel
import SluiceSynapse

/// Carries out lifecycle actions on an API: checks the transition, then makes the gateway match the new state,
/// as WSO2's `APIExecutor` does.
///
/// | action | effect on the gateway folder |
/// |---|---|
/// | Publish, Re-Publish | writes the artifact (and the default-version one) |
/// | Deploy as a Prototype, Demote to Prototyped | writes the prototype artifact (no keys, no quotas) |
/// | Block | replaces the artifact with the 700700 one |
/// | Deprecate | keeps a published artifact; a blocked API gets its working artifact back |
/// | Demote to Created, Retire | removes the artifacts |
///
/// ```swift
/// let executor = LifecycleExecutor(deployer: DeploymentFolderWriter(repository: "repository"))
/// let outcome = try await executor.perform(.publish, from: .created, definition: definition)
/// // outcome.newState == .published, outcome.written == ["admin--PizzaShackAPI_v1.0.0.xml"]
/// ```
public struct LifecycleExecutor: Sendable {
    /// Builds the artifacts.
    public var builder: APITemplateBuilder
    /// Writes and removes the artifact files.
    public var deployer: any GatewayArtifactDeployer
    private let render: @Sendable (SynapseAPI) -> String

    /// Creates an executor that writes canonical Synapse XML.
    /// - Parameters:
    ///   - builder: Builds the artifacts (carries the gateway-wide settings).
    ///   - deployer: Where the artifact files go.
    public init(builder: APITemplateBuilder = APITemplateBuilder(), deployer: any GatewayArtifactDeployer) {
        self.builder = builder
        self.deployer = deployer
        self.render = { SynapseSerializer.xml(for: $0) }
    }

    /// Options of one lifecycle change.
    public struct Options: Sendable, Hashable {
        /// False changes the state without writing artifacts (WSO2's "push to gateway" switch); removals still
        /// happen, so an API that leaves the gateway never stays reachable.
        public var pushToGateway: Bool

        /// Creates options.
        public init(pushToGateway: Bool = true) {
            self.pushToGateway = pushToGateway
        }
    }

    /// What a lifecycle change did.
    public struct Outcome: Sendable, Hashable {
        /// The state before the action.
        public var previousState: APILifecycleState
        /// The action carried out.
        public var action: LifecycleAction
        /// The state to store for the API.
        public var newState: APILifecycleState
        /// Files written, in order.
        public var written: [String]
        /// Files removed (only those that existed).
        public var removed: [String]
    }

    /// Applies `action` to an API in state `current` and updates the gateway folder to match.
    /// - Parameters:
    ///   - action: The lifecycle action, as the publisher names it.
    ///   - current: The API's state now (the caller's stored state, not the definition's field).
    ///   - definition: The API.
    ///   - options: Whether to write artifacts.
    /// - Returns: The new state and the files written and removed.
    /// - Throws: `LifecycleError` for an illegal transition, a definition that cannot be deployed, or a file that
    ///   cannot be written; the caller keeps the old state then.
    public func perform(
        _ action: LifecycleAction,
        from current: APILifecycleState,
        definition: APIDefinition,
        options: Options = Options()
    ) async throws(LifecycleError) -> Outcome {
        guard let next = current.applying(action) else {
            throw .illegalTransition(from: current, action: action)
        }
        var outcome = Outcome(previousState: current, action: action, newState: next, written: [], removed: [])
        switch action {
        case .demoteToCreated, .retire:
            try await undeploy(definition, into: &outcome)
        case .publish, .republish, .deployAsPrototype, .demoteToPrototyped, .block, .deprecate:
            let artifacts: [GatewayArtifact]
            do {
                artifacts = try artifactsToWrite(for: action, from: current, to: next, definition: definition)
            } catch {
                throw .invalidDefinition(error)
            }
            guard options.pushToGateway else { break }
            outcome.written = try await write(artifacts)
        }
        return outcome
    }

    /// Rewrites the artifacts of an API whose definition changed while it stays in `state` (an update through
    /// `PUT /apis/{id}`), so the gateway serves the new definition without a lifecycle change.
    /// - Parameters:
    ///   - definition: The updated API.
    ///   - state: Its current state; APIs that are not deployed (`CREATED`, `RETIRED`) are left alone.
    /// - Returns: The files written.
    /// - Throws: `LifecycleError` for a definition that cannot be deployed or a file that cannot be written.
    @discardableResult
    public func redeploy(_ definition: APIDefinition, in state: APILifecycleState) async throws(LifecycleError)
        -> [String]
    {
        guard state.isDeployed else { return [] }
        let artifacts: [GatewayArtifact]
        do {
            if state == .blocked {
                let blocked = try builder.blockedAPI(for: definition)
                artifacts = [GatewayArtifact(fileName: builder.fileName(for: definition), api: blocked)]
            } else {
                artifacts = try builder.artifacts(for: definition, status: state)
            }
        } catch {
            throw .invalidDefinition(error)
        }
        return try await write(artifacts)
    }

    // MARK: - Effects

    private func write(_ artifacts: [GatewayArtifact]) async throws(LifecycleError) -> [String] {
        var written: [String] = []
        for artifact in artifacts {
            do {
                try await deployer.write(render(artifact.api), fileName: artifact.fileName)
            } catch {
                throw .deploymentFailed(error)
            }
            written.append(artifact.fileName)
        }
        return written
    }

    private func artifactsToWrite(
        for action: LifecycleAction,
        from current: APILifecycleState,
        to next: APILifecycleState,
        definition: APIDefinition
    ) throws(APIValidationError) -> [GatewayArtifact] {
        switch action {
        case .block:
            // The default-version artifact forwards to this one, so it needs no change to refuse calls too.
            return [
                GatewayArtifact(
                    fileName: builder.fileName(for: definition),
                    api: try builder.blockedAPI(for: definition)
                )
            ]
        case .deprecate where current == .blocked:
            // A deprecated API still serves its existing subscribers, so a blocked one gets its artifact back.
            return [
                GatewayArtifact(
                    fileName: builder.fileName(for: definition),
                    api: try builder.api(for: definition, status: next)
                )
            ]
        case .deprecate:
            // The published artifact is already right; rewriting it would only make gateways redeploy it.
            return []
        default:
            return try builder.artifacts(for: definition, status: next)
        }
    }

    private func undeploy(_ definition: APIDefinition, into outcome: inout Outcome) async throws(LifecycleError) {
        // Removal needs only the names that make up the file names, not a deployable definition.
        var issues = definition.validationIssues().filter { ["name", "version", "provider"].contains($0.field) }
        if definition.provider == nil {
            issues.append(
                APIValidationError.Issue(
                    field: "provider",
                    message: "provider is required to name the gateway artifact"
                )
            )
        }
        guard issues.isEmpty else { throw .invalidDefinition(APIValidationError(issues: issues)) }
        var fileNames = [builder.fileName(for: definition)]
        // Another version may be the default now; only the default version owns the unversioned file.
        if definition.isDefaultVersion { fileNames.append(builder.defaultVersionFileName(for: definition)) }
        for fileName in fileNames {
            do {
                if try await deployer.remove(fileName: fileName) { outcome.removed.append(fileName) }
            } catch {
                throw .deploymentFailed(error)
            }
        }
    }
}
