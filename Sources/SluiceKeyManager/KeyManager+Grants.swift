import Foundation
import Logging
import SluiceModel
import SluiceStorage
import Synchronization

extension KeyManager {
    /// Answers a token request for an authenticated client.
    /// - Parameters:
    ///   - request: The grant, requested scopes and validity period.
    ///   - credentials: The client's consumer key and secret.
    /// - Returns: The tokens.
    /// - Throws: ``OAuth2Error`` for every protocol error; storage errors otherwise.
    public func token(for request: TokenRequest, credentials: ClientCredentials) async throws -> TokenResponse {
        guard let tokenMetrics else {
            let client = try await authenticatedClient(credentials, from: request.clientAddress)
            return try await token(for: request, client: client)
        }
        let outcome: Result<TokenResponse, any Error>
        do {
            let client = try await authenticatedClient(credentials, from: request.clientAddress)
            outcome = .success(try await token(for: request, client: client))
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success: tokenMetrics.recordIssued(grant: request.grant.name)
        case .failure(let error): tokenMetrics.recordRefused(grant: request.grant.name, error: error)
        }
        return try outcome.get()
    }

    /// An application token (client credentials) for the application's owner, without the consumer secret: as in
    /// WSO2's Devportal, the owner's own authenticated session authorises it. Callers check that the signed-in
    /// user owns the application; the grant, scope and validity rules are those of the token endpoint.
    /// - Parameters:
    ///   - request: A client-credentials request (scopes, validity period).
    ///   - consumerKey: The application's consumer key.
    /// - Throws: ``OAuth2Error`` `invalid_client` for an unknown or inactive key, `unsupported_grant_type` for any
    ///   other grant, and the token endpoint's errors.
    public func ownerToken(for request: TokenRequest, consumerKey: String) async throws -> TokenResponse {
        guard case .clientCredentials = request.grant else {
            throw OAuth2Error(.unsupportedGrantType, "Only application tokens are issued without the consumer secret")
        }
        guard let entry = try await clientEntry(consumerKey), entry.client.state == "ACTIVE" else {
            throw OAuth2Error.invalidClient
        }
        return try await token(for: request, client: entry)
    }

    /// The token endpoint's rules once the client is known.
    private func token(for request: TokenRequest, client entry: ClientDirectory.Entry) async throws -> TokenResponse {
        let client = entry.client
        let application = entry.application
        guard identity.supportedGrantTypes.contains(request.grant.name) else {
            throw OAuth2Error(.unsupportedGrantType, "The grant type \(request.grant.name) is not supported")
        }
        guard client.grantTypes.contains(request.grant.name) else {
            throw OAuth2Error(.unauthorizedClient, "The client may not use the \(request.grant.name) grant")
        }
        if let period = request.validityPeriod {
            guard period > identity.timestampSkew, period <= configuration.maximumValidityPeriod else {
                throw OAuth2Error.invalidRequest(
                    "validity_period must be more than \(identity.timestampSkew) and at most "
                        + "\(configuration.maximumValidityPeriod) seconds"
                )
            }
        }
        let requested = try Self.checkedScopes(request.scopes)
        switch request.grant {
        case .password(let username, let password):
            return try await passwordGrant(
                client,
                application,
                username: username,
                password: password,
                requested,
                request.validityPeriod,
                from: request.clientAddress
            )
        case .clientCredentials:
            return try await clientCredentialsGrant(client, application, requested, request.validityPeriod)
        case .refreshToken(let token):
            return try await refreshGrant(client, application, token: token, requested, request.validityPeriod)
        case .authorizationCode(let code, let redirectURI, let codeVerifier):
            let grant = try redeem(code, client: client, redirectURI: redirectURI, codeVerifier: codeVerifier)
            return try await issue(
                client: client,
                application: application,
                username: grant.username,
                scopes: grant.scopes,
                grantType: "authorization_code",
                accessValidity: request.validityPeriod ?? identity.userAccessTokenValidity,
                withRefreshToken: true
            )
        }
    }

    private func passwordGrant(
        _ client: ConsumerKeyRecord,
        _ application: ApplicationRecord,
        username: String,
        password: String,
        _ requested: [String]?,
        _ validityPeriod: Int64?,
        from address: String?
    ) async throws -> TokenResponse {
        guard let user = try await authenticateUser(username: username, password: password, from: address) else {
            throw OAuth2Error.invalidGrant("Authentication failed for \(username)")
        }
        let scopes = try await grantedScopes(requested, roles: user.roles)
        return try await issue(
            client: client,
            application: application,
            username: user.username,
            scopes: scopes,
            grantType: "password",
            accessValidity: validityPeriod ?? identity.userAccessTokenValidity,
            withRefreshToken: true
        )
    }

