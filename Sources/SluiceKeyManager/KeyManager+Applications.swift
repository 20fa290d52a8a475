import Foundation
import Logging
public import SluiceModel
public import SluiceStorage

extension KeyManager {
    // MARK: - Applications

    /// Creates an application.
    /// - Parameters:
    ///   - name: Unique per owner.
    ///   - owner: The subscriber who owns it.
    ///   - throttlingTier: The application tier (app-tiers.xml).
    ///   - description: Free text.
    ///   - isInternal: An OAuth client of a tool (dynamic client registration), hidden from the developer portal.
    ///   - tokenType: `JWT` (WSO2 4.x's default: signed access tokens) or `OAUTH` (opaque ones).
    /// - Returns: The stored application.
    /// - Throws: ``StorageError/duplicate(_:)`` when the owner already has one of that name.
    public func createApplication(
        name: String,
        owner: String,
        throttlingTier: String = "Unlimited",
        description: String? = nil,
        isInternal: Bool = false,
        tokenType: String = KeyManager.jwtTokenType
    ) async throws -> ApplicationRecord {
        let created = now
        let application = ApplicationRecord(
            id: UUID().uuidString.lowercased(),
            name: name,
            owner: owner,
            throttlingTier: throttlingTier,
            description: description,
            tokenType: tokenType,
            createdAt: created,
            updatedAt: created,
            isInternal: isInternal
        )
        try await storage.createApplication(application)
        validationService.update { $0.upsert(application) }
        return application
    }

    /// Changes an application's name, tier, description or status.
    /// - Throws: ``StorageError``.
    public func updateApplication(_ application: ApplicationRecord) async throws {
        var updated = application
        updated.updatedAt = now
        try await storage.updateApplication(updated)
        clients.invalidate(applicationID: updated.id)
        validationService.update({ $0.upsert(updated) }, invalidating: .application(id: updated.id))
    }

    /// Deletes an application with its keys, tokens and subscriptions; its tokens stop working at once.
    /// - Returns: False when it did not exist.
    public func deleteApplication(id: String) async throws -> Bool {
        // Its tokens still waiting to be written must not land after the delete.
        await flushTokenWrites()
        let deleted = try await storage.deleteApplication(id: id)
        clients.invalidate(applicationID: id)
        validationService.update({ $0.removeApplication(id) }, invalidating: .application(id: id))
        return deleted
    }

    /// The application with this id.
    public func application(id: String) async throws -> ApplicationRecord? {
        try await storage.application(id: id)
    }

    /// Applications of an owner, or all.
    public func applications(owner: String? = nil) async throws -> [ApplicationRecord] {
        try await storage.applications(owner: owner)
    }

    // MARK: - Keys

    /// Generates a consumer key and secret of one type for an application.
    /// - Parameters:
    ///   - applicationID: The application.
    ///   - keyType: PRODUCTION or SANDBOX.
    ///   - grantTypes: Grants the client may use; the configuration's default when nil.
    ///   - callbackURL: The redirect URI.
    /// - Returns: The keys, with the secret in clear (shown once).
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown application, ``StorageError/duplicate(_:)`` when
    ///   keys of that type exist.
    public func generateKeys(
        applicationID: String,
        keyType: KeyType,
        grantTypes: [String]? = nil,
        callbackURL: String? = nil
    ) async throws -> GeneratedKeys {
        guard try await storage.application(id: applicationID) != nil else {
            throw StorageError.notFound("application \(applicationID)")
        }
        let secret = SecretGenerator.randomValue()
        let key = try await storeNewKey(
            consumerKey: SecretGenerator.randomValue(byteCount: 21),
            secretHash: SecretGenerator.hash(secret),
            applicationID: applicationID,
            keyType: keyType,
            grantTypes: grantTypes,
            callbackURL: callbackURL
        )
        return GeneratedKeys(
            applicationID: applicationID,
            keyType: keyType,
            consumerKey: key.consumerKey,
            consumerSecret: secret,
            grantTypes: key.grantTypes
        )
    }

    /// Stores new keys of an application and makes them known at once: the token endpoint's client directory drops
    /// any stale entry and the gateway's validation index learns the client.
    /// - Parameter grantTypes: Nil: the configuration's default grant types.
    func storeNewKey(
        consumerKey: String,
        secretHash: Data,
        applicationID: String,
        keyType: KeyType,
        grantTypes: [String]?,
        callbackURL: String?
    ) async throws -> ConsumerKeyRecord {
        let key = ConsumerKeyRecord(
            consumerKey: consumerKey,
            secretHash: secretHash,
            applicationID: applicationID,
            keyType: keyType,
            grantTypes: grantTypes ?? configuration.defaultKeyGrantTypes,
            callbackURL: callbackURL,
            createdAt: now
        )
        try await storage.saveConsumerKey(key)
        clients.invalidate(consumerKey: key.consumerKey)
        validationService.update { $0.upsert(key) }
        return key
    }

