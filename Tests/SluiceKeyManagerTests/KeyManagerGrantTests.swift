import Foundation
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Testing

@Suite struct KeyManagerGrantTests {
    @Test func passwordGrantIssuesAccessAndRefreshTokensWithUserValidity() async throws {
        let fixture = try await KeyManagerFixture()
        let response = try await fixture.passwordToken()
        #expect(response.tokenType == "Bearer")
        // 1800 s of validity, counted as expired TimestampSkew (60 s) early: the time the gateway accepts it.
        #expect(response.expiresIn == 1740)
        #expect(response.scope == "default")
        let refresh = try #require(response.refreshToken)
        #expect(refresh != response.accessToken)
        #expect(response.accessToken.count >= 43)
        let result = fixture.validate(response.accessToken)
        #expect(result.authorized)
        #expect(result.endUser == "alice")
        #expect(result.applicationName == "Shop")
        #expect(result.applicationTier == "Large")
        #expect(result.subscriber == "alice")
        #expect(result.subscriptionTier == "Gold")
        #expect(result.keyType == .production)
        #expect(result.consumerKey == fixture.production.consumerKey)
    }

    @Test func tokensAreStoredOnlyAsHashes() async throws {
        let fixture = try await KeyManagerFixture()
        let response = try await fixture.passwordToken()
        // Tokens are written behind their answer: read storage once the writes are done.
        await fixture.keyManager.flushTokenWrites()
        #expect(try await fixture.storage.token(hash: Data(response.accessToken.utf8)) == nil)
        let stored = try #require(try await fixture.storage.token(hash: SecretGenerator.hash(response.accessToken)))
        #expect(stored.kind == .access)
        let key = try #require(try await fixture.storage.consumerKey(fixture.production.consumerKey))
        #expect(key.secretHash == SecretGenerator.hash(fixture.production.consumerSecret))
    }

