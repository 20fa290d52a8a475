import Foundation
import SluiceKeyManager
package import SluiceModel
package import SluiceStorage

/// The further consumer secrets of the caller's applications' keys (WSO2 4.x's `generate-secret`, `secrets`,
/// `revoke-secret` under `oauth-keys/{keyMappingId}`).
extension SubscriberService {
    /// The key's own secret in the list: WSO2 lists the first secret with the others; Sluice's cannot be revoked
    /// (regenerate-secret replaces it, clean-up removes the keys).
    package static let primarySecretID = "primary"

    /// The longest expiry a further secret may have: ten years, in seconds.
    package static let longestSecretLifetime: Int64 = 10 * 366 * 86_400

    /// Makes a further secret of the caller's application's keys; the returned secret is the only copy in clear.
    /// - Parameter expiresIn: Seconds, 1 to ``longestSecretLifetime``; nil: until revoked.
    /// - Throws: ``ManagementError`` 400 for an expiry out of range or a description over 1000 characters, 404
    ///   (not the caller's, no such keys), 409 when the keys hold the most secrets already.
    package func generateSecret(
        applicationID: String,
        keyType: KeyType,
        description: String?,
        expiresIn: Int64?,
        principal: Principal
    ) async throws -> (record: ConsumerSecretRecord, secret: String) {
        _ = try await application(applicationID, principal: principal)
        if let expiresIn, !(1...Self.longestSecretLifetime).contains(expiresIn) {
            throw ManagementError.badRequest("expiresIn must be 1 to \(Self.longestSecretLifetime) seconds")
        }
        if let description, description.count > 1_000 {
            throw ManagementError.badRequest("The description must be at most 1000 characters")
        }
        do {
            return try await services.keyManager.generateSecret(
                applicationID: applicationID,
                keyType: keyType,
                description: description,
                expiresIn: expiresIn.map(TimeInterval.init)
            )
        } catch let error as StorageError {
            throw Self.managementError(error, keyType: keyType)
        }
    }

    /// The secrets of the caller's application's keys: the key's own first (``primarySecretID``), then the
    /// further ones, oldest first; hashes are never shown.
    /// - Throws: ``ManagementError`` 404.
    package func secrets(applicationID: String, keyType: KeyType, principal: Principal) async throws
        -> (key: ConsumerKeyRecord, secrets: [ConsumerSecretRecord])
    {
        _ = try await application(applicationID, principal: principal)
        do {
            return try await services.keyManager.secrets(applicationID: applicationID, keyType: keyType)
        } catch let error as StorageError {
            throw Self.managementError(error, keyType: keyType)
        }
    }

    /// Revokes a further secret of the caller's application's keys; the token endpoint refuses it at once.
    /// - Throws: ``ManagementError`` 400 for the key's own secret, 404 (not the caller's, no such keys or secret).
    package func revokeSecret(_ secretID: String, applicationID: String, keyType: KeyType, principal: Principal)
        async throws
    {
        _ = try await application(applicationID, principal: principal)
        guard secretID != Self.primarySecretID else {
            throw ManagementError.badRequest(
                "The keys' own secret is not revoked: regenerate-secret replaces it, clean-up removes the keys"
            )
        }
        let revoked: Bool
        do {
            revoked = try await services.keyManager.revokeSecret(
                id: secretID,
                applicationID: applicationID,
                keyType: keyType
            )
        } catch let error as StorageError {
            throw Self.managementError(error, keyType: keyType)
        }
        guard revoked else { throw ManagementError.notFound("The keys have no secret \(secretID)") }
    }

    private static func managementError(_ error: StorageError, keyType: KeyType) -> ManagementError {
        switch error.code {
        case .notFound: ManagementError.notFound("The application has no \(keyType.rawValue) keys")
        case .duplicate:
            ManagementError.conflict("The keys hold \(KeyManager.maximumConsumerSecrets) further secrets; revoke one first")
        case .unavailable: ManagementError.internalError()
        }
    }
}
