public import Foundation
public import SluiceStorage

/// A change another node made, applied to this node's validation index (a cluster keeps every node's index in
/// step through the database's change log).
public enum KeyValidationChange: Sendable {
    /// An application was created or edited.
    case application(ApplicationRecord)
    /// An application was deleted, with its keys, tokens and subscriptions.
    case applicationRemoved(id: String)
    /// A consumer key was created or edited.
    case consumerKey(ConsumerKeyRecord)
    /// A consumer key was deleted, with its tokens.
    case consumerKeyRemoved(String)
    /// A subscription was created or changed (a lower revision than the one held is ignored).
    case subscription(SubscriptionRecord)
    /// A subscription was deleted.
    case subscriptionRemoved(id: String)
    /// An access token this node had not seen (other kinds are ignored).
    case token(TokenRecord)
    /// Every token of a family was revoked, including tokens of it that arrive later.
    case familyRevoked(String)
    /// Access tokens a refresh grant replaced.
    case tokensDeactivated([Data])
    /// API keys were revoked (their hashes).
    case apiKeysRevoked([Data])
}

extension KeyValidationService {
    /// Replaces the whole index with what storage holds: clients, applications, subscriptions and unexpired
    /// access tokens. Pollers of ``revocations(since:)`` are told to flush their caches.
    /// - Parameters:
    ///   - storage: The repositories.
    ///   - now: Tokens expired by then are left out.
    /// - Throws: Storage errors (the index is then unchanged).
    public func reload(
        from storage: any ApplicationRepository & SubscriptionRepository & TokenRepository,
        now: Date
    ) async throws {
        let index = try await KeyValidationIndex.load(from: storage, now: now)
        update { current in
            var index = index
            index.continueGenerations(after: current.revocationGeneration)
            current = index
        }
    }

    /// Applies a change another node made. Revocations reach the ``onRevocation(_:)`` listeners as the key
    /// manager's own do.
    public func apply(_ change: KeyValidationChange) {
        switch change {
        case .application(let application): update { $0.upsert(application) }
        case .applicationRemoved(let id): update { $0.removeApplication(id) }
        case .consumerKey(let key): update { $0.upsert(key) }
        case .consumerKeyRemoved(let consumerKey): update { $0.removeClient(consumerKey) }
        case .subscription(let subscription): update { $0.upsert(subscription) }
        case .subscriptionRemoved(let id): update { $0.removeSubscription(id: id) }
        case .token(let token): update { $0.insert(token) }
        case .familyRevoked(let familyID): revoke { $0.revokeFamily(familyID) }
        case .tokensDeactivated(let hashes): revoke { $0.deactivate(hashes) }
        case .apiKeysRevoked(let hashes): revoke { index in hashes.flatMap { index.revokeAPIKey(hash: $0) } }
        }
    }

    /// Whether the index holds the access token with this hash (SHA-256 of its text), in any state.
    public func knowsToken(hash: Data) -> Bool {
        update { index in index.tokens[hash] != nil }
    }

    /// Forgets access tokens that expired before `date`, which no longer validate anyway.
    /// - Returns: How many were forgotten.
    @discardableResult
    public func forgetTokens(expiredBefore date: Date) -> Int {
        update { index in
            let expired = index.tokens.filter { $0.value.expiresAt.map { $0 < date } ?? false }.map(\.key)
            index.remove(expired)
            return expired.count
        }
    }
}

extension KeyValidationIndex {
    /// An index of what storage holds now.
    static func load(
        from storage: any ApplicationRepository & SubscriptionRepository & TokenRepository,
        now: Date
    ) async throws -> KeyValidationIndex {
        var index = KeyValidationIndex()
        for application in try await storage.applications(owner: nil) { index.upsert(application) }
        for key in try await storage.allConsumerKeys() { index.upsert(key) }
        for subscription in try await storage.allSubscriptions() { index.upsert(subscription) }
        for token in try await storage.accessTokens(notExpiredAt: now) { index.insert(token) }
        index.revokedAPIKeys = Set(try await storage.revokedAPIKeys(notExpiredAt: now))
        return index
    }
}