    @Test func wrongPasswordOrUnknownUserIsInvalidGrant() async throws {
        let fixture = try await KeyManagerFixture()
        for (user, password) in [("alice", "wrong"), ("nobody", "alice-pass")] {
            await #expect(throws: OAuth2Error(.invalidGrant, "Authentication failed for \(user)")) {
                try await fixture.keyManager.token(
                    for: TokenRequest(grant: .password(username: user, password: password)),
                    credentials: fixture.productionCredentials
                )
            }
        }
    }

    @Test func badClientCredentialsAreInvalidClient() async throws {
        let fixture = try await KeyManagerFixture()
        let attempts = [
            ClientCredentials(consumerKey: fixture.production.consumerKey, consumerSecret: "wrong"),
            ClientCredentials(consumerKey: "unknown", consumerSecret: fixture.production.consumerSecret),
            ClientCredentials(consumerKey: fixture.production.consumerKey, consumerSecret: fixture.sandbox.consumerSecret),
        ]
        for credentials in attempts {
            await #expect(throws: OAuth2Error(.invalidClient, "Client authentication failed")) {
                try await fixture.keyManager.token(for: TokenRequest(grant: .clientCredentials), credentials: credentials)
            }
        }
    }

    @Test func clientCredentialsGrantActsForTheOwnerWithoutRefreshToken() async throws {
        let fixture = try await KeyManagerFixture()
        let response = try await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials, scopes: ["apim:subscribe", "apim:api_publish"]),
            credentials: fixture.sandboxCredentials
        )
        #expect(response.refreshToken == nil)
        #expect(response.expiresIn == 1140)
        #expect(response.scope == "apim:subscribe")
        let result = fixture.validate(response.accessToken)
        #expect(result.authorized)
        #expect(result.endUser == "alice")
        #expect(result.keyType == .sandbox)
    }

    @Test func scopesFollowTheUsersRoles() async throws {
        let fixture = try await KeyManagerFixture()
        let response = try await fixture.passwordToken(
            scopes: ["apim:subscribe", "apim:api_create", "orders:read", "undeclared:scope"]
        )
        // apim:api_create needs the creator role; a scope no API declares has no roles that may obtain it.
        #expect(response.scope == "apim:subscribe orders:read")
        let onlyRestricted = try await fixture.passwordToken(scopes: ["apim:admin"])
        #expect(onlyRestricted.scope == "default")
        let admin = try await fixture.keyManager.token(
            for: TokenRequest(grant: .password(username: "admin", password: "admin-secret"), scopes: ["apim:admin"]),
            credentials: fixture.productionCredentials
        )
        #expect(admin.scope == "apim:admin")
    }

    @Test func malformedScopeIsInvalidScope() async throws {
        let fixture = try await KeyManagerFixture()
        await #expect(throws: OAuth2Error(.invalidScope, "The scope \"bad\\scope\" is malformed")) {
            try await fixture.passwordToken(scopes: ["bad\\scope"])
        }
    }

    @Test func unsupportedAndUnauthorizedGrants() async throws {
        let identity = IdentitySettings(supportedGrantTypes: ["password", "refresh_token"])
        let fixture = try await KeyManagerFixture(identity: identity)
        await #expect(throws: OAuth2Error(.unsupportedGrantType, "The grant type client_credentials is not supported")) {
            try await fixture.keyManager.token(
                for: TokenRequest(grant: .clientCredentials),
                credentials: fixture.productionCredentials
            )
        }
        let other = try await fixture.keyManager.createApplication(name: "Robot", owner: "alice")
        let keys = try await fixture.keyManager.generateKeys(
            applicationID: other.id,
            keyType: .production,
            grantTypes: ["refresh_token"]
        )
        await #expect(throws: OAuth2Error(.unauthorizedClient, "The client may not use the password grant")) {
            try await fixture.passwordToken(
                credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
            )
        }
    }

    @Test func validityPeriodOverridesTheDefaultWithinLimits() async throws {
        let fixture = try await KeyManagerFixture()
        let response = try await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials, validityPeriod: 90),
            credentials: fixture.productionCredentials
        )
        // expires_in is the real time until the gateway refuses the token: 90 s less the 60 s TimestampSkew.
        #expect(response.expiresIn == 30)
        fixture.clock.advance(by: TimeInterval(response.expiresIn) - 1)
        #expect(fixture.validate(response.accessToken).authorized)
        fixture.clock.advance(by: 1)
        #expect(fixture.validate(response.accessToken).errorCode == .accessTokenExpired)
        for period: Int64 in [0, 60, -5, 400_000_000] {
            await #expect(throws: OAuth2Error.self) {
                try await fixture.keyManager.token(
                    for: TokenRequest(grant: .clientCredentials, validityPeriod: period),
                    credentials: fixture.productionCredentials
                )
            }
        }
    }

    @Test func expiryFollowsIdentitySettingsAndSkew() async throws {
        let fixture = try await KeyManagerFixture()
        let response = try await fixture.passwordToken()
        let issued = try await fixture.keyManager.introspect(token: response.accessToken, tokenTypeHint: nil)
        #expect(issued.exp == Int64(fixture.clock.now.timeIntervalSince1970) + 1800)
        // Valid until 1800 - 60 (TimestampSkew) seconds have passed.
        fixture.clock.advance(by: 1739)
        #expect(fixture.validate(response.accessToken).authorized)
        fixture.clock.advance(by: 1)
        #expect(fixture.validate(response.accessToken).errorCode == .accessTokenExpired)
        #expect(try await fixture.keyManager.introspect(token: response.accessToken, tokenTypeHint: nil) == .inactive)
        // The refresh token (7200 s) still works.
        let refreshed = try await fixture.keyManager.token(
            for: TokenRequest(grant: .refreshToken(try #require(response.refreshToken))),
            credentials: fixture.productionCredentials
        )
        #expect(fixture.validate(refreshed.accessToken).authorized)
        fixture.clock.advance(by: 7200)
        await #expect(throws: OAuth2Error(.invalidGrant, "The refresh token has expired")) {
            try await fixture.keyManager.token(
                for: TokenRequest(grant: .refreshToken(try #require(refreshed.refreshToken))),
                credentials: fixture.productionCredentials
            )
        }
    }

    @Test func concurrentRequestsForTheSameClientAndUserAllSucceed() async throws {
        let fixture = try await KeyManagerFixture()
        let tokens = try await withThrowingTaskGroup(of: TokenResponse.self) { group in
            for _ in 0..<40 {
                group.addTask { try await fixture.passwordToken() }
                group.addTask {
                    try await fixture.keyManager.token(
                        for: TokenRequest(grant: .clientCredentials),
                        credentials: fixture.productionCredentials
                    )
                }
            }
            return try await group.reduce(into: [TokenResponse]()) { $0.append($1) }
        }
        #expect(tokens.count == 80)
        #expect(Set(tokens.map(\.accessToken)).count == 80)
        #expect(tokens.allSatisfy { fixture.validate($0.accessToken).authorized })
    }

    @Test func theIndexIsRebuiltFromStorage() async throws {
        let fixture = try await KeyManagerFixture()
        let response = try await fixture.passwordToken()
        let revoked = try await fixture.passwordToken()
        try await fixture.keyManager.revoke(
            token: revoked.accessToken,
            tokenTypeHint: nil,
            credentials: fixture.productionCredentials
        )
        let reopened = try await KeyManager(
            storage: fixture.storage,
            configuration: KeyManagerConfiguration(
                identity: KeyManagerFixture.identity,
                passwordHasher: .insecureForTesting(iterations: 10),
                clock: fixture.clock
            )
        )
        let request = KeyValidationRequest(
            accessToken: response.accessToken, apiContext: "/shop", apiVersion: "1.0", resource: "/", httpMethod: "GET"
        )
        #expect(reopened.validationService.validate(request).authorized)
        var revokedRequest = request
        revokedRequest.accessToken = revoked.accessToken
        #expect(reopened.validationService.validate(revokedRequest).errorCode == .accessTokenInactive)
    }

    @Test func concurrentGrantsOnAWALFileAllSucceed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-km-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixture = try await KeyManagerFixture(storage: try SQLiteStorage(repository: folder.path))
        let tokens = try await withThrowingTaskGroup(of: TokenResponse.self) { group in
            for _ in 0..<40 {
                group.addTask { try await fixture.passwordToken() }
            }
            return try await group.reduce(into: [TokenResponse]()) { $0.append($1) }
        }
        #expect(Set(tokens.map(\.accessToken)).count == 40)
        // Everything issued survives an orderly restart on the same file (the node flushes the writes behind the
        // answers when it stops; a crash may lose the last few milliseconds: TokenWriteBehindTests).
        await fixture.keyManager.flushTokenWrites()
        let reopened = try await KeyManager(
            storage: try SQLiteStorage(repository: folder.path),
            configuration: KeyManagerConfiguration(
                identity: KeyManagerFixture.identity,
                passwordHasher: .insecureForTesting(iterations: 10),
                clock: fixture.clock
            )
        )
        #expect(reopened.validationService.indexedTokenCount == 40)
    }
}
