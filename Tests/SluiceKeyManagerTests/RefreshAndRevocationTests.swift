import Foundation
import Logging
import ServiceLifecycle
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Synchronization
import Testing

@Suite struct RefreshAndRevocationTests {
    func refresh(_ fixture: KeyManagerFixture, _ token: String?, scopes: [String]? = nil) async throws -> TokenResponse {
        try await fixture.keyManager.token(
            for: TokenRequest(grant: .refreshToken(try #require(token)), scopes: scopes),
            credentials: fixture.productionCredentials
        )
    }

    @Test func refreshRotatesTheRefreshTokenAndDeactivatesTheOldAccessToken() async throws {
        let fixture = try await KeyManagerFixture()
        let first = try await fixture.passwordToken(scopes: ["orders:read", "orders:write"])
        let second = try await refresh(fixture, first.refreshToken)
        #expect(second.refreshToken != first.refreshToken)
        #expect(second.scope == "orders:read orders:write")
        #expect(second.expiresIn == 1740)
        #expect(fixture.validate(first.accessToken).errorCode == .accessTokenInactive)
        #expect(fixture.validate(second.accessToken).authorized)
        let narrowed = try await refresh(fixture, second.refreshToken, scopes: ["orders:read"])
        #expect(narrowed.scope == "orders:read")
    }

    @Test func reusingARotatedRefreshTokenRevokesTheWholeFamily() async throws {
        let fixture = try await KeyManagerFixture()
        let first = try await fixture.passwordToken()
        let second = try await refresh(fixture, first.refreshToken)
        await #expect(throws: OAuth2Error(.invalidGrant, "The refresh token was already used; its token family is revoked")) {
            try await refresh(fixture, first.refreshToken)
        }
        #expect(fixture.validate(second.accessToken).errorCode == .accessTokenInactive)
        await #expect(throws: OAuth2Error(.invalidGrant, "The refresh token is invalid")) {
            try await refresh(fixture, second.refreshToken)
        }
        // Other families are untouched.
        let other = try await fixture.passwordToken()
        #expect(fixture.validate(other.accessToken).authorized)
    }

    @Test func refreshWithoutRenewalKeepsTheRefreshToken() async throws {
        var identity = KeyManagerFixture.identity
        identity.renewRefreshTokenForRefreshGrant = false
        let fixture = try await KeyManagerFixture(identity: identity)
        let first = try await fixture.passwordToken()
        let second = try await refresh(fixture, first.refreshToken)
        #expect(second.refreshToken == first.refreshToken)
        let third = try await refresh(fixture, first.refreshToken)
        #expect(fixture.validate(second.accessToken).errorCode == .accessTokenInactive)
        #expect(fixture.validate(third.accessToken).authorized)
    }

