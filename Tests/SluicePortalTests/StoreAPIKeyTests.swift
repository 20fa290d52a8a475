import Foundation
import SluiceJWT
import SluiceKeyManager
import SluiceModel
import SluicePortal
import SluiceTLS
import Testing

/// The Store's application page generates API keys (WSO2 4.x's "Generate API key" button), shown once.
@Suite struct StoreAPIKeyTests {
    static func signer() async throws -> TokenSigner {
        let pair = try SelfSignedCertificate(hostNames: [])
        let store = try KeyStore.fromPEM(certificatePEM: pair.certificatePEM, privateKeyPEM: pair.privateKeyPEM)
        guard case .rsa(let key) = store.keyMaterial else { throw CancellationError() }
        return try await TokenSigner(key: .rsa(key), certificateDER: store.leafDER)
    }

    @Test func theApplicationPageGeneratesAnAPIKeyThatValidates() async throws {
        let fixture = try await PortalFixture(signer: try await Self.signer())
        try await fixture.test { browser, portal in
            let apiID = try await browser.publishAPI(name: "PizzaShack")
            let application = try await fixture.keyManager.createApplication(name: "Keyed", owner: "alice")
            _ = try await fixture.keyManager.subscribe(applicationID: application.id, apiID: apiID, tier: "Gold")
            try await browser.signIn("alice")
            let csrf = try browser.csrf(portal)
            let page = try await browser.get("/store/applications/\(application.id)")
            #expect(page.html.contains(#"data-testid="generate-api-key-production""#))
            let form = "/store/applications/\(application.id)/keys/production/api-key"

            let generated = try await browser.post(
                form, [("validityPeriod", "3600"), ("permittedIP", ""), ("permittedReferer", "")], csrf: csrf)
            #expect(generated.status == .ok)
            let key = try #require(StorePortalTests.value(of: "api-key-production", in: generated.html))
            #expect(generated.html.contains("Valid for 3600 seconds."))
            let answer = fixture.keyManager.validationService.validate(
                KeyValidationRequest(
                    accessToken: key, apiContext: "/pizzashack/1.0.0", apiVersion: "1.0.0", resource: "/menu",
                    httpMethod: "GET", credential: .apiKey
                )
            )
            #expect(answer.authorized)
            #expect(answer.applicationID == application.id)
            // The key is shown once: the page does not show it again.
            #expect(try await browser.get("/store/applications/\(application.id)").html.contains(key) == false)

            // A malformed restriction is explained, and no key is shown.
            let refused = try await browser.post(form, [("permittedIP", "10.0.0.0/40")], csrf: csrf)
            #expect(refused.status == .seeOther)
            let explained = try await browser.get("/store/applications/\(application.id)")
            #expect(explained.html.contains("is not an IP address or a CIDR block"))
        }
    }
}
