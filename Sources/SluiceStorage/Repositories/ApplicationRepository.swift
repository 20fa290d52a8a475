public import Foundation

/// Applications and their consumer keys.
///
/// ```swift
/// try await applications.createApplication(app)
/// try await applications.saveConsumerKey(key)
/// ```
public protocol ApplicationRepository: Sendable {
    /// Stores a new application.
    /// - Throws: ``StorageError/duplicate(_:)`` when the owner already has an application of that name.
    func createApplication(_ application: ApplicationRecord) async throws
    /// Replaces an application's mutable fields (name, owner, tier, description, token type, status).
    /// - Throws: ``StorageError/notFound(_:)``, ``StorageError/duplicate(_:)``.
    func updateApplication(_ application: ApplicationRecord) async throws
    /// Deletes an application with its keys, tokens and subscriptions.
    /// - Returns: False when it did not exist.
    func deleteApplication(id: String) async throws -> Bool
    /// The application with this id.
    func application(id: String) async throws -> ApplicationRecord?
    /// The owner's application with this name.
    func application(owner: String, name: String) async throws -> ApplicationRecord?
    /// Applications of one owner, or all when `owner` is nil, ordered by name.
    func applications(owner: String?) async throws -> [ApplicationRecord]
    /// Stores a new consumer key.
    /// - Throws: ``StorageError/duplicate(_:)`` when the application already has a key of that type.
    func saveConsumerKey(_ key: ConsumerKeyRecord) async throws
    /// The consumer key record for a client id.
    func consumerKey(_ consumerKey: String) async throws -> ConsumerKeyRecord?
    /// The keys of one application.
    func consumerKeys(applicationID: String) async throws -> [ConsumerKeyRecord]
    /// Every consumer key (to build the key manager's in-memory index).
    func allConsumerKeys() async throws -> [ConsumerKeyRecord]
    /// Replaces the stored secret hash of a consumer key.
    /// - Throws: ``StorageError/notFound(_:)``.
    func setSecretHash(_ secretHash: Data, forConsumerKey consumerKey: String) async throws
    /// Replaces a consumer key's grant types and callback URL.
    /// - Throws: ``StorageError/notFound(_:)``.
    func updateConsumerKey(_ consumerKey: String, grantTypes: [String], callbackURL: String?) async throws
    /// Deletes a consumer key with its tokens.
    /// - Returns: False when it did not exist.
    func deleteConsumerKey(_ consumerKey: String) async throws -> Bool
}
