import Foundation
import SluiceJWT
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Testing

/// WSO2 4.x API keys: signed JWTs naming the application, its subscriptions and restrictions, validated from memory
/// on signature, revocation, expiry and the live subscription, and refused with WSO2's codes.
@Suite struct APIKeyTests {
    static func apiKeyRequest(_ key: String, context: String = "/shop/1.0") -> KeyValidationRequest {
        KeyValidationRequest(
            accessToken: key, apiContext: context, apiVersion: "1.0", resource: "/items", httpMethod: "GET",
            credential: .apiKey
        )
    }

    static func fixture() async throws -> KeyManagerFixture {
        try await KeyManagerFixture(signer: try await JWTAccessTokenTests.signer())
    }

    static func generate(
        _ fixture: KeyManagerFixture,
        _ request: KeyManager.APIKeyRequest = KeyManager.APIKeyRequest(keyType: .production)
    ) async throws -> (apiKey: String, validityPeriod: Int64) {
        try fixture.keyManager.generateAPIKey(
            request,
            application: fixture.application,
            subscriptions: try await fixture.keyManager.subscriptions(applicationID: fixture.application.id)
        )
    }

    @Test func aKeyCarriesWSO2sClaimsAndValidatesFromMemory() async throws {
        let fixture = try await Self.fixture()
        let generated = try await Self.generate(
            fixture,
            KeyManager.APIKeyRequest(
                keyType: .production, validityPeriod: 3600, permittedIP: "10.0.0.0/8, 192.168.1.7",
                permittedReferer: "https://shop.example/*"
            )
        )
        #expect(generated.validityPeriod == 3600)
        let (header, payload) = try JWTAccessTokenTests.parts(generated.apiKey)
        #expect(header["typ"] as? String == "JWT")
        #expect(header["alg"] as? String == "RS256")
        #expect(payload["token_type"] as? String == "apiKey")
        #expect(payload["keytype"] as? String == "PRODUCTION")
        #expect(payload["sub"] as? String == "alice")
        #expect(payload["permittedIP"] as? String == "10.0.0.0/8, 192.168.1.7")
        #expect(payload["permittedReferer"] as? String == "https://shop.example/*")
        let issuedAt = try #require(payload["iat"] as? Int)
        #expect(payload["exp"] as? Int == issuedAt + 3600)
        let subscribed = try #require(payload["subscribedAPIs"] as? [[String: Any]])
        #expect(subscribed.count == 1)
        #expect(subscribed.first?["context"] as? String == "/shop")
        #expect(subscribed.first?["version"] as? String == "1.0")
        #expect(subscribed.first?["subscriptionTier"] as? String == "Gold")
        #expect((payload["application"] as? [String: Any])?["id"] as? String == fixture.application.id)

        let answer = fixture.keyManager.validationService.validate(Self.apiKeyRequest(generated.apiKey))
        #expect(answer.authorized)
        #expect(answer.applicationID == fixture.application.id)
        #expect(answer.applicationName == "Shop")
        #expect(answer.subscriber == "alice")
        #expect(answer.keyType == .production)
        #expect(answer.subscriptionTier == "Gold")
        #expect(answer.permittedIPs?.description == "10.0.0.0/8, 192.168.1.7")
        #expect(answer.permittedReferers?.description == "https://shop.example/*")
    }

    @Test func withoutAValidityAKeyNeverExpiresAndWithOneItIs900901Afterwards() async throws {
        let fixture = try await Self.fixture()
        let lasting = try await Self.generate(fixture)
        #expect(lasting.validityPeriod == -1)
        #expect(try JWTAccessTokenTests.parts(lasting.apiKey).payload["exp"] == nil)
        let brief = try await Self.generate(fixture, KeyManager.APIKeyRequest(keyType: .production, validityPeriod: 120))
        // TimestampSkew (60 s) applies as to tokens.
        fixture.clock.advance(by: 59)
        #expect(fixture.keyManager.validationService.validate(Self.apiKeyRequest(brief.apiKey)).authorized)
        fixture.clock.advance(by: 2)
        #expect(fixture.keyManager.validationService.validate(Self.apiKeyRequest(brief.apiKey)).errorCode == .invalidCredentials)
        fixture.clock.advance(by: 10 * 365 * 86400)
        #expect(fixture.keyManager.validationService.validate(Self.apiKeyRequest(lasting.apiKey)).authorized)
    }

