import Foundation
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Synchronization
import Testing

/// Issue #12, item 3: scopes are granted again against the current roles on refresh, a role change or a user's
/// removal revokes the user's live tokens everywhere, and a refresh-token family never outlives the first
/// grant's refresh validity. Item 12: identity settings that issue dead tokens are refused.
@Suite struct RoleChangeRevocationTests {
    func refresh(_ fixture: KeyManagerFixture, _ token: String?, scopes: [String]? = nil) async throws -> TokenResponse {
        try await fixture.keyManager.token(
            for: TokenRequest(grant: .refreshToken(try #require(token)), scopes: scopes),
            credentials: fixture.productionCredentials
        )
    }

    @Test func aRoleChangeRevokesTheUsersAccessAndRefreshTokensAndTellsTheCaches() async throws {
        let fixture = try await KeyManagerFixture()
        try await fixture.keyManager.setRoles([Role.admin.name], forUser: "alice")
        let admin = try await fixture.passwordToken(scopes: ["apim:admin"])
        #expect(admin.scope == "apim:admin")
        let application = try await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials, scopes: ["apim:admin"]),
            credentials: fixture.sandboxCredentials
        )
        let untouched = try await fixture.keyManager.token(
            for: TokenRequest(grant: .password(username: "admin", password: "admin-secret")),
            credentials: fixture.productionCredentials
        )
        let revoked = Mutex<Set<Data>>([])
        fixture.keyManager.validationService.onRevocation { hashes in revoked.withLock { $0.formUnion(hashes) } }
        let generation = fixture.keyManager.validationService.revocationGeneration

        try await fixture.keyManager.setRoles([Role.subscriber.name], forUser: "alice")

        #expect(fixture.validate(admin.accessToken).errorCode == .accessTokenInactive)
        #expect(fixture.validate(application.accessToken).errorCode == .accessTokenInactive)
        #expect(fixture.validate(untouched.accessToken).authorized, "other users keep their tokens")
        let hashes = [SecretGenerator.hash(admin.accessToken), SecretGenerator.hash(application.accessToken)]
        #expect(revoked.withLock { $0 } == Set(hashes), "in-process caches are told at once")
        let feed = fixture.keyManager.validationService.revocations(since: generation)
        #expect(Set(feed.tokenHashes) == Set(hashes), "remote gateways poll the same hashes")
        await #expect(throws: OAuth2Error(.invalidGrant, "The refresh token is invalid")) {
            try await refresh(fixture, admin.refreshToken)
        }
        // Setting the same roles again revokes nothing.
        let fresh = try await fixture.passwordToken()
        try await fixture.keyManager.setRoles([Role.subscriber.name], forUser: "alice")
        #expect(fixture.validate(fresh.accessToken).authorized)
    }

    @Test func refreshGrantsTheScopesOfTheRolesHeldNow() async throws {
        let fixture = try await KeyManagerFixture()
        try await fixture.declare(["shop:refund": [Role.admin.name]], api: "Till")
        try await fixture.keyManager.setRoles([Role.admin.name, Role.subscriber.name], forUser: "alice")
        let first = try await fixture.passwordToken(scopes: ["apim:admin", "shop:refund", "orders:read"])
        #expect(first.scope == "apim:admin shop:refund orders:read")
        // The roles change behind the key manager's back (another node, the database): the refresh still checks.
        try await fixture.storage.setRoles([Role.subscriber.name], forUser: "alice")
        let second = try await refresh(fixture, first.refreshToken)
        #expect(second.scope == "orders:read")
        #expect(fixture.validate(second.accessToken, scopes: ["shop:refund"]).errorCode == .invalidScope)
        // Asking again for what was first granted is not an error: the roles decide, as on the first grant.
        let third = try await refresh(fixture, second.refreshToken, scopes: ["apim:admin"])
        #expect(third.scope == "default")
    }

    @Test func removingAUserRevokesTheirTokensAndTheirRefreshFails() async throws {
        let fixture = try await KeyManagerFixture()
        let token = try await fixture.passwordToken()
        #expect(try await fixture.keyManager.removeUser("ALICE"))
        #expect(try await fixture.storage.user(named: "alice") == nil)
        #expect(fixture.validate(token.accessToken).errorCode == .accessTokenInactive)
        await #expect(throws: OAuth2Error(.invalidGrant, "The refresh token is invalid")) {
            try await refresh(fixture, token.refreshToken)
        }
        #expect(try await fixture.keyManager.removeUser("alice") == false)
    }

    @Test func aRotatedRefreshTokenInheritsTheFirstGrantsExpiry() async throws {
        // Refresh tokens live 7200 s, access tokens 1800 s, TimestampSkew is 60 s.
        let fixture = try await KeyManagerFixture()
        var current = try await fixture.passwordToken()
        for _ in 0..<3 {
            fixture.clock.advance(by: 1700)
            current = try await refresh(fixture, current.refreshToken)
        }
        // 5100 s in: the family ends at 7200 s whatever the rotations.
        let refreshToken = try #require(current.refreshToken)
        let stored = try #require(try await fixture.storage.token(hash: SecretGenerator.hash(refreshToken)))
        #expect(stored.expiresAt == stored.issuedAt.addingTimeInterval(7200 - 5100))
        fixture.clock.advance(by: 1700)
        // 6800 s in: the new access token stops with the family, and expires_in says so (7200 - 60 - 6800).
        current = try await refresh(fixture, current.refreshToken)
        #expect(current.expiresIn == 340)
        fixture.clock.advance(by: 339)
        #expect(fixture.validate(current.accessToken).authorized)
        fixture.clock.advance(by: 1)
        #expect(fixture.validate(current.accessToken).errorCode == .accessTokenExpired)
        await #expect(throws: OAuth2Error(.invalidGrant, "The refresh token has expired")) {
            try await refresh(fixture, current.refreshToken)
        }
    }

    @Test(arguments: [
        (IdentitySettings(userAccessTokenValidity: 60, timestampSkew: 60), "UserAccessTokenDefaultValidityPeriod (60 s)"),
        (IdentitySettings(applicationAccessTokenValidity: 30, timestampSkew: 300), "AccessTokenDefaultValidityPeriod (30 s)"),
        (IdentitySettings(refreshTokenValidity: 100, timestampSkew: 300), "RefreshTokenValidityPeriod (100 s)"),
        (IdentitySettings(timestampSkew: -1), "TimestampSkew (-1) must not be negative"),
    ])
    func aSkewAtLeastAsLongAsAValidityIsRefusedAtStart(identity: IdentitySettings, message: String) async throws {
        let error = await #expect(throws: KeyManagerConfigurationError.self) {
            _ = try await KeyManager(
                storage: try SQLiteStorage.inMemory(),
                configuration: KeyManagerConfiguration(identity: identity)
            )
        }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        #expect(IdentitySettings.wso2Defaults.problems.isEmpty)
    }
}