    private func clientCredentialsGrant(
        _ client: ConsumerKeyRecord,
        _ application: ApplicationRecord,
        _ requested: [String]?,
        _ validityPeriod: Int64?
    ) async throws -> TokenResponse {
        // The owner's roles matter only for requested scopes: without, the token gets the default scope.
        var roles: [String] = []
        if requested != nil { roles = try await storage.user(named: application.owner)?.roles ?? [] }
        let scopes = try await grantedScopes(requested, roles: roles)
        return try await issue(
            client: client,
            application: application,
            username: application.owner,
            scopes: scopes,
            grantType: "client_credentials",
            accessValidity: validityPeriod ?? identity.applicationAccessTokenValidity,
            withRefreshToken: false
        )
    }

    private func refreshGrant(
        _ client: ConsumerKeyRecord,
        _ application: ApplicationRecord,
        token: String,
        _ requested: [String]?,
        _ validityPeriod: Int64?
    ) async throws -> TokenResponse {
        let rotate = identity.renewRefreshTokenForRefreshGrant
        let issuedAt = now
        let accessValidity = validityPeriod ?? identity.userAccessTokenValidity
        // A JWT carries the scopes and user decided inside the exchange, so it is minted there.
        let minted = Mutex<String?>(nil)
        let newRefreshToken = rotate ? SecretGenerator.randomValue() : nil
        let expired: @Sendable (Date?) -> Bool = { [self] expiry in isExpired(expiry) }
        let hash = SecretGenerator.hash(token)
        await flushTokenWrites()

        // Scopes are granted again against the user's roles of now, not copied: a demoted user loses them.
        let holder = try await storage.token(hash: hash)?.username
        let roles: [String]? = if let holder { try await storage.user(named: holder)?.roles } else { nil }
        let policy = ScopeGrantPolicy(
            roles: try await storage.roles(),
            declarations: try await apiScopes.declarations(from: storage)
        )

        let exchange = try await storage.exchangeRefreshToken(hash: hash, rotate: rotate) { previous in
            guard previous.consumerKey == client.consumerKey else {
                throw OAuth2Error.invalidGrant("The refresh token was issued to another client")
            }
            guard !expired(previous.expiresAt) else { throw OAuth2Error.invalidGrant("The refresh token has expired") }
            guard previous.username == holder, let roles else {
                throw OAuth2Error.invalidGrant("The user of the refresh token no longer exists")
            }
            let asked = requested ?? previous.scopes
            guard Set(asked).isSubset(of: previous.scopes) else {
                throw OAuth2Error.invalidScope("The requested scope exceeds the scope originally granted")
            }
            let scopes = policy.granted(asked, toUserWith: roles)
            // The family never outlives the first grant's refresh validity: a rotated refresh token inherits
            // the expiry of the one it replaces, and no access token lives past it.
            let familyExpiry = previous.expiresAt
            var accessExpiry = issuedAt.addingTimeInterval(TimeInterval(accessValidity))
            if let familyExpiry, familyExpiry < accessExpiry { accessExpiry = familyExpiry }
            let accessToken = try mintAccessToken(
                application: application,
                client: client,
                username: previous.username,
                scopes: scopes,
                grantType: "refresh_token",
                issuedAt: issuedAt,
                expiresAt: accessExpiry
            )
            minted.withLock { $0 = accessToken }
            var issued = [
                TokenRecord(
                    tokenHash: SecretGenerator.hash(accessToken),
                    kind: .access,
                    familyID: previous.familyID,
                    consumerKey: previous.consumerKey,
                    username: previous.username,
                    scopes: scopes,
                    grantType: "refresh_token",
                    issuedAt: issuedAt,
                    expiresAt: accessExpiry
                )
            ]
            if let newRefreshToken {
                issued.append(
                    TokenRecord(
                        tokenHash: SecretGenerator.hash(newRefreshToken),
                        kind: .refresh,
                        familyID: previous.familyID,
                        consumerKey: previous.consumerKey,
                        username: previous.username,
                        scopes: previous.scopes,
                        grantType: "refresh_token",
                        issuedAt: issuedAt,
                        expiresAt: familyExpiry
                    )
                )
            }
            return issued
        }

        switch exchange {
        case .notFound, .notActive:
            throw OAuth2Error.invalidGrant("The refresh token is invalid")
        case .reuseDetected(let presented, let revoked):
            validationService.revoke { $0.revokeFamily(presented.familyID, alsoRevoking: revoked) }
            logger.warning(
                "Refresh token reuse: token family revoked",
                metadata: ["sluice.km.consumer_key": "\(presented.consumerKey)"]
            )
            throw OAuth2Error.invalidGrant("The refresh token was already used; its token family is revoked")
        case .exchanged(_, let issued, let deactivated):
            validationService.revoke { index in
                for record in issued { index.insert(record) }
                return index.deactivate(deactivated)
            }
            let access = issued[0]
            guard let accessToken = minted.withLock({ $0 }) else { throw OAuth2Error(.serverError, "No token was minted") }
            return TokenResponse(
                accessToken: accessToken,
                refreshToken: newRefreshToken ?? token,
                expiresIn: expiresIn(access),
                scope: access.scopes.joined(separator: " ")
            )
        }
    }

