import Foundation
public import SluiceModel
public import SluiceStorage

/// Editing, removing and mapping an application's consumer keys (WSO2's `keys/{keyType}` PUT, `oauth-keys`
/// DELETE and clean-up, and `map-keys`).
extension KeyManager {
    /// Replaces the grant types and callback URL of an application's keys; tokens already issued stay valid.
    /// - Returns: The updated keys.
    /// - Throws: ``StorageError/notFound(_:)`` when the application has no keys of that type.
    public func updateKeys(
        applicationID: String,
        keyType: KeyType,
        grantTypes: [String],
        callbackURL: String?
    ) async throws -> ConsumerKeyRecord {
        guard var key = try await storage.consumerKeys(applicationID: applicationID).first(where: { $0.keyType == keyType })
        else { throw StorageError.notFound("\(keyType.rawValue) keys of application \(applicationID)") }
        try await storage.updateConsumerKey(key.consumerKey, grantTypes: grantTypes, callbackURL: callbackURL)
        clients.invalidate(consumerKey: key.consumerKey)
        key.grantTypes = grantTypes
        key.callbackURL = callbackURL
        let updated = key
        validationService.update { $0.upsert(updated) }
        return updated
    }

    /// Removes an application's keys of one type: every token issued to them is revoked first (gateways drop
    /// them at once), then the consumer key is deleted, so new keys of that type can be generated or mapped.
    /// - Returns: False when the application had no keys of that type.
    public func removeKeys(applicationID: String, keyType: KeyType) async throws -> Bool {
        guard let key = try await storage.consumerKeys(applicationID: applicationID).first(where: { $0.keyType == keyType })
        else { return false }
        try await revokeTokens(consumerKey: key.consumerKey)
        // Its tokens still waiting to be written must not land after the delete.
        await flushTokenWrites()
        let deleted = try await storage.deleteConsumerKey(key.consumerKey)
        clients.invalidate(consumerKey: key.consumerKey)
        validationService.update { $0.removeClient(key.consumerKey) }
        return deleted
    }

    /// Gives an application keys whose consumer key and secret were made elsewhere (WSO2's `map-keys`: an OAuth
    /// client of another key manager, moved here with its credentials). Only the secret's hash is stored.
    /// - Returns: The mapped keys, without the secret.
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown application, ``StorageError/duplicate(_:)`` when the
    ///   consumer key is taken or the application has keys of that type.
    public func mapKeys(
        applicationID: String,
        keyType: KeyType,
        consumerKey: String,
        consumerSecret: String
    ) async throws -> ConsumerKeyRecord {
        try await mapKeys(
            applicationID: applicationID,
            keyType: keyType,
            consumerKey: consumerKey,
            secretHash: SecretGenerator.hash(consumerSecret)
        )
    }

    /// Gives an application keys whose secret is known here only by its SHA-256 (an application archive exported
    /// by Sluice, which carries the hash and never the secret): the client keeps its credentials.
    /// - Parameters:
    ///   - grantTypes: Nil: the default grant types.
    ///   - callbackURL: The redirect URI, if any.
    /// - Returns: The mapped keys.
    /// - Throws: ``StorageError/notFound(_:)`` for an unknown application, ``StorageError/duplicate(_:)`` when the
    ///   consumer key is taken or the application has keys of that type.
    public func mapKeys(
        applicationID: String,
        keyType: KeyType,
        consumerKey: String,
        secretHash: Data,
        grantTypes: [String]? = nil,
        callbackURL: String? = nil
    ) async throws -> ConsumerKeyRecord {
        guard try await storage.application(id: applicationID) != nil else {
            throw StorageError.notFound("application \(applicationID)")
        }
        if try await storage.consumerKey(consumerKey) != nil {
            throw StorageError.duplicate("The consumer key is already in use")
        }
        return try await storeNewKey(
            consumerKey: consumerKey,
            secretHash: secretHash,
            applicationID: applicationID,
            keyType: keyType,
            grantTypes: grantTypes,
            callbackURL: callbackURL
        )
    }
}
