import Foundation

/// The secrets of consumer keys beyond each key's own (WSO2 4.x's `generate-secret`, `secrets`, `revoke-secret`).
/// They go with their key: deleting the key deletes them.
public protocol ConsumerSecretRepository: Sendable {
    /// Stores a new secret.
    /// - Throws: ``StorageError/notFound(_:)`` when the consumer key does not exist.
    func createConsumerSecret(_ secret: ConsumerSecretRecord) async throws
    /// The secrets of a consumer key, oldest first.
    func consumerSecrets(consumerKey: String) async throws -> [ConsumerSecretRecord]
    /// Deletes one secret of a consumer key.
    /// - Returns: False when the key has no secret of that id.
    func deleteConsumerSecret(id: String, consumerKey: String) async throws -> Bool
}
