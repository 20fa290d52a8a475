import Foundation
package import SluiceKeyManager
package import SluiceModel
package import SluiceStorage

/// Keys and tokens of the caller's applications.
extension SubscriberService {
    /// The keys of the caller's application (consumer keys only: secrets are kept as hashes).
    package func keys(applicationID: String, principal: Principal) async throws -> [ConsumerKeyRecord] {
        _ = try await application(applicationID, principal: principal)
        return try await services.keyManager.keys(applicationID: applicationID)
    }

    /// Generates production or sandbox keys; the returned secret is the only copy in clear.
    /// - Throws: ``ManagementError`` 404, 409 when the application has keys of that type.
    /// - Parameter callbackURL: The redirect URI of the authorization-code grant, which the keys then also get when
    ///   identity.xml offers it; nil or empty: none.
    package func generateKeys(
        applicationID: String,
        keyType: KeyType,
        callbackURL: String? = nil,
        principal: Principal
    ) async throws -> GeneratedKeys {
        _ = try await application(applicationID, principal: principal)
        if try await services.keyManager.keys(applicationID: applicationID).contains(where: { $0.keyType == keyType }) {
            throw ManagementError.conflict("The application already has \(keyType.rawValue.lowercased()) keys")
        }
        guard let callbackURL, !callbackURL.isEmpty else {
            return try await services.keyManager.generateKeys(applicationID: applicationID, keyType: keyType)
        }
        try Self.checkCallbackURL(callbackURL)
        let configuration = services.keyManager.configuration
        var grantTypes = configuration.defaultKeyGrantTypes
        if configuration.identity.supportedGrantTypes.contains("authorization_code") {
            grantTypes.append("authorization_code")
        }
        return try await services.keyManager.generateKeys(
            applicationID: applicationID, keyType: keyType, grantTypes: grantTypes, callbackURL: callbackURL
        )
    }

    /// What the devportal REST API asks of new keys (WSO2's `ApplicationKeyGenerateRequestDTO`).
    package struct KeyRequest: Sendable {
        package var keyType: KeyType
        /// Nil: the key manager's default grant types.
        package var grantTypes: [String]?
        package var callbackURL: String?
        /// The scopes of the first token.
        package var scopes: [String]?
        /// The validity of the first token, seconds; nil: the default.
        package var validityPeriod: Int64?

        package init(
            keyType: KeyType,
            grantTypes: [String]?,
            callbackURL: String?,
            scopes: [String]?,
            validityPeriod: Int64?
        ) {
            self.keyType = keyType
            self.grantTypes = grantTypes
            self.callbackURL = callbackURL
            self.scopes = scopes
            self.validityPeriod = validityPeriod
        }
    }

    /// Generates keys as the devportal REST API asks and, when they allow client credentials, a first token.
    /// Everything the token request checks is checked first, so a refused token never leaves keys behind.
    /// - Throws: ``ManagementError`` 404, 400 for unsupported grant types, a validity out of range or a malformed
    ///   scope, 409 when the application has keys of that type.
    package func generateKeys(
        _ request: KeyRequest,
        applicationID: String,
        principal: Principal
    ) async throws -> (keys: GeneratedKeys, token: TokenResponse?) {
        let application = try await application(applicationID, principal: principal)
        let identity = services.keyManager.configuration.identity
        try checkGrants(request.grantTypes, callbackURL: request.callbackURL)
        let longest = services.keyManager.configuration.maximumValidityPeriod
        if let validity = request.validityPeriod, validity <= identity.timestampSkew || validity > longest {
            throw ManagementError.badRequest(
                "validityTime must be more than \(identity.timestampSkew) and at most \(longest) seconds"
            )
        }
        if let scope = request.scopes?.first(where: { !Self.isScopeToken($0) }) {
            throw ManagementError.badRequest("The scope \"\(scope)\" is malformed")
        }
        let keyType = request.keyType
        if try await services.keyManager.keys(applicationID: application.id).contains(where: { $0.keyType == keyType }) {
            throw ManagementError.conflict("The application already has \(keyType.rawValue) keys")
        }
        let keys = try await services.keyManager.generateKeys(
            applicationID: application.id,
            keyType: keyType,
            grantTypes: request.grantTypes,
            callbackURL: request.callbackURL
        )
        let grant = "client_credentials"
        guard keys.grantTypes.contains(grant) && identity.supportedGrantTypes.contains(grant) else { return (keys, nil) }
        let token = try await services.keyManager.token(
            for: TokenRequest(grant: .clientCredentials, scopes: request.scopes, validityPeriod: request.validityPeriod),
            credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        )
        return (keys, token)
    }

