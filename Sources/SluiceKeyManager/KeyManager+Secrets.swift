import Foundation
public import SluiceModel
public import SluiceStorage

/// More secrets of a consumer key beside its own (WSO2 4.x's multiple client secrets): each made by the system
/// CSPRNG, shown once, kept as a SHA-256 with an optional expiry; the token endpoint accepts the key's own secret or
/// any live one, and forgets a revoked one at once.
extension KeyManager {
    /// The most further secrets a consumer key holds (expired ones count until revoked).
    public static let maximumConsumerSecrets = 10

    /// Makes a further secret of an application's keys.
    /// - Parameters:
    ///   - expiresIn: Seconds it is accepted for; nil: until revoked.
    /// - Returns: The stored record and the secret, the only copy in clear.
    /// - Throws: ``StorageError/notFound(_:)`` when the application has no keys of that type,
    ///   ``StorageError/duplicate(_:)`` when the key holds ``maximumConsumerSecrets`` already.
    public func generateSecret(
        applicationID: String,
        keyType: KeyType,
        description: String?,
        expiresIn: TimeInterval?
    ) async throws -> (record: ConsumerSecretRecord, secret: String) {
        let key = try await consumerKey(applicationID: applicationID, keyType: keyType)
        guard try await storage.consumerSecrets(consumerKey: key.consumerKey).count < Self.maximumConsumerSecrets else {
            throw StorageError.duplicate("\(Self.maximumConsumerSecrets) secrets of the key (revoke one first)")
        }
        let secret = SecretGenerator.randomValue()
        let created = now
        let record = ConsumerSecretRecord(
            id: UUID().uuidString.lowercased(),
            consumerKey: key.consumerKey,
            secretHash: SecretGenerator.hash(secret),
            description: description,
            createdAt: created,
            expiresAt: expiresIn.map { created.addingTimeInterval($0) }
        )
        try await storage.createConsumerSecret(record)
        clients.invalidate(consumerKey: key.consumerKey)
        return (record, secret)
    }

    /// The further secrets of an application's keys (hashes only), oldest first.
    /// - Throws: ``StorageError/notFound(_:)`` when the application has no keys of that type.
    public func secrets(applicationID: String, keyType: KeyType) async throws
        -> (key: ConsumerKeyRecord, secrets: [ConsumerSecretRecord])
    {
        let key = try await consumerKey(applicationID: applicationID, keyType: keyType)
        return (key, try await storage.consumerSecrets(consumerKey: key.consumerKey))
    }

    /// Revokes a further secret: the token endpoint refuses it from now on (tokens issued with it stay valid, as
    /// after a regenerated secret).
    /// - Returns: False when the keys have no secret of that id.
    /// - Throws: ``StorageError/notFound(_:)`` when the application has no keys of that type.
    public func revokeSecret(id: String, applicationID: String, keyType: KeyType) async throws -> Bool {
        let key = try await consumerKey(applicationID: applicationID, keyType: keyType)
        let deleted = try await storage.deleteConsumerSecret(id: id, consumerKey: key.consumerKey)
        clients.invalidate(consumerKey: key.consumerKey)
        return deleted
    }

    private func consumerKey(applicationID: String, keyType: KeyType) async throws -> ConsumerKeyRecord {
        guard let key = try await storage.consumerKeys(applicationID: applicationID).first(where: { $0.keyType == keyType })
        else { throw StorageError.notFound("\(keyType.rawValue) keys of application \(applicationID)") }
        return key
    }
}
