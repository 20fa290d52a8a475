import Foundation
import SluiceJWT
import SluiceModel
import SluiceStorage

/// The in-memory state key validation answers from: access tokens by hash, clients, applications and
/// subscriptions.
///
/// Every change is a merge that commutes with the others, so writers need not apply them in commit order:
/// tokens only leave `active`, a revoked family stays revoked (tokens inserted later into it arrive revoked),
/// and a subscription is replaced only by a higher revision.
struct KeyValidationIndex: Sendable {
    struct Token: Sendable {
        var familyID: String
        var consumerKey: String
        var username: String
        var userType: AccessTokenUserType
        var scopes: [String]
        var issuedAt: Date
        var expiresAt: Date?
        var state: TokenRecord.State
    }

    struct Client: Sendable {
        var applicationID: String
        var keyType: KeyType
        var active: Bool
    }

    struct Application: Sendable {
        var name: String
        var owner: String
        var tier: String
    }

    struct SubscriptionKey: Hashable, Sendable {
        var applicationID: String
        var api: APIKey
    }

    struct Subscription: Sendable {
        var id: String
        var tier: String
        var status: SubscriptionStatus
        var revision: Int64
    }

    private(set) var tokens: [Data: Token] = [:]
    private var familyMembers: [String: Set<Data>] = [:]
    private var revokedFamilies: Set<String> = []
    private var clients: [String: Client] = [:]
    private(set) var applications: [String: Application] = [:]
    private(set) var subscriptions: [SubscriptionKey: Subscription] = [:]
    /// Hashes of revoked API keys that have not expired (API keys are not stored otherwise: they are self-contained).
    var revokedAPIKeys: Set<Data> = []
    private var subscriptionKeys: [String: SubscriptionKey] = [:]
    /// How many applications are held (for the load report).
    var applicationCount: Int { applications.count }
    /// How many subscriptions are held (for the load report).
    var subscriptionCount: Int { subscriptions.count }
    /// Counts revocations and deactivations; a gateway cache that saw a lower value must re-check.
    private(set) var revocationGeneration: UInt64 = 0
    /// Recent revoked hashes with the generation that revoked them, oldest first, bounded.
    private var revocationLog: [(generation: UInt64, hash: Data)] = []
    static let revocationLogLimit = 10_000

    // MARK: - Tokens

    mutating func insert(_ record: TokenRecord) {
        guard record.kind == .access, tokens[record.tokenHash] == nil else { return }
        var state = record.state
        if revokedFamilies.contains(record.familyID), state == .active { state = .revoked }
        tokens[record.tokenHash] = Token(
            familyID: record.familyID,
            consumerKey: record.consumerKey,
            username: record.username,
            userType: AccessTokenUserType(grantType: record.grantType),
            scopes: record.scopes,
            issuedAt: record.issuedAt,
            expiresAt: record.expiresAt,
            state: state
        )
        familyMembers[record.familyID, default: []].insert(record.tokenHash)
    }

    /// Marks access tokens replaced by a refresh grant.
    /// - Returns: Hashes that changed.
    @discardableResult
    mutating func deactivate(_ hashes: [Data]) -> [Data] {
        var changed: [Data] = []
        for hash in hashes where tokens[hash]?.state == .active {
            tokens[hash]?.state = .inactive
            changed.append(hash)
        }
        logRevocation(changed)
        return changed
    }

    /// Revokes a family, including members not inserted yet.
    /// - Returns: Hashes that changed.
    @discardableResult
    mutating func revokeFamily(_ familyID: String, alsoRevoking hashes: [Data] = []) -> [Data] {
        revokedFamilies.insert(familyID)
        var changed: [Data] = []
        for hash in familyMembers[familyID, default: []].union(hashes) where tokens[hash]?.state == .active {
            tokens[hash]?.state = .revoked
            changed.append(hash)
        }
        logRevocation(changed)
        return changed
    }

    /// Forgets tokens the database deleted (expired), and revoked families whose members are all gone.
    mutating func remove(_ hashes: [Data]) {
        for hash in hashes {
            guard let token = tokens.removeValue(forKey: hash) else { continue }
            familyMembers[token.familyID]?.remove(hash)
            if familyMembers[token.familyID]?.isEmpty == true {
                familyMembers[token.familyID] = nil
            }
        }
    }

    /// Forgets revoked families with no indexed member left. Their refresh tokens are revoked in storage, so no
    /// new member can appear; the set only guards inserts racing with the revocation itself.
    mutating func forgetEmptyRevokedFamilies() {
        revokedFamilies = revokedFamilies.filter { familyMembers[$0] != nil }
    }

    func revocations(since generation: UInt64) -> (generation: UInt64, hashes: [Data], complete: Bool) {
        let complete = generation >= revocationGeneration
            || (revocationLog.first.map { $0.generation <= generation + 1 } ?? false)
        let hashes = revocationLog.filter { $0.generation > generation }.map(\.hash)
        return (revocationGeneration, hashes, complete)
    }

    /// Continues the generation count of an index this one replaces. The revocation log starts empty, so
    /// pollers behind the new generation are told to flush their caches.
    mutating func continueGenerations(after previous: UInt64) {
        revocationGeneration = previous + 1
        revocationLog = []
    }

    mutating func logRevocation(_ hashes: [Data]) {
        guard !hashes.isEmpty else { return }
        revocationGeneration += 1
        for hash in hashes { revocationLog.append((revocationGeneration, hash)) }
        if revocationLog.count > Self.revocationLogLimit {
            revocationLog.removeFirst(revocationLog.count - Self.revocationLogLimit)
        }
    }

