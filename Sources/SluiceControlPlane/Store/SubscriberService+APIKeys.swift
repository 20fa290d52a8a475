import Foundation
package import SluiceKeyManager
package import SluiceModel

/// API keys of the caller's applications (WSO2 4.x's `/applications/{id}/api-keys/{keyType}/generate|revoke`).
extension SubscriberService {
    /// Generates an API key for the caller's application.
    /// - Throws: ``ManagementError`` 404 (not the caller's application), 400 for a bad restriction, 500 when the
    ///   node has no signing key.
    package func generateAPIKey(
        _ request: KeyManager.APIKeyRequest,
        applicationID: String,
        principal: Principal
    ) async throws -> (apiKey: String, validityPeriod: Int64) {
        try principal.require("apim:api_key")
        let application = try await application(applicationID, principal: principal)
        let subscriptions = try await services.keyManager.subscriptions(applicationID: applicationID)
        do {
            return try services.keyManager.generateAPIKey(request, application: application, subscriptions: subscriptions)
        } catch let error as APIKeyError {
            throw Self.managementError(error)
        }
    }

    /// Revokes an API key of the caller's application.
    /// - Throws: ``ManagementError`` 404 (not the caller's application), 400 when the key is not one of the
    ///   application's keys of that type.
    package func revokeAPIKey(_ apiKey: String, applicationID: String, keyType: KeyType, principal: Principal) async throws {
        try principal.require("apim:api_key")
        _ = try await application(applicationID, principal: principal)
        do {
            try await services.keyManager.revokeAPIKey(apiKey, applicationID: applicationID, keyType: keyType)
        } catch let error as APIKeyError {
            throw Self.managementError(error)
        }
    }

    private static func managementError(_ error: APIKeyError) -> ManagementError {
        switch error {
        case .noSigningKey: .internalError(error.description)
        case .invalidPermittedIP, .notAKeyOfTheApplication: .badRequest(error.description)
        }
    }
}