    @Test func refreshErrors() async throws {
        let fixture = try await KeyManagerFixture()
        let first = try await fixture.passwordToken(scopes: ["orders:read"])
        await #expect(throws: OAuth2Error(.invalidScope, "The requested scope exceeds the scope originally granted")) {
            try await refresh(fixture, first.refreshToken, scopes: ["orders:write"])
        }
        await #expect(throws: OAuth2Error(.invalidGrant, "The refresh token was issued to another client")) {
            try await fixture.keyManager.token(
                for: TokenRequest(grant: .refreshToken(try #require(first.refreshToken))),
                credentials: fixture.sandboxCredentials
            )
        }
        await #expect(throws: OAuth2Error(.invalidGrant, "The refresh token is invalid")) {
            try await refresh(fixture, "not-a-token")
        }
        await #expect(throws: OAuth2Error(.invalidGrant, "The refresh token is invalid")) {
            try await refresh(fixture, first.accessToken)
        }
        // A failed attempt changes nothing.
        #expect(fixture.validate(first.accessToken).authorized)
        _ = try await refresh(fixture, first.refreshToken)
    }

    @Test func revocationRevokesTheFamilyAndNotifiesAtOnce() async throws {
        let fixture = try await KeyManagerFixture()
        let seen = Mutex<[Data]>([])
        fixture.keyManager.validationService.onRevocation { hashes in seen.withLock { $0 += hashes } }
        let generation = fixture.keyManager.validationService.revocationGeneration
        let response = try await fixture.passwordToken()
        try await fixture.keyManager.revoke(
            token: try #require(response.refreshToken),
            tokenTypeHint: "refresh_token",
            credentials: fixture.productionCredentials
        )
        #expect(fixture.validate(response.accessToken).errorCode == .accessTokenInactive)
        #expect(seen.withLock { $0 } == [SecretGenerator.hash(response.accessToken)])
        let since = fixture.keyManager.validationService.revocations(since: generation)
        #expect(since.generation == generation + 1)
        #expect(since.tokenHashes == [SecretGenerator.hash(response.accessToken)])
        #expect(since.complete)
        await #expect(throws: OAuth2Error(.invalidGrant, "The refresh token is invalid")) {
            try await refresh(fixture, response.refreshToken)
        }
        #expect(try await fixture.keyManager.introspect(token: response.accessToken, tokenTypeHint: nil) == .inactive)
    }

    @Test func revocationByAnotherClientOrOfUnknownTokensChangesNothing() async throws {
        let fixture = try await KeyManagerFixture()
        let response = try await fixture.passwordToken()
        try await fixture.keyManager.revoke(
            token: response.accessToken,
            tokenTypeHint: nil,
            credentials: fixture.sandboxCredentials
        )
        try await fixture.keyManager.revoke(token: "unknown", tokenTypeHint: nil, credentials: fixture.sandboxCredentials)
        #expect(fixture.validate(response.accessToken).authorized)
        await #expect(throws: OAuth2Error.self) {
            try await fixture.keyManager.revoke(
                token: response.accessToken,
                tokenTypeHint: nil,
                credentials: ClientCredentials(consumerKey: fixture.production.consumerKey, consumerSecret: "x")
            )
        }
    }

    @Test func introspectionDescribesActiveTokens() async throws {
        let fixture = try await KeyManagerFixture()
        let response = try await fixture.passwordToken(scopes: ["orders:read"])
        let now = Int64(fixture.clock.now.timeIntervalSince1970)
        let access = try await fixture.keyManager.introspect(token: response.accessToken, tokenTypeHint: "access_token")
        #expect(
            access
                == IntrospectionResponse(
                    active: true, scope: "orders:read", clientID: fixture.production.consumerKey, username: "alice",
                    tokenType: "Bearer", exp: now + 1800, iat: now, nbf: now
                )
        )
        let refresh = try await fixture.keyManager.introspect(token: try #require(response.refreshToken), tokenTypeHint: nil)
        #expect(refresh.tokenType == "refresh_token")
        #expect(refresh.exp == now + 7200)
        #expect(try await fixture.keyManager.introspect(token: "nope", tokenTypeHint: nil) == .inactive)
    }

    @Test func aTokenRevokedWhileValidationsRunIsRefusedAfterwards() async throws {
        let fixture = try await KeyManagerFixture()
        let response = try await fixture.passwordToken()
        let service = fixture.keyManager.validationService
        let request = KeyValidationRequest(
            accessToken: response.accessToken, apiContext: "/shop", apiVersion: "1.0", resource: "/", httpMethod: "GET"
        )
        let generationBefore = service.revocationGeneration
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    // Validations keep running across the revocation; once it is visible it must stay so.
                    var sawRefusal = false
                    for _ in 0..<2_000 {
                        let result = service.validate(request)
                        if sawRefusal { #expect(!result.authorized) }
                        if !result.authorized { sawRefusal = true }
                        await Task.yield()
                    }
                }
            }
            group.addTask {
                try await fixture.keyManager.revoke(
                    token: response.accessToken,
                    tokenTypeHint: nil,
                    credentials: fixture.productionCredentials
                )
            }
            try await group.waitForAll()
        }
        #expect(service.revocationGeneration == generationBefore + 1)
        #expect(service.validate(request).errorCode == .accessTokenInactive)
    }

    @Test func cleanupRemovesExpiredTokensFromStorageAndMemory() async throws {
        let fixture = try await KeyManagerFixture()
        let short = try await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials, validityPeriod: 120),
            credentials: fixture.productionCredentials
        )
        let long = try await fixture.passwordToken()
        let cleanup = TokenCleanupService(keyManager: fixture.keyManager, interval: .seconds(60))
        #expect(await cleanup.runOnce() == 0)
        fixture.clock.advance(by: 121)
        #expect(await cleanup.runOnce() == 1)
        #expect(try await fixture.storage.token(hash: SecretGenerator.hash(short.accessToken)) == nil)
        #expect(fixture.validate(short.accessToken).errorCode == .invalidCredentials)
        #expect(fixture.validate(long.accessToken).authorized)
        #expect(fixture.keyManager.validationService.indexedTokenCount == 1)
    }

    @Test(.timeLimit(.minutes(1))) func cleanupServiceRunsUntilGracefulShutdown() async throws {
        let fixture = try await KeyManagerFixture()
        let short = try await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials, validityPeriod: 120),
            credentials: fixture.productionCredentials
        )
        fixture.clock.advance(by: 500)
        let cleanup = TokenCleanupService(keyManager: fixture.keyManager, interval: .milliseconds(5))
        let group = ServiceGroup(services: [cleanup], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while try await fixture.storage.token(hash: SecretGenerator.hash(short.accessToken)) != nil {
                try await Task.sleep(for: .milliseconds(5))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(fixture.keyManager.validationService.indexedTokenCount == 0)
    }

    @Test func reloadingTheIndexTellsPollersToFlush() async throws {
        let fixture = try await KeyManagerFixture()
        let service = fixture.keyManager.validationService
        let response = try await fixture.passwordToken()
        try await fixture.keyManager.revoke(
            token: response.accessToken,
            tokenTypeHint: nil,
            credentials: fixture.productionCredentials
        )
        let seen = service.revocationGeneration
        #expect(service.revocations(since: seen).complete)
        try await fixture.keyManager.reloadIndex()
        let after = service.revocations(since: seen)
        #expect(after.generation == seen + 1)
        #expect(!after.complete)
        #expect(fixture.validate(response.accessToken).errorCode == .accessTokenInactive)
    }
}