    // MARK: - Clients and applications

    mutating func upsert(_ application: ApplicationRecord) {
        applications[application.id] = Application(
            name: application.name,
            owner: application.owner,
            tier: application.throttlingTier
        )
    }

    mutating func upsert(_ key: ConsumerKeyRecord) {
        clients[key.consumerKey] = Client(
            applicationID: key.applicationID,
            keyType: key.keyType,
            active: key.state == "ACTIVE"
        )
    }

    /// Removes a client with its tokens (its keys were deleted).
    mutating func removeClient(_ consumerKey: String) {
        clients[consumerKey] = nil
        remove(tokens.filter { $0.value.consumerKey == consumerKey }.map(\.key))
    }

    /// Removes an application with its clients, their tokens and its subscriptions.
    mutating func removeApplication(_ applicationID: String) {
        applications[applicationID] = nil
        let removedClients = Set(clients.filter { $0.value.applicationID == applicationID }.keys)
        for key in removedClients { clients[key] = nil }
        remove(tokens.filter { removedClients.contains($0.value.consumerKey) }.map(\.key))
        for (key, entry) in subscriptionKeys where entry.applicationID == applicationID {
            subscriptionKeys[key] = nil
            subscriptions[entry] = nil
        }
    }

    // MARK: - Subscriptions

    mutating func upsert(_ subscription: SubscriptionRecord) {
        let key = SubscriptionKey(
            applicationID: subscription.applicationID,
            api: APIKey(context: subscription.apiContext, version: subscription.apiVersion)
        )
        if let existing = subscriptions[key], existing.revision > subscription.revision { return }
        subscriptions[key] = Subscription(
            id: subscription.id,
            tier: subscription.tier,
            status: subscription.status,
            revision: subscription.revision
        )
        subscriptionKeys[subscription.id] = key
    }

    mutating func removeSubscription(id: String) {
        guard let key = subscriptionKeys.removeValue(forKey: id) else { return }
        subscriptions[key] = nil
    }

    // MARK: - Validation

    /// Decides one call. `now` is compared with the expiry moved `skew` seconds earlier.
    func validate(
        tokenHash: Data,
        request: KeyValidationRequest,
        now: Date,
        skew: TimeInterval
    ) -> KeyValidationResult {
        guard let token = tokens[tokenHash] else { return .denied(.invalidCredentials) }
        guard token.state == .active else { return .denied(.accessTokenInactive) }
        let validUntil = token.expiresAt.map { $0.addingTimeInterval(-skew) }
        if let validUntil, now >= validUntil { return .denied(.accessTokenExpired) }
        return authorize(
            consumerKey: token.consumerKey,
            endUser: token.username,
            userType: token.userType,
            scopes: token.scopes,
            validUntil: validUntil,
            request: request
        )
    }

    /// Decides one call made with a verified JWT. The token is valid on its signature alone (it may come from a
    /// key manager sharing the key); memory only knows whether it was revoked, which WSO2 answers with 900901.
    func validate(
        jwt token: VerifiedAccessToken,
        request: KeyValidationRequest,
        now: Date,
        skew: TimeInterval
    ) -> KeyValidationResult {
        if let known = tokens[token.tokenHash], known.state != .active { return .denied(.invalidCredentials) }
        let claims = token.claims
        let validUntil = Date(timeIntervalSince1970: TimeInterval(claims.exp)).addingTimeInterval(-skew)
        if now >= validUntil { return .denied(.accessTokenExpired) }
        if now.addingTimeInterval(skew) < Date(timeIntervalSince1970: TimeInterval(claims.nbf)) {
            return .denied(.invalidCredentials)
        }
        return authorize(
            consumerKey: claims.clientID,
            endUser: claims.sub,
            userType: AccessTokenUserType(rawValue: claims.aut),
            scopes: claims.scopes,
            validUntil: validUntil,
            request: request
        )
    }

    /// The checks after the token: an active client of a known application, subscribed to the API with a
    /// subscription that admits the key type, holding a scope of the resource.
    private func authorize(
        consumerKey: String,
        endUser: String,
        userType: AccessTokenUserType?,
        scopes: [String],
        validUntil: Date?,
        request: KeyValidationRequest
    ) -> KeyValidationResult {
        guard let client = clients[consumerKey], client.active,
            let application = applications[client.applicationID]
        else { return .denied(.invalidCredentials) }
        let key = SubscriptionKey(
            applicationID: client.applicationID,
            api: APIKey(context: request.apiContext, version: request.apiVersion)
        )
        guard let subscription = subscriptions[key] else { return .denied(.resourceForbidden) }
        guard subscription.status.admits(client.keyType) else { return .denied(.subscriptionInactive) }
        if !request.requiredScopes.isEmpty, !request.requiredScopes.contains(where: scopes.contains) {
            return .denied(.invalidScope)
        }
        return KeyValidationResult(
            authorized: true,
            applicationID: client.applicationID,
            applicationName: application.name,
            applicationTier: application.tier,
            subscriber: application.owner,
            consumerKey: consumerKey,
            keyType: client.keyType,
            endUser: endUser,
            subscriptionTier: subscription.tier,
            userType: userType,
            scopes: scopes,
            validUntil: validUntil?.timeIntervalSince1970
        )
    }
}
