import Foundation
import SluiceKeyManager
package import SluiceModel
import SluiceStorage

/// Editing, removing and mapping the keys of the caller's applications (WSO2's `PUT keys/{keyType}`,
/// `PUT|DELETE oauth-keys/{keyMappingId}`, `clean-up` and `map-keys`).
extension SubscriberService {
    /// The grants Sluice implements that identity.xml offers (authorization_code only when it lists it).
    var supportedGrantTypes: [String] {
        let implemented = ["password", "client_credentials", "refresh_token", "authorization_code"]
        return implemented.filter(services.keyManager.configuration.identity.supportedGrantTypes.contains)
    }

    /// Refuses grant types Sluice does not offer, an authorization-code grant without a callback URL and a
    /// malformed callback URL.
    /// - Throws: ``ManagementError`` 400.
    func checkGrants(_ grantTypes: [String]?, callbackURL: String?) throws {
        let supported = supportedGrantTypes
        if let unsupported = grantTypes?.first(where: { !supported.contains($0) }) {
            throw ManagementError.badRequest(
                "The grant type \(unsupported) is not supported; use \(supported.joined(separator: ", "))"
            )
        }
        if grantTypes?.contains("authorization_code") == true, (callbackURL ?? "").isEmpty {
            throw ManagementError.badRequest("The authorization_code grant needs a callbackUrl")
        }
        if let callbackURL, !callbackURL.isEmpty { try Self.checkCallbackURL(callbackURL) }
    }

    /// Replaces the grant types (nil: unchanged) and the callback URL (nil or empty: none) of the caller's
    /// application's keys.
    /// - Throws: ``ManagementError`` 404 (not the caller's, or no keys of that type), 400 for grants or a URL
    ///   Sluice refuses.
    package func updateKeys(
        applicationID: String,
        keyType: KeyType,
        grantTypes: [String]?,
        callbackURL: String?,
        principal: Principal
    ) async throws -> ConsumerKeyRecord {
        _ = try await application(applicationID, principal: principal)
        guard let current = try await services.keyManager.keys(applicationID: applicationID).first(where: { $0.keyType == keyType })
        else { throw ManagementError.notFound("The application has no \(keyType.rawValue) keys") }
        let grants = grantTypes ?? current.grantTypes
        let callback = callbackURL.flatMap { $0.isEmpty ? nil : $0 }
        try checkGrants(grants, callbackURL: callback)
        return try await services.keyManager.updateKeys(
            applicationID: applicationID, keyType: keyType, grantTypes: grants, callbackURL: callback
        )
    }

    /// Removes the keys of one type of the caller's application; their tokens stop working at once.
    /// - Throws: ``ManagementError`` 404 (not the caller's, or no keys of that type).
    package func removeKeys(applicationID: String, keyType: KeyType, principal: Principal) async throws {
        _ = try await application(applicationID, principal: principal)
        guard try await services.keyManager.removeKeys(applicationID: applicationID, keyType: keyType) else {
            throw ManagementError.notFound("The application has no \(keyType.rawValue) keys")
        }
    }

    /// Gives the caller's application keys made elsewhere: the consumer key as it is, the secret kept as a hash.
    /// - Parameter keyManager: Must be nil or Sluice's one key manager.
    /// - Throws: ``ManagementError`` 404, 400 (another key manager, no secret, a malformed key or secret), 409
    ///   when the application has keys of that type or the consumer key is in use.
    package func mapKeys(
        applicationID: String,
        keyType: KeyType,
        consumerKey: String,
        consumerSecret: String?,
        keyManager: String?,
        principal: Principal
    ) async throws -> ConsumerKeyRecord {
        _ = try await application(applicationID, principal: principal)
        if let keyManager, !keyManager.isEmpty, keyManager != KeyMapping.keyManagerName, keyManager != "Default" {
            throw ManagementError.badRequest("No key manager \(keyManager); Sluice has one, \(KeyMapping.keyManagerName)")
        }
        guard Self.isCredential(consumerKey) else {
            throw ManagementError.badRequest("consumerKey must be 1 to 255 printable characters without spaces")
        }
        // WSO2 reads the secret from an external key manager; Sluice checks secrets itself, so it needs one.
        guard let consumerSecret, Self.isCredential(consumerSecret) else {
            throw ManagementError.badRequest("consumerSecret is required: 1 to 255 printable characters without spaces")
        }
        if try await services.keyManager.keys(applicationID: applicationID).contains(where: { $0.keyType == keyType }) {
            throw ManagementError.conflict("The application already has \(keyType.rawValue) keys")
        }
        return try await services.keyManager.mapKeys(
            applicationID: applicationID, keyType: keyType, consumerKey: consumerKey, consumerSecret: consumerSecret
        )
    }

    private static func isCredential(_ text: String) -> Bool {
        (1...255).contains(text.utf8.count) && text.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) }
    }
}