    /// Stores and indexes new tokens of a new family.
    private func issue(
        client: ConsumerKeyRecord,
        application: ApplicationRecord,
        username: String,
        scopes: [String],
        grantType: String,
        accessValidity: Int64,
        withRefreshToken: Bool
    ) async throws -> TokenResponse {
        let issuedAt = now
        let familyID = SecretGenerator.randomUUID().uuidString
        let expiresAt = issuedAt.addingTimeInterval(TimeInterval(accessValidity))
        let accessToken = try mintAccessToken(
            application: application,
            client: client,
            username: username,
            scopes: scopes,
            grantType: grantType,
            issuedAt: issuedAt,
            expiresAt: expiresAt
        )
        let refreshToken = withRefreshToken ? SecretGenerator.randomValue() : nil
        let access = TokenRecord(
            tokenHash: SecretGenerator.hash(accessToken),
            kind: .access,
            familyID: familyID,
            consumerKey: client.consumerKey,
            username: username,
            scopes: scopes,
            grantType: grantType,
            issuedAt: issuedAt,
            expiresAt: expiresAt
        )
        var records = [access]
        if let refreshToken {
            records.append(
                TokenRecord(
                    tokenHash: SecretGenerator.hash(refreshToken),
                    kind: .refresh,
                    familyID: familyID,
                    consumerKey: client.consumerKey,
                    username: username,
                    scopes: scopes,
                    grantType: grantType,
                    issuedAt: issuedAt,
                    expiresAt: issuedAt.addingTimeInterval(TimeInterval(identity.refreshTokenValidity))
                )
            )
        }
        try await tokenWrites.insert(records)
        validationService.update { $0.insert(access) }
        return TokenResponse(
            accessToken: accessToken,
            refreshToken: refreshToken,
            expiresIn: expiresIn(access),
            scope: scopes.joined(separator: " ")
        )
    }

    /// Seconds from its issue until the gateway refuses `token`: its expiry moved `TimestampSkew` earlier, as
    /// validation reads it.
    func expiresIn(_ token: TokenRecord) -> Int64 {
        guard let expiresAt = token.expiresAt else { return Int64.max }
        let validUntil = expiresAt.addingTimeInterval(-TimeInterval(identity.timestampSkew))
        let remaining = validUntil.timeIntervalSince(token.issuedAt)
        return max(0, Int64(remaining.rounded(.down)))
    }

    // MARK: - Scopes

    /// Validates scope syntax (RFC 6749 §3.3); nil or empty means none requested.
    static func checkedScopes(_ scopes: [String]?) throws -> [String]? {
        guard let scopes else { return nil }
        var unique: [String] = []
        for scope in scopes where !scope.isEmpty {
            // scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
            let valid = scope.unicodeScalars.allSatisfy { scalar in
                scalar.value == 0x21 || (0x23...0x5B).contains(scalar.value) || (0x5D...0x7E).contains(scalar.value)
            }
            guard valid else { throw OAuth2Error.invalidScope("The scope \"\(scope)\" is malformed") }
            if !unique.contains(scope) { unique.append(scope) }
        }
        return unique.isEmpty ? nil : unique
    }

    /// The requested scopes a user with `userRoles` may have (see ``ScopeGrantPolicy``).
    func grantedScopes(_ requested: [String]?, roles userRoles: [String]) async throws -> [String] {
        guard requested != nil else { return [ScopeGrantPolicy.defaultScope] }
        let policy = ScopeGrantPolicy(
            roles: try await storage.roles(),
            declarations: try await apiScopes.declarations(from: storage)
        )
        return policy.granted(requested, toUserWith: userRoles)
    }
}
