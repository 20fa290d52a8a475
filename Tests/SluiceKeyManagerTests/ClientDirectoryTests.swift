import Foundation
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import SluiceTesting
import Testing

/// The token endpoint checks client credentials from memory: changes made through the key manager apply at once,
/// changes another process writes to the database once an entry is `clientCacheAge` old (5 s).
@Suite struct ClientDirectoryTests {
    private static func clientToken(_ fixture: KeyManagerFixture, _ credentials: ClientCredentials) async throws
        -> TokenResponse
    {
        try await fixture.keyManager.token(for: TokenRequest(grant: .clientCredentials), credentials: credentials)
    }

    private static func refusesClient(_ fixture: KeyManagerFixture, _ credentials: ClientCredentials) async -> Bool {
        do {
            _ = try await clientToken(fixture, credentials)
            return false
        } catch let error as OAuth2Error {
            return error.code == .invalidClient
        } catch {
            return false
        }
    }

    @Test func aSecretRegeneratedHereStopsTheOldOneAtOnce() async throws {
        let fixture = try await KeyManagerFixture()
        _ = try await Self.clientToken(fixture, fixture.productionCredentials)
        let keys = try await fixture.keyManager.regenerateSecret(applicationID: fixture.application.id, keyType: .production)
        #expect(await Self.refusesClient(fixture, fixture.productionCredentials))
        let renewed = ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        _ = try await Self.clientToken(fixture, renewed)
    }

    @Test func aSecretChangedByAnotherProcessTakesEffectWithinTheCacheAge() async throws {
        let fixture = try await KeyManagerFixture()
        _ = try await Self.clientToken(fixture, fixture.productionCredentials)
        // Another process (the CLI on the same database file) replaces the secret.
        let newSecret = SecretGenerator.randomValue()
        try await fixture.storage.setSecretHash(
            SecretGenerator.hash(newSecret),
            forConsumerKey: fixture.production.consumerKey
        )
        // The new secret does not match what memory holds, so storage is read: accepted at once.
        let renewed = ClientCredentials(consumerKey: fixture.production.consumerKey, consumerSecret: newSecret)
        _ = try await Self.clientToken(fixture, renewed)
        #expect(await Self.refusesClient(fixture, fixture.productionCredentials))
    }

    @Test func theOldSecretOfAnotherProcessesChangeWorksUntilTheEntryAges() async throws {
        let fixture = try await KeyManagerFixture()
        _ = try await Self.clientToken(fixture, fixture.productionCredentials)
        try await fixture.storage.setSecretHash(
            SecretGenerator.hash(SecretGenerator.randomValue()),
            forConsumerKey: fixture.production.consumerKey
        )
        // Served from memory: the database was not read for this check.
        _ = try await Self.clientToken(fixture, fixture.productionCredentials)
        fixture.clock.advance(by: 5)
        #expect(await Self.refusesClient(fixture, fixture.productionCredentials))
    }

    @Test func aDeletedApplicationsClientsAreRefusedAtOnce() async throws {
        let fixture = try await KeyManagerFixture()
        _ = try await Self.clientToken(fixture, fixture.sandboxCredentials)
        #expect(try await fixture.keyManager.deleteApplication(id: fixture.application.id))
        #expect(await Self.refusesClient(fixture, fixture.sandboxCredentials))
    }

    @Test func anApplicationChangeReachesTheNextToken() async throws {
        let fixture = try await KeyManagerFixture()
        _ = try await Self.clientToken(fixture, fixture.productionCredentials)
        var renamed = fixture.application
        renamed.name = "Shop renamed"
        try await fixture.keyManager.updateApplication(renamed)
        let token = try await Self.clientToken(fixture, fixture.productionCredentials)
        #expect(fixture.validate(token.accessToken).applicationName == "Shop renamed")
    }

    @Test func wrongSecretsAndUnknownKeysAreRefused() async throws {
        let fixture = try await KeyManagerFixture()
        _ = try await Self.clientToken(fixture, fixture.productionCredentials)
        let wrong = ClientCredentials(consumerKey: fixture.production.consumerKey, consumerSecret: "guess")
        #expect(await Self.refusesClient(fixture, wrong))
        let unknown = ClientCredentials(consumerKey: "no-such-key", consumerSecret: fixture.production.consumerSecret)
        #expect(await Self.refusesClient(fixture, unknown))
        _ = try await Self.clientToken(fixture, fixture.productionCredentials)
    }
}