    /// Replaces the consumer secret of an application's key; the old secret stops working, issued tokens stay.
    /// - Returns: The keys with the new secret in clear (shown once).
    /// - Throws: ``StorageError/notFound(_:)`` when the application has no keys of that type.
    public func regenerateSecret(applicationID: String, keyType: KeyType) async throws -> GeneratedKeys {
        let keys = try await storage.consumerKeys(applicationID: applicationID)
        guard let key = keys.first(where: { $0.keyType == keyType }) else { throw StorageError.notFound("\(keyType.rawValue) keys of application \(applicationID)") }
        let secret = SecretGenerator.randomValue()
        try await storage.setSecretHash(SecretGenerator.hash(secret), forConsumerKey: key.consumerKey)
        clients.invalidate(consumerKey: key.consumerKey)
        return GeneratedKeys(
            applicationID: applicationID,
            keyType: keyType,
            consumerKey: key.consumerKey,
            consumerSecret: secret,
            grantTypes: key.grantTypes
        )
    }

    /// The consumer keys of an application (secrets are not retrievable).
    public func keys(applicationID: String) async throws -> [ConsumerKeyRecord] {
        try await storage.consumerKeys(applicationID: applicationID)
    }

    // MARK: - Subscriptions

    /// Subscribes an application to an API version.
    /// - Parameters:
    ///   - applicationID: The application.
    ///   - api: The API's context and version.
    ///   - apiID: The publisher's API id, when known.
    ///   - apiName: The API name, when known.
    ///   - apiProvider: The API provider, when known.
    ///   - tier: The subscription tier.
    ///   - status: The initial status.
    /// - Returns: The stored subscription.
    /// - Throws: ``StorageError``: duplicate subscription or unknown application.
    public func subscribe(
        applicationID: String,
        to api: APIKey,
        apiID: String? = nil,
        apiName: String? = nil,
        apiProvider: String? = nil,
        tier: String,
        status: SubscriptionStatus = .unblocked
    ) async throws -> SubscriptionRecord {
        let created = now
        let subscription = SubscriptionRecord(
            id: UUID().uuidString.lowercased(),
            applicationID: applicationID,
            apiID: apiID,
            apiContext: api.context,
            apiVersion: api.version,
            apiName: apiName,
            apiProvider: apiProvider,
            tier: tier,
            status: status,
            createdAt: created,
            updatedAt: created
        )
        try await storage.createSubscription(subscription)
        validationService.update { $0.upsert(subscription) }
        return subscription
    }

    /// Subscribes an application to a publisher API, found by its id.
    /// - Parameters:
    ///   - applicationID: The application.
    ///   - apiID: The publisher's API id.
    ///   - tier: The subscription tier.
    ///   - status: The initial status.
    /// - Returns: The stored subscription.
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown API; the errors of
    ///   ``subscribe(applicationID:to:apiID:apiName:apiProvider:tier:status:)``.
    public func subscribe(
        applicationID: String,
        apiID: String,
        tier: String,
        status: SubscriptionStatus = .unblocked
    ) async throws -> SubscriptionRecord {
        guard let api = try await storage.api(id: apiID) else { throw StorageError.notFound("API \(apiID)") }
        return try await subscribe(
            applicationID: applicationID,
            to: APIKey(context: api.context, version: api.version),
            apiID: api.id,
            apiName: api.name,
            apiProvider: api.provider,
            tier: tier,
            status: status
        )
    }

    /// Changes a subscription's tier or status (block, unblock); validation sees it at once.
    /// - Returns: The updated subscription, or nil when unknown.
    public func updateSubscription(
        id: String,
        tier: String,
        status: SubscriptionStatus
    ) async throws -> SubscriptionRecord? {
        guard let updated = try await storage.updateSubscription(id: id, tier: tier, status: status) else { return nil }
        validationService.update({ $0.upsert(updated) }, invalidating: Self.invalidation(of: updated))
        return updated
    }

    /// Removes a subscription.
    /// - Returns: False when unknown.
    public func unsubscribe(id: String) async throws -> Bool {
        guard let subscription = try await storage.subscription(id: id) else { return false }
        let deleted = try await storage.deleteSubscription(id: id)
        validationService.update({ $0.removeSubscription(id: id) }, invalidating: Self.invalidation(of: subscription))
        return deleted
    }

    private static func invalidation(of subscription: SubscriptionRecord) -> KeyValidationInvalidation {
        .subscription(
            applicationID: subscription.applicationID,
            apiContext: subscription.apiContext,
            apiVersion: subscription.apiVersion
        )
    }

    /// Subscriptions of an application.
    public func subscriptions(applicationID: String) async throws -> [SubscriptionRecord] {
        try await storage.subscriptions(applicationID: applicationID)
    }
}