    @Test func aRevokedKeyIs900901AtOnceAnnouncedByHashAndStillAfterARestart() async throws {
        let fixture = try await Self.fixture()
        let key = try await Self.generate(fixture).apiKey
        try await fixture.keyManager.revokeAPIKey(key, applicationID: fixture.application.id, keyType: .production)
        #expect(fixture.keyManager.validationService.validate(Self.apiKeyRequest(key)).errorCode == .invalidCredentials)
        let (_, hashes, _) = fixture.keyManager.validationService.revocations(since: 0)
        #expect(hashes.contains(SecretGenerator.hash(key)))
        // A key manager opened later on the same database loads the revocation.
        let reopened = try await KeyManager(
            storage: fixture.storage,
            configuration: KeyManagerConfiguration(
                identity: KeyManagerFixture.identity, passwordHasher: .insecureForTesting(iterations: 10),
                clock: fixture.clock, tokenSigner: try await JWTAccessTokenTests.signer()
            )
        )
        #expect(reopened.validationService.validate(Self.apiKeyRequest(key)).errorCode == .invalidCredentials)
        // Another key of the application still works.
        let other = try await Self.generate(fixture).apiKey
        #expect(reopened.validationService.validate(Self.apiKeyRequest(other)).authorized)
    }

    @Test func onlyTheApplicationsOwnKeyOfThatTypeCanBeRevoked() async throws {
        let fixture = try await Self.fixture()
        let key = try await Self.generate(fixture).apiKey
        await #expect(throws: APIKeyError.notAKeyOfTheApplication) {
            try await fixture.keyManager.revokeAPIKey(key, applicationID: "another", keyType: .production)
        }
        await #expect(throws: APIKeyError.notAKeyOfTheApplication) {
            try await fixture.keyManager.revokeAPIKey(key, applicationID: fixture.application.id, keyType: .sandbox)
        }
        #expect(fixture.keyManager.validationService.validate(Self.apiKeyRequest(key)).authorized)
    }

    @Test func forgedForeignAndSwappedCredentialsAre900901() async throws {
        let fixture = try await Self.fixture()
        let key = try await Self.generate(fixture).apiKey
        let service = fixture.keyManager.validationService
        // Another application id written into the payload, signature kept.
        var parts = key.split(separator: ".").map(String.init)
        var payload = try JWTAccessTokenTests.parts(key).payload
        payload["subscribedAPIs"] = [["name": "Other", "context": "/other", "version": "1.0", "publisher": "x",
                                      "subscriptionTier": "Gold", "subscriberTenantDomain": "carbon.super"]]
        parts[1] = Data(try JSONSerialization.data(withJSONObject: payload)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        #expect(service.validate(Self.apiKeyRequest(parts.joined(separator: "."), context: "/other/1.0")).errorCode == .invalidCredentials)
        // Signed by another key store.
        let foreign = try await KeyManagerFixture(signer: try await JWTAccessTokenTests.signer(JWTAccessTokenTests.makeKeyStore()))
        let foreignKey = try await Self.generate(foreign).apiKey
        #expect(service.validate(Self.apiKeyRequest(foreignKey)).errorCode == .invalidCredentials)
        // An access token is no API key, and an API key is no access token.
        let token = try await fixture.passwordToken().accessToken
        #expect(service.validate(Self.apiKeyRequest(token)).errorCode == .invalidCredentials)
        #expect(fixture.validate(key).errorCode == .invalidCredentials)
        #expect(service.validate(Self.apiKeyRequest("not-a-key")).errorCode == .invalidCredentials)
    }

    @Test func subscriptionsAreCheckedLiveAs900908And900909() async throws {
        let fixture = try await Self.fixture()
        let key = try await Self.generate(fixture).apiKey
        let service = fixture.keyManager.validationService
        // An API the key does not name.
        #expect(service.validate(Self.apiKeyRequest(key, context: "/other/1.0")).errorCode == .resourceForbidden)
        // Blocked after the key was made.
        _ = try await fixture.keyManager.updateSubscription(id: fixture.subscription.id, tier: "Gold", status: .blocked)
        #expect(service.validate(Self.apiKeyRequest(key)).errorCode == .subscriptionInactive)
        // Removed after the key was made.
        _ = try await fixture.keyManager.unsubscribe(id: fixture.subscription.id)
        #expect(service.validate(Self.apiKeyRequest(key)).errorCode == .resourceForbidden)
        // A key made now names no API at all.
        let later = try await Self.generate(fixture).apiKey
        #expect(try JWTAccessTokenTests.parts(later).payload["subscribedAPIs"] as? [Any] != nil)
        #expect(service.validate(Self.apiKeyRequest(later)).errorCode == .resourceForbidden)
    }

    @Test func aMalformedPermittedIPIsRefusedAndWithoutASigningKeyThereAreNoKeys() async throws {
        let fixture = try await Self.fixture()
        #expect(throws: APIKeyError.invalidPermittedIP("10.0.0.0/33")) {
            try fixture.keyManager.generateAPIKey(
                KeyManager.APIKeyRequest(keyType: .production, permittedIP: "10.0.0.1,10.0.0.0/33"),
                application: fixture.application, subscriptions: []
            )
        }
        let unsigned = try await KeyManagerFixture()
        #expect(throws: APIKeyError.noSigningKey) {
            try unsigned.keyManager.generateAPIKey(
                KeyManager.APIKeyRequest(keyType: .production), application: unsigned.application, subscriptions: []
            )
        }
    }
}
