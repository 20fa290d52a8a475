import Foundation
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Testing

@Suite struct KeyValidationTests {
    @Test func unknownTokenIs900901() async throws {
        let fixture = try await KeyManagerFixture()
        let result = fixture.validate("no-such-token")
        #expect(!result.authorized)
        #expect(result.errorCode == .invalidCredentials)
        #expect(result.errorCode?.rawValue == 900901)
    }

    @Test func unsubscribedAPIIs900908() async throws {
        let fixture = try await KeyManagerFixture()
        let token = try await fixture.passwordToken().accessToken
        #expect(fixture.validate(token, context: "/other/1.0").errorCode == .resourceForbidden)
        #expect(fixture.validate(token, context: "/shop/{version}").authorized)
    }

    @Test func blockedSubscriptionsAre900909() async throws {
        let fixture = try await KeyManagerFixture()
        let production = try await fixture.passwordToken().accessToken
        let sandbox = try await fixture.passwordToken(credentials: fixture.sandboxCredentials).accessToken
        _ = try await fixture.keyManager.updateSubscription(id: fixture.subscription.id, tier: "Gold", status: .prodOnlyBlocked)
        #expect(fixture.validate(production).errorCode == .subscriptionInactive)
        #expect(fixture.validate(sandbox).authorized)
        _ = try await fixture.keyManager.updateSubscription(id: fixture.subscription.id, tier: "Silver", status: .blocked)
        #expect(fixture.validate(sandbox).errorCode == .subscriptionInactive)
        _ = try await fixture.keyManager.updateSubscription(id: fixture.subscription.id, tier: "Silver", status: .unblocked)
        #expect(fixture.validate(production).subscriptionTier == "Silver")
        #expect(try await fixture.keyManager.unsubscribe(id: fixture.subscription.id))
        #expect(fixture.validate(production).errorCode == .resourceForbidden)
    }

    @Test func missingScopeIs900910() async throws {
        let fixture = try await KeyManagerFixture()
        let token = try await fixture.passwordToken(scopes: ["orders:read"]).accessToken
        #expect(fixture.validate(token, scopes: ["orders:write"]).errorCode == .invalidScope)
        #expect(fixture.validate(token, scopes: ["orders:write", "orders:read"]).authorized)
        #expect(KeyValidationResult.ErrorCode.invalidScope.httpStatus == 403)
    }

    @Test func expiredIs900903AndRevokedIs900904() async throws {
        let fixture = try await KeyManagerFixture()
        let expiring = try await fixture.passwordToken().accessToken
        let revoked = try await fixture.passwordToken().accessToken
        try await fixture.keyManager.revoke(token: revoked, tokenTypeHint: nil, credentials: fixture.productionCredentials)
        #expect(fixture.validate(revoked).errorCode == .accessTokenInactive)
        fixture.clock.advance(by: 1800)
        #expect(fixture.validate(expiring).errorCode == .accessTokenExpired)
    }

    @Test func deletingTheApplicationInvalidatesItsTokens() async throws {
        let fixture = try await KeyManagerFixture()
        let token = try await fixture.passwordToken().accessToken
        #expect(try await fixture.keyManager.deleteApplication(id: fixture.application.id))
        #expect(fixture.validate(token).errorCode == .invalidCredentials)
    }

    @Test func regeneratedSecretReplacesTheOldOne() async throws {
        let fixture = try await KeyManagerFixture()
        let token = try await fixture.passwordToken().accessToken
        let renewed = try await fixture.keyManager.regenerateSecret(applicationID: fixture.application.id, keyType: .production)
        #expect(renewed.consumerKey == fixture.production.consumerKey)
        #expect(renewed.consumerSecret != fixture.production.consumerSecret)
        await #expect(throws: OAuth2Error.self) { try await fixture.passwordToken() }
        _ = try await fixture.passwordToken(
            credentials: ClientCredentials(consumerKey: renewed.consumerKey, consumerSecret: renewed.consumerSecret)
        )
        #expect(fixture.validate(token).authorized)
        await #expect(throws: StorageError.self) {
            try await fixture.keyManager.generateKeys(applicationID: fixture.application.id, keyType: .production)
        }
    }
}
