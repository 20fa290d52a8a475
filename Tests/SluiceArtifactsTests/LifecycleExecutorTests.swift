import Foundation
import SluiceArtifacts
import SluiceModel
import SluiceSynapse
import Testing

@Suite struct LifecycleExecutorTests {
    /// What the gateway folder holds for the API.
    enum Deployment: Equatable {
        case absent
        /// Full chain, with authentication.
        case live
        /// No authentication handler.
        case prototype
        /// The 700700 resource.
        case blocked
    }

    static let legalTransitions: [(APILifecycleState, LifecycleAction)] = APILifecycleState.allCases.flatMap { state in
        LifecycleAction.allCases.filter { state.applying($0) != nil }.map { (state, $0) }
    }

    static let illegalTransitions: [(APILifecycleState, LifecycleAction)] = APILifecycleState.allCases.flatMap {
        state in
        LifecycleAction.allCases.filter { state.applying($0) == nil }.map { (state, $0) }
    }

    let builder = APITemplateBuilder(settings: ArtifactSettings(globalCORS: .disabled))
    let versionedFile = "admin--PizzaShackAPI_v1.0.0.xml"
    let defaultFile = "admin--PizzaShackAPI.xml"

    @Test(arguments: legalTransitions)
    func aLegalTransitionLeavesTheFolderMatchingTheNewState(state: APILifecycleState, action: LifecycleAction) async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var definition = Fixtures.pizzaShack()
        definition.isDefaultVersion = true
        try prepare(folder, for: state, definition: definition)
        let executor = LifecycleExecutor(builder: builder, deployer: DeploymentFolderWriter(apiFolder: folder.path))

        let outcome = try await executor.perform(action, from: state, definition: definition)

        let next = try #require(state.applying(action))
        #expect(outcome.previousState == state && outcome.action == action && outcome.newState == next)
        #expect(try deployment(in: folder) == expectedDeployment(for: next))
        #expect(try hasFile(defaultFile, in: folder) == next.isDeployed)
        #expect(try fileNames(in: folder).allSatisfy { $0.hasSuffix(".xml") })
        if !next.isDeployed { #expect(Set(outcome.removed) == [versionedFile, defaultFile]) }
    }

    @Test(arguments: illegalTransitions)
    func anIllegalTransitionIsRefusedAndTouchesNoFile(state: APILifecycleState, action: LifecycleAction) async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try prepare(folder, for: state, definition: Fixtures.pizzaShack())
        let before = try snapshot(folder)
        let executor = LifecycleExecutor(builder: builder, deployer: DeploymentFolderWriter(apiFolder: folder.path))

