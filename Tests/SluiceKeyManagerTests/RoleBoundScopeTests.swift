import Foundation
import SluiceKeyManager
import SluiceModel
import SluiceStorage
import Testing

/// Issue #12, item 6: a scope an API declares is granted only to users holding one of its roles (for
/// client_credentials, the application's owner), and the scoped resource refuses tokens without it.
@Suite struct RoleBoundScopeTests {
    func clientCredentialsToken(_ fixture: KeyManagerFixture, scopes: [String]) async throws -> TokenResponse {
        try await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials, scopes: scopes),
            credentials: fixture.productionCredentials
        )
    }

    @Test func aSubscriberDoesNotGetAnAdminOnlyScopeAndTheScopedResourceRefusesTheToken() async throws {
        let fixture = try await KeyManagerFixture()
        try await fixture.declare(["sec_admin_only": [Role.admin.name]], api: "SecEcho")
        let token = try await clientCredentialsToken(fixture, scopes: ["sec_admin_only"])
        #expect(token.scope == "default")
        #expect(fixture.validate(token.accessToken, scopes: ["sec_admin_only"]).errorCode == .invalidScope)
        #expect(fixture.validate(token.accessToken).authorized, "unscoped resources still take it")

        // The same request from an application the admin owns gets the scope, and the resource takes it.
        let application = try await fixture.keyManager.createApplication(name: "AdminApp", owner: "admin")
        _ = try await fixture.keyManager.subscribe(
            applicationID: application.id,
            to: APIKey(context: "/shop", version: "1.0"),
            apiName: "Shop",
            tier: "Gold"
        )
        let keys = try await fixture.keyManager.generateKeys(applicationID: application.id, keyType: .production)
        let adminToken = try await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials, scopes: ["sec_admin_only", "orders:read"]),
            credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        )
        #expect(adminToken.scope == "sec_admin_only orders:read")
        #expect(fixture.validate(adminToken.accessToken, scopes: ["sec_admin_only"]).authorized)
    }

    @Test func thePasswordGrantFollowsTheUsersRolesAndLeavesTheOtherScopesOut() async throws {
        let fixture = try await KeyManagerFixture()
        try await fixture.declare(
            ["shop:buy": [Role.subscriber.name], "shop:refund": [Role.admin.name, Role.publisher.name]],
            api: "Till"
        )
        let token = try await fixture.passwordToken(scopes: ["shop:refund", "shop:buy", "nobody:declared"])
        #expect(token.scope == "shop:buy")
    }

    @Test func everyDeclarationOfAScopeMustAdmitTheUser() async throws {
        let fixture = try await KeyManagerFixture()
        // Version 1.0 binds the scope to subscribers; a later version narrows it to admins. A declaration can
        // narrow who obtains a scope at once, never widen it for the others.
        try await fixture.declare(["till:open": [Role.subscriber.name]], api: "Till", version: "1.0")
        #expect(try await fixture.passwordToken(scopes: ["till:open"]).scope == "till:open")
        try await fixture.declare(["till:open": [Role.admin.name]], api: "Till", version: "2.0")
        #expect(try await fixture.passwordToken(scopes: ["till:open"]).scope == "default")
    }

    @Test func newDeclarationsAreSeenAfterThePublisherReportsAChange() async throws {
        let fixture = try await KeyManagerFixture()
        #expect(try await fixture.passwordToken(scopes: ["late:scope"]).scope == "default")
        try await fixture.declare(["late:scope": []], api: "Late")
        #expect(try await fixture.passwordToken(scopes: ["late:scope"]).scope == "late:scope")
    }
}
