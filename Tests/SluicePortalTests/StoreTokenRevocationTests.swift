import Foundation
import SluiceKeyManager
import SluiceModel
import SluicePortal
import Testing

/// The Store's token form can revoke the application's current tokens when it issues a new one (WSO2's "revoke
/// the previous token"): the old tokens stop validating at once, the new one and the other key type's keep
/// working, and a refused request revokes nothing.
@Suite struct StoreTokenRevocationTests {
    @Test func generatingATokenCanRevokeTheApplicationsCurrentTokens() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            let apiID = try await browser.publishAPI(name: "PizzaShack")
            let application = try await fixture.keyManager.createApplication(name: "Mobile", owner: "alice")
            _ = try await fixture.keyManager.subscribe(applicationID: application.id, apiID: apiID, tier: "Gold")
            let production = try await fixture.keyManager.generateKeys(applicationID: application.id, keyType: .production)
            let sandbox = try await fixture.keyManager.generateKeys(applicationID: application.id, keyType: .sandbox)
            func issue(_ keys: GeneratedKeys) async throws -> String {
                try await fixture.keyManager.token(
                    for: TokenRequest(grant: .clientCredentials),
                    credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
                ).accessToken
            }
            func validates(_ token: String) -> Bool {
                fixture.keyManager.validationService.validate(
                    KeyValidationRequest(
                        accessToken: token,
                        apiContext: "/pizzashack/1.0.0",
                        apiVersion: "1.0.0",
                        resource: "/menu",
                        httpMethod: "GET"
                    )
                ).authorized
            }
            let first = try await issue(production)
            let sandboxToken = try await issue(sandbox)
            #expect(validates(first))

            try await browser.signIn("alice")
            let csrf = try browser.csrf(portal)
            let page = try await browser.get("/store/applications/\(application.id)")
            #expect(page.html.contains(#"name="revokePrevious""#))
            let form = "/store/applications/\(application.id)/keys/production/token"

            // Without the box: a second token, the first keeps working.
            let kept = try await browser.post(form, [("consumerSecret", production.consumerSecret)], csrf: csrf)
            let second = try #require(StorePortalTests.value(of: "access-token", in: kept.html))
            #expect(validates(first) && validates(second))

            // A wrong secret with the box ticked issues nothing and revokes nothing.
            let refused = try await browser.post(
                form, [("consumerSecret", "not-the-secret"), ("revokePrevious", "true")], csrf: csrf)
            #expect(refused.status == .seeOther)
            #expect(validates(first) && validates(second))

            // Without the session's CSRF token nothing happens either.
            let forged = try await browser.post(
                form, [("consumerSecret", production.consumerSecret), ("revokePrevious", "true")], csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(validates(first) && validates(second))

            // With the box: the new token works, the previous ones no longer validate nor introspect as active.
            let revoking = try await browser.post(
                form, [("consumerSecret", production.consumerSecret), ("revokePrevious", "true")], csrf: csrf)
            #expect(revoking.status == .ok)
            let third = try #require(StorePortalTests.value(of: "access-token", in: revoking.html))
            #expect(validates(third))
            #expect(!validates(first))
            #expect(!validates(second))
            #expect(try await fixture.keyManager.introspect(token: first, tokenTypeHint: nil).active == false)
            #expect(try await fixture.keyManager.introspect(token: third, tokenTypeHint: nil).active)
            // The sandbox key's token belongs to another client: untouched.
            #expect(try await fixture.keyManager.introspect(token: sandboxToken, tokenTypeHint: nil).active)
        }
    }
}