    /// RFC 6749 §3.3 `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
    static func isScopeToken(_ scope: String) -> Bool {
        !scope.isEmpty
            && scope.unicodeScalars.allSatisfy { scalar in
                scalar.value == 0x21 || (0x23...0x5B).contains(scalar.value) || (0x5D...0x7E).contains(scalar.value)
            }
    }

    /// Replaces the consumer secret; the old one stops working at once.
    /// - Throws: ``ManagementError`` 404 (not the caller's, or no keys of that type).
    package func regenerateSecret(applicationID: String, keyType: KeyType, principal: Principal) async throws
        -> GeneratedKeys
    {
        _ = try await application(applicationID, principal: principal)
        guard try await services.keyManager.keys(applicationID: applicationID).contains(where: { $0.keyType == keyType })
        else { throw ManagementError.notFound("The application has no \(keyType.rawValue.lowercased()) keys") }
        return try await services.keyManager.regenerateSecret(applicationID: applicationID, keyType: keyType)
    }

    /// An application access token (client credentials) for the caller's application. Without a consumer secret
    /// the caller's ownership authorises it (WSO2's Devportal does the same); a secret given is checked.
    /// - Parameter revokingPrevious: Also revoke every other token issued to the application's key of that type,
    ///   once the new one is issued (a wrong secret revokes nothing).
    /// - Throws: ``ManagementError`` 404, 400 when the secret is wrong or the token cannot be issued.
    package func token(
        applicationID: String,
        keyType: KeyType,
        consumerSecret: String?,
        scopes: [String]? = nil,
        validityPeriod: Int64? = nil,
        revokingPrevious: Bool = false,
        principal: Principal
    ) async throws -> TokenResponse {
        _ = try await application(applicationID, principal: principal)
        guard let record = try await services.keyManager.keys(applicationID: applicationID).first(where: { $0.keyType == keyType })
        else { throw ManagementError.notFound("The application has no \(keyType.rawValue.lowercased()) keys") }
        let issued: TokenResponse
        do {
            let request = TokenRequest(grant: .clientCredentials, scopes: scopes, validityPeriod: validityPeriod)
            if let consumerSecret, !consumerSecret.isEmpty {
                issued = try await services.keyManager.token(
                    for: request,
                    credentials: ClientCredentials(consumerKey: record.consumerKey, consumerSecret: consumerSecret)
                )
            } else {
                issued = try await services.keyManager.ownerToken(for: request, consumerKey: record.consumerKey)
            }
        } catch let error as OAuth2Error {
            throw ManagementError.badRequest("The token could not be issued: \(error.description)")
        }
        if revokingPrevious {
            try await services.keyManager.revokeTokens(consumerKey: record.consumerKey, keeping: issued.accessToken)
        }
        return issued
    }

    /// A redirect URI codes may be sent to: an absolute http or https URL without a fragment (RFC 6749 §3.1.2).
    static func checkCallbackURL(_ callbackURL: String) throws {
        guard let url = URL(string: callbackURL), ["https", "http"].contains(url.scheme?.lowercased()), url.host != nil,
            url.fragment == nil
        else { throw ManagementError.badRequest("The callback URL must be an absolute http or https URL without a fragment") }
    }
}
