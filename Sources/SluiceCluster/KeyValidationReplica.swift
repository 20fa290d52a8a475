public import Foundation
public import SluiceKeyManager
public import SluiceStorage
import Synchronization

/// This node's key-validation index kept in step with the cluster: loaded from storage, then every application,
/// key, subscription and token change another node logs is applied to it. Gateways answer from it in memory.
public final class KeyValidationReplica: ClusterChangeHandler {
    /// The repositories the index is read from.
    public typealias Storage = ApplicationRepository & SubscriptionRepository & TokenRepository

    /// The index the gateway (or the local key manager) answers from.
    public let service: KeyValidationService
    private let storage: any Storage
    private let clock: @Sendable () -> Date
    private let accessListeners = Mutex<[@Sendable () -> Void]>([])

    /// Creates a replica.
    /// - Parameters:
    ///   - service: The index to keep current (a key manager's own, or a gateway's).
    ///   - storage: The shared repositories.
    ///   - clock: The wall clock; expired tokens are left out of loads.
    public init(
        service: KeyValidationService,
        storage: any Storage,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.service = service
        self.storage = storage
        self.clock = clock
    }

    /// Registers a callback run after a change that may turn an earlier answer around (an application, key or
    /// subscription changed, or everything was reloaded): a cache of answers empties itself here. Revocations
    /// reach `service`'s revocation listeners instead.
    public func onAccessChange(_ listener: @escaping @Sendable () -> Void) {
        accessListeners.withLock { $0.append(listener) }
    }

    private func onAccessChange() {
        for listener in accessListeners.withLock({ $0 }) { listener() }
    }

    public func reloadAll() async throws {
        try await service.reload(from: storage, now: clock())
        onAccessChange()
    }

    public func apply(_ event: ClusterEvent) async throws {
        switch event.topic {
        case .application:
            try await refreshApplication(id: event.subject)
        case .consumerKey:
            if let key = try await storage.consumerKey(event.subject) {
                service.apply(.consumerKey(key))
            } else {
                service.apply(.consumerKeyRemoved(event.subject))
            }
            onAccessChange()
        case .subscription:
            if let subscription = try await storage.subscription(id: event.subject) {
                service.apply(.subscription(subscription))
            } else {
                service.apply(.subscriptionRemoved(id: event.subject))
            }
            onAccessChange()
        case .tokenFamilyRevoked:
            service.apply(.familyRevoked(event.subject))
        case .tokensDeactivated:
            service.apply(.tokensDeactivated(event.hashes))
        case .apiKeysRevoked:
            service.apply(.apiKeysRevoked(event.hashes))
        case .api, .policy, .artifact, .blockingCondition:
            break
        }
    }

    /// Reads a token this node has not seen, with its client, application and the application's subscriptions,
    /// and adds them to the index. Run it through ``ClusterFollower/perform(_:)`` so it is ordered with the
    /// changes the log brings.
    /// - Parameter hash: SHA-256 of the token text.
    /// - Returns: False when storage has no such access token.
    /// - Throws: Storage errors.
    public func fetchToken(hash: Data) async throws -> Bool {
        guard let token = try await storage.token(hash: hash), token.kind == .access else { return false }
        service.apply(.token(token))
        guard let key = try await storage.consumerKey(token.consumerKey) else { return true }
        service.apply(.consumerKey(key))
        try await refreshApplication(id: key.applicationID)
        for subscription in try await storage.subscriptions(applicationID: key.applicationID) {
            service.apply(.subscription(subscription))
        }
        return true
    }

    /// Forgets tokens that have expired (storage deletes them without logging a change).
    public func tidy() {
        service.forgetTokens(expiredBefore: clock())
    }

    private func refreshApplication(id: String) async throws {
        if let application = try await storage.application(id: id) {
            service.apply(.application(application))
        } else {
            service.apply(.applicationRemoved(id: id))
        }
        onAccessChange()
    }
}