        let error = await #expect(throws: LifecycleError.self) {
            try await executor.perform(action, from: state, definition: Fixtures.pizzaShack())
        }
        #expect(error == .illegalTransition(from: state, action: action))
        #expect(error?.kind == .illegalTransition)
        #expect(error?.description.hasPrefix("cannot '\(action.rawValue)' an API in state \(state.rawValue)") == true)
        #expect(try snapshot(folder) == before)
    }

    @Test func illegalTransitionMessagesListTheAllowedActions() async {
        #expect(
            LifecycleError.illegalTransition(from: .created, action: .block).description
                == "cannot 'Block' an API in state CREATED; allowed: 'Publish', 'Deploy as a Prototype'"
        )
        #expect(
            LifecycleError.illegalTransition(from: .retired, action: .publish).description
                == "cannot 'Publish' an API in state RETIRED; no action is allowed in that state"
        )
    }

    @Test func publishWritesTheVersionedAndDefaultArtifacts() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var definition = Fixtures.pizzaShack()
        definition.isDefaultVersion = true
        let executor = LifecycleExecutor(builder: builder, deployer: DeploymentFolderWriter(apiFolder: folder.path))

        let outcome = try await executor.perform(.publish, from: .created, definition: definition)

        #expect(outcome.written == [versionedFile, defaultFile])
        #expect(try fileNames(in: folder) == [defaultFile, versionedFile])
        let xml = try String(contentsOf: folder.appendingPathComponent(versionedFile), encoding: .utf8)
        #expect(xml == SynapseSerializer.xml(for: try builder.api(for: definition, status: .published)))
    }

    @Test func retiringANonDefaultVersionLeavesTheDefaultArtifactOfAnotherVersion() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = DeploymentFolderWriter(apiFolder: folder.path)
        try writer.write("<api/>", fileName: defaultFile)
        try writer.write("<api/>", fileName: versionedFile)
        let executor = LifecycleExecutor(builder: builder, deployer: writer)

        let outcome = try await executor.perform(.retire, from: .deprecated, definition: Fixtures.pizzaShack())

        #expect(outcome.removed == [versionedFile])
        #expect(try fileNames(in: folder) == [defaultFile])
    }

    @Test func withoutPushToGatewayTheStateChangesButNoFileIsWritten() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let executor = LifecycleExecutor(builder: builder, deployer: DeploymentFolderWriter(apiFolder: folder.path))

        let outcome = try await executor.perform(
            .publish,
            from: .created,
            definition: Fixtures.pizzaShack(),
            options: LifecycleExecutor.Options(pushToGateway: false)
        )

        #expect(outcome.newState == .published)
        #expect(outcome.written.isEmpty)
        #expect(try fileNames(in: folder).isEmpty)
    }

    @Test func anUndeployableDefinitionIsRefusedBeforeAnyFileIsWritten() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var definition = Fixtures.pizzaShack()
        definition.endpointConfig = nil
        let executor = LifecycleExecutor(builder: builder, deployer: DeploymentFolderWriter(apiFolder: folder.path))

        let error = await #expect(throws: LifecycleError.self) {
            try await executor.perform(.publish, from: .created, definition: definition)
        }
        #expect(error?.kind == .invalidDefinition)
        #expect(error?.validationError?.hasIssue(for: "endpointConfig") == true)
        #expect(try fileNames(in: folder).isEmpty)

        // Taking an API off the gateway needs only its names.
        #expect(try await executor.perform(.retire, from: .deprecated, definition: definition).newState == .retired)
        definition.provider = nil
        let retireError = await #expect(throws: LifecycleError.self) {
            try await executor.perform(.retire, from: .deprecated, definition: definition)
        }
        #expect(retireError?.validationError?.hasIssue(for: "provider") == true)
    }

    @Test func aFailingGatewayIsReportedAsADeploymentFailure() async {
        let executor = LifecycleExecutor(builder: builder, deployer: UnwritableGateway())
        let error = await #expect(throws: LifecycleError.self) {
            try await executor.perform(.publish, from: .created, definition: Fixtures.pizzaShack())
        }
        #expect(error == .deploymentFailed(DeploymentError(fileName: versionedFile, reason: "disk full")))
        #expect(error?.description == "cannot deploy \(versionedFile): disk full")
        let removal = await #expect(throws: LifecycleError.self) {
            try await executor.perform(.demoteToCreated, from: .published, definition: Fixtures.pizzaShack())
        }
        #expect(removal?.kind == .deploymentFailed)
    }

    @Test(arguments: APILifecycleState.allCases)
    func redeployingRewritesTheArtifactOfTheCurrentState(state: APILifecycleState) async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var definition = Fixtures.pizzaShack()
        try prepare(folder, for: state, definition: definition)
        definition.endpointConfig?.productionEndpoints = [APIEndpoint(url: "http://moved.example.com/api")]
        let executor = LifecycleExecutor(builder: builder, deployer: DeploymentFolderWriter(apiFolder: folder.path))

        let written = try await executor.redeploy(definition, in: state)

        #expect(written == (state.isDeployed ? [versionedFile] : []))
        #expect(try deployment(in: folder) == expectedDeployment(for: state))
        if state.isDeployed && state != .blocked {
            let xml = try String(contentsOf: folder.appendingPathComponent(versionedFile), encoding: .utf8)
            #expect(xml.contains("http://moved.example.com/api"))
        }
    }

    // MARK: - Helpers

    private func prepare(_ folder: URL, for state: APILifecycleState, definition: APIDefinition) throws {
        let writer = DeploymentFolderWriter(apiFolder: folder.path)
        let api: SynapseAPI
        switch state {
        case .created, .retired: return
        case .blocked: api = try builder.blockedAPI(for: definition)
        case .prototyped: api = try builder.api(for: definition, status: .prototyped)
        case .published, .deprecated: api = try builder.api(for: definition, status: .published)
        }
        try writer.write(SynapseSerializer.xml(for: api), fileName: versionedFile)
        if definition.isDefaultVersion {
            try writer.write(
                SynapseSerializer.xml(for: try builder.defaultVersionAPI(for: definition)),
                fileName: defaultFile
            )
        }
    }

    private func expectedDeployment(for state: APILifecycleState) -> Deployment {
        switch state {
        case .created, .retired: .absent
        case .prototyped: .prototype
        case .blocked: .blocked
        case .published, .deprecated: .live
        }
    }

    /// Reads the versioned artifact back with the Synapse parser and tells which kind it is.
    private func deployment(in folder: URL) throws -> Deployment {
        let url = folder.appendingPathComponent(versionedFile)
        guard FileManager.default.fileExists(atPath: url.path) else { return .absent }
        let xml = try String(contentsOf: url, encoding: .utf8)
        let api = try #require(try SynapseParser().parse(xml: xml, fileName: versionedFile).apis.first)
        if api.resources.count == 1, api.handlers.isEmpty, xml.contains("700700") { return .blocked }
        let authenticates = api.handlers.contains { $0.className.hasSuffix("security.APIAuthenticationHandler") }
        return authenticates ? .live : .prototype
    }

    private func hasFile(_ name: String, in folder: URL) throws -> Bool {
        try fileNames(in: folder).contains(name)
    }

    private func fileNames(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    private func snapshot(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try fileNames(in: folder) {
            result[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return result
    }
}

/// A gateway whose disk is always full.
private struct UnwritableGateway: GatewayArtifactDeployer {
    func write(_ contents: String, fileName: String) throws(DeploymentError) {
        throw DeploymentError(fileName: fileName, reason: "disk full")
    }

    func remove(fileName: String) throws(DeploymentError) -> Bool {
        throw DeploymentError(fileName: fileName, reason: "disk full")
    }
}
