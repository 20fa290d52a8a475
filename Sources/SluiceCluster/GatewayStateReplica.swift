import SluiceModel
public import SluiceSecurity
public import SluiceStorage
public import SluiceThrottling

/// A gateway's copy of what the publisher and the admin decide outside the artifacts: each API's lifecycle state
/// (a BLOCKED API answers 900907 at once), the administrators' throttling policies, which override and extend
/// the tier files, and their deny policies.
public final class GatewayStateReplica: ClusterChangeHandler {
    /// The repositories read.
    public typealias Storage = APIRepository & ThrottlingPolicyRepository & BlockingConditionRepository

    private let storage: any Storage
    private let statuses: APIStatusRegistry
    private let catalog: ThrottleTierCatalog
    private let blockingConditions: BlockingConditionRegistry

    /// Creates a replica.
    /// - Parameters:
    ///   - storage: The shared repositories.
    ///   - statuses: The gateway's lifecycle states.
    ///   - catalog: The gateway's tiers (loaded from the tier files first).
    ///   - blockingConditions: The gateway's deny policies.
    public init(
        storage: any Storage,
        statuses: APIStatusRegistry,
        catalog: ThrottleTierCatalog,
        blockingConditions: BlockingConditionRegistry
    ) {
        self.storage = storage
        self.statuses = statuses
        self.catalog = catalog
        self.blockingConditions = blockingConditions
    }

    public func reloadAll() async throws {
        for api in try await storage.apis() {
            statuses.setState(api.lifecycleState, context: api.context, version: api.version)
        }
        for level in TierLevel.allCases {
            for policy in try await storage.policies(level: level) { catalog.upsert(policy, level: level) }
        }
        blockingConditions.replace(with: try await storage.blockingConditions())
    }

    public func apply(_ event: ClusterEvent) async throws {
        switch event.topic {
        case .api:
            // A deleted API reads as absent; its artifact is removed, so its state no longer matters.
            if let api = try await storage.api(id: event.subject) {
                statuses.setState(api.lifecycleState, context: api.context, version: api.version)
            }
        case .policy:
            guard let (level, name) = event.policy else { return }
            if let policy = try await storage.policies(level: level).first(where: { $0.name == name }) {
                catalog.upsert(policy, level: level)
            } else {
                catalog.remove(tierNamed: name, level: level)
            }
        case .blockingCondition:
            blockingConditions.replace(with: try await storage.blockingConditions())
        case .application, .consumerKey, .subscription, .tokenFamilyRevoked, .tokensDeactivated, .apiKeysRevoked, .artifact:
            break
        }
    }
}
