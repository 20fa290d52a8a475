public import SluiceArtifacts
public import SluiceKeyManager
public import SluiceModel
public import SluiceStorage

/// Every repository the management REST API uses.
public typealias APIManagerStorage = KeyManagerStorage & APIDocumentRepository & APIFeedbackRepository
    & ThrottlingPolicyRepository & UsageRepository & APIRevisionRepository & APICatalogRepository
    & BlockingConditionRepository & BotAccessRepository

/// The parts behind the publisher, devportal and admin controllers.
public final class APIManagerServices: Sendable {
    /// Users, applications, keys and subscriptions; writes reach the gateway's validation index at once. Only the
    /// services of this module use it: the REST API and the portals go through them.
    let keyManager: KeyManager
    /// The repositories; only the services of this module reach them.
    let storage: any APIManagerStorage
    /// Lifecycle transitions and their effect on the gateway's deployment folder.
    public let lifecycleExecutor: LifecycleExecutor
    public let configuration: APIManagerConfiguration
    package let authenticator: ManagementAuthenticator
    /// The comparisons API searches made (see ``APISearchQuery``).
    package let searchWork = SearchWorkCounter()
    /// Serializes the publisher's writes (create, edit, delete, copy, lifecycle changes); after each, the key
    /// manager re-reads the scopes APIs declare.
    let publisherGate: SerialGate

    /// Creates the services.
    /// - Parameters:
    ///   - keyManager: The key manager (shared with the OAuth2 endpoints and the gateway).
    ///   - storage: The repositories (`SQLiteStorage`).
    ///   - lifecycleExecutor: Writes and removes gateway artifacts.
    ///   - configuration: Body limits, built-in tiers, the policy-change hook.
    public init(
        keyManager: KeyManager,
        storage: any APIManagerStorage,
        lifecycleExecutor: LifecycleExecutor,
        configuration: APIManagerConfiguration = APIManagerConfiguration()
    ) {
        self.keyManager = keyManager
        self.storage = storage
        self.lifecycleExecutor = lifecycleExecutor
        self.configuration = configuration
        self.authenticator = ManagementAuthenticator(keyManager: keyManager)
        self.publisherGate = SerialGate(onLeave: { [keyManager] in keyManager.apiScopesChanged() })
    }

    /// The tiers of a level in effect: the built-in ones overridden and extended by administrator policies,
    /// plus `Unlimited`.
    /// - Parameter level: The tier level.
    /// - Returns: Tiers ordered by name, `Unlimited` included once.
    package func tiers(_ level: TierLevel) async throws -> [ThrottleTier] {
        var byName: [String: ThrottleTier] = [ThrottleTier.unlimited.name: .unlimited]
        for tier in configuration.builtInTiers[level]?.tiers ?? [] { byName[tier.name] = tier }
        for tier in try await storage.policies(level: level) { byName[tier.name] = tier }
        return byName.values.sorted { $0.name < $1.name }
    }

    /// The tiers in effect at every level, built-in ones overridden and extended by administrator policies: load
    /// them into the gateway's tier catalog at start (`ThrottleTierCatalog.replace(with:)`), then keep it current
    /// through ``APIManagerConfiguration/onThrottlingPolicyChange``.
    /// - Throws: Storage errors.
    public func tierSets() async throws -> [TierLevel: TierSet] {
        var sets: [TierLevel: TierSet] = [:]
        for level in TierLevel.allCases {
            // The catalog resolves Unlimited by itself; we list it only when an administrator defined it.
            let stored = Set(try await storage.policies(level: level).map(\.name))
            let tiers = try await tiers(level).filter { $0.name != ThrottleTier.unlimited.name || stored.contains($0.name) }
            sets[level] = TierSet(level: level, tiers: tiers)
        }
        return sets
    }

    /// The names of ``tiers(_:)``.
    package func tierNames(_ level: TierLevel) async throws -> Set<String> {
        Set(try await tiers(level).map(\.name))
    }
}
