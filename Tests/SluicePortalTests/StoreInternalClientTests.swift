import Foundation
import SluicePortal
import Testing

/// OAuth clients registered for tools (`sluice login`) are not developer-portal applications: the Store neither
/// lists them nor opens their pages.
@Suite struct StoreInternalClientTests {
    @Test func registeredClientsStayOutOfTheStore() async throws {
        let fixture = try await PortalFixture()
        let client = try await fixture.keyManager.createApplication(
            name: "sluice-cli-laptop", owner: "alice", description: "command line", isInternal: true)
        _ = try await fixture.keyManager.createApplication(name: "Shop", owner: "alice")
        try await fixture.test { browser, _ in
            let apiID = try await browser.publishAPI(name: "PizzaShack")
            try await browser.signIn("alice")
            let list = try await browser.get("/store/applications")
            #expect(list.html.contains("Shop"))
            #expect(!list.html.contains("sluice-cli-laptop"))
            let api = try await browser.get("/store/apis/\(apiID)")
            #expect(api.html.contains("Shop"))
            #expect(!api.html.contains("sluice-cli-laptop"))
            for page in ["", "/usage"] {
                #expect(try await browser.get("/store/applications/\(client.id)\(page)").status == .notFound)
            }
            // Nor can a form subscribe it.
            let csrf = try #require(api.csrf)
            _ = try await browser.post(
                "/store/apis/\(apiID)/subscriptions", [("applicationId", client.id), ("tier", "Gold")], csrf: csrf)
            #expect(try await fixture.keyManager.subscriptions(applicationID: client.id).isEmpty)
        }
    }
}
