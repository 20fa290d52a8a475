public import SluiceModel

/// Subscriptions of applications to APIs.
public protocol SubscriptionRepository: Sendable {
    /// Stores a new subscription.
    /// - Throws: ``StorageError/duplicate(_:)`` when the application is already subscribed to that API version,
    ///   ``StorageError/notFound(_:)`` when the application does not exist.
    func createSubscription(_ subscription: SubscriptionRecord) async throws
    /// Changes tier and status, bumping the revision.
    /// - Returns: The updated record, or nil when it does not exist.
    func updateSubscription(id: String, tier: String, status: SubscriptionStatus) async throws -> SubscriptionRecord?
    /// Deletes a subscription.
    /// - Returns: False when it did not exist.
    func deleteSubscription(id: String) async throws -> Bool
    /// The subscription with this id.
    func subscription(id: String) async throws -> SubscriptionRecord?
    /// Subscriptions of one application.
    func subscriptions(applicationID: String) async throws -> [SubscriptionRecord]
    /// Subscriptions to one API version.
    func subscriptions(to api: APIKey) async throws -> [SubscriptionRecord]
    /// Every subscription (to build the key manager's in-memory index).
    func allSubscriptions() async throws -> [SubscriptionRecord]
}
