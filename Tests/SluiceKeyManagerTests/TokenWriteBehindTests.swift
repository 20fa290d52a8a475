import Foundation
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import SluiceTesting
import Testing

/// Tokens written behind their answer, as `docs/security.md` states it: a crash loses only tokens nobody but their
/// holder has seen; whatever a reader of stored tokens answered (introspection, revocation) is stored first.
@Suite struct TokenWriteBehindTests {
    private static func clientToken(_ fixture: KeyManagerFixture) async throws -> TokenResponse {
        try await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials),
            credentials: fixture.productionCredentials
        )
    }

    private static func validates(_ token: String, on keyManager: KeyManager) -> Bool {
        keyManager.validationService.validate(
            KeyValidationRequest(
                accessToken: token,
                apiContext: "/shop/1.0",
                apiVersion: "1.0",
                resource: "/items",
                httpMethod: "GET"
            )
        ).authorized
    }

    private static func isStored(_ token: String, in storage: SQLiteStorage) async throws -> Bool {
        try await storage.token(hash: SecretGenerator.hash(token)) != nil
    }

    @Test func aCrashLosesOnlyTheTokensNoReaderHasSeen() async throws {
        let writes = ManualClock()
        let fixture = try await KeyManagerFixture(tokenWriteClock: writes)
        let flushed = try await Self.clientToken(fixture)
        await fixture.keyManager.flushTokenWrites()
        let introspected = try await Self.clientToken(fixture)
        let description = try await fixture.keyManager.introspect(token: introspected.accessToken, tokenTypeHint: nil)
        #expect(description.active)
        let revoked = try await Self.clientToken(fixture)
        try await fixture.keyManager.revoke(
            token: revoked.accessToken,
            tokenTypeHint: nil,
            credentials: fixture.productionCredentials
        )
        let unwritten = try await Self.clientToken(fixture)
        // Answered and valid at once from memory, while its row waits for the writer's clock.
        #expect(Self.validates(unwritten.accessToken, on: fixture.keyManager))
        #expect(try await !Self.isStored(unwritten.accessToken, in: fixture.storage))

        // The process dies here: another key manager opens the same database.
        let restarted = try await KeyManager(
            storage: fixture.storage,
            configuration: KeyManagerConfiguration(identity: KeyManagerFixture.identity, clock: fixture.clock)
        )
        #expect(Self.validates(flushed.accessToken, on: restarted))
        #expect(Self.validates(introspected.accessToken, on: restarted))
        #expect(!Self.validates(revoked.accessToken, on: restarted))
        // Lost, as documented: its holder gets 401 and asks for another token.
        #expect(!Self.validates(unwritten.accessToken, on: restarted))
        #expect(try await !restarted.introspect(token: unwritten.accessToken, tokenTypeHint: nil).active)
    }

    @Test func theWriterStoresOnItsClockAndAFlushWaitsForIt() async throws {
        let writes = ManualClock()
        let fixture = try await KeyManagerFixture(tokenWriteClock: writes)
        let first = try await Self.clientToken(fixture)
        let second = try await Self.clientToken(fixture)
        await writes.waitForSleepers(1)
        #expect(try await !Self.isStored(first.accessToken, in: fixture.storage))
        writes.advance(by: .milliseconds(5))
        // The shutdown flush: returns once both rows are in the database.
        await fixture.keyManager.flushTokenWrites()
        #expect(try await Self.isStored(first.accessToken, in: fixture.storage))
        #expect(try await Self.isStored(second.accessToken, in: fixture.storage))
    }

    @Test func aTokenThatCannotBeStoredIsRevokedInMemoryToo() async throws {
        let writes = ManualClock()
        let fixture = try await KeyManagerFixture(tokenWriteClock: writes)
        let orphan = try await Self.clientToken(fixture)
        #expect(Self.validates(orphan.accessToken, on: fixture.keyManager))
        // Another process deletes the application before the row is written: its insert fails (foreign key).
        #expect(try await fixture.storage.deleteApplication(id: fixture.application.id))
        await fixture.keyManager.flushTokenWrites()
        #expect(!Self.validates(orphan.accessToken, on: fixture.keyManager))
        #expect(try await !Self.isStored(orphan.accessToken, in: fixture.storage))
    }

    @Test func refreshAndRoleChangesSeeTokensStillWaitingToBeWritten() async throws {
        let writes = ManualClock()
        let fixture = try await KeyManagerFixture(tokenWriteClock: writes)
        let issued = try await fixture.passwordToken()
        let refresh = try #require(issued.refreshToken)
        let refreshed = try await fixture.keyManager.token(
            for: TokenRequest(grant: .refreshToken(refresh)),
            credentials: fixture.productionCredentials
        )
        #expect(Self.validates(refreshed.accessToken, on: fixture.keyManager))
        let application = try await Self.clientToken(fixture)
        try await fixture.keyManager.setRoles(["Internal/subscriber", "Internal/creator"], forUser: "alice")
        #expect(!Self.validates(application.accessToken, on: fixture.keyManager))
        #expect(!Self.validates(refreshed.accessToken, on: fixture.keyManager))
        let stored = try #require(try await fixture.storage.token(hash: SecretGenerator.hash(application.accessToken)))
        #expect(stored.state == .revoked)
    }
}
