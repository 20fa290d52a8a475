import Foundation
import Synchronization
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

    @Test func subscribingByAPIIDUsesThePublishersContext() async throws {
        let fixture = try await KeyManagerFixture()
        let api = APIRecord(
            id: "api-7", provider: "admin", name: "PizzaShack", version: "1.0.0", context: "/pizzashack",
            createdAt: fixture.clock.now, updatedAt: fixture.clock.now
        )
        try await fixture.storage.createAPI(api, actor: "admin")
        let subscription = try await fixture.keyManager.subscribe(
            applicationID: fixture.application.id, apiID: "api-7", tier: "Bronze"
        )
        #expect(subscription.apiName == "PizzaShack")
        let token = try await fixture.passwordToken().accessToken
        let result = fixture.keyManager.validationService.validate(
            KeyValidationRequest(
                accessToken: token, apiContext: "/pizzashack/1.0.0", apiVersion: "1.0.0", resource: "/menu",
                httpMethod: "GET"
            )
        )
        #expect(result.authorized)
        #expect(result.subscriptionTier == "Bronze")
        await #expect(throws: StorageError.notFound("API nope")) {
            try await fixture.keyManager.subscribe(applicationID: fixture.application.id, apiID: "nope", tier: "Gold")
        }
    }

    @Test func keysCreatedByAnotherProcessValidateOnceUsed() async throws {
        let fixture = try await KeyManagerFixture()
        // A second key manager on the same database stands for `sluice app` run beside the server.
        let cli = try await KeyManager(
            storage: fixture.storage,
            configuration: KeyManagerConfiguration(passwordHasher: .insecureForTesting(iterations: 10), clock: fixture.clock)
        )
        let application = try await cli.createApplication(name: "Late", owner: "alice")
        let keys = try await cli.generateKeys(applicationID: application.id, keyType: .production)
        _ = try await fixture.keyManager.subscribe(
            applicationID: application.id, to: APIKey(context: "/shop", version: "1.0"), tier: "Gold"
        )
        let token = try await fixture.passwordToken(
            credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        )
        let result = fixture.validate(token.accessToken)
        #expect(result.authorized)
        #expect(result.applicationName == "Late")
    }

    @Test func subscriptionAndApplicationChangesAreAnnounced() async throws {
        let fixture = try await KeyManagerFixture()
        let seen = Mutex<[KeyValidationInvalidation]>([])
        fixture.keyManager.validationService.onInvalidation { change in seen.withLock { $0.append(change) } }
        let id = fixture.application.id
        _ = try await fixture.keyManager.updateSubscription(id: fixture.subscription.id, tier: "Gold", status: .blocked)
        #expect(try await fixture.keyManager.unsubscribe(id: fixture.subscription.id))
        #expect(try await fixture.keyManager.unsubscribe(id: fixture.subscription.id) == false)
        #expect(try await fixture.keyManager.deleteApplication(id: id))
        let expected: [KeyValidationInvalidation] = [
            .subscription(applicationID: id, apiContext: "/shop", apiVersion: "1.0"),
            .subscription(applicationID: id, apiContext: "/shop", apiVersion: "1.0"),
            .application(id: id),
        ]
        #expect(seen.withLock { $0 } == expected)
    }
}
