import Foundation
import SluiceControlPlane
import SluiceModel
import Testing

/// The Store's try-it console: what leaves for the gateway (the API's own URL, the user's headers, a token of the
/// chosen subscribed application) and what is refused before anything is sent.
@Suite(.timeLimit(.minutes(1))) struct TryItServiceTests {
    static let gateway = "http://127.0.0.1:8280"

    /// A published PizzaShack (`GET /menu`, `POST /order`), and alice's application subscribed to it with keys.
    private func scene(_ fixture: ManagementFixture, _ client: Client) async throws -> (apiID: String, app: String, other: String, alice: Principal) {
        let apiID = try await client.publishedAPI()
        let alice = try #require(try await SubscriberService(services: fixture.services).principal(username: "alice"))
        let subscribers = SubscriberService(services: fixture.services)
        let app = try await subscribers.createApplication(name: "Tryer", tier: "Unlimited", description: nil, principal: alice)
        let other = try await subscribers.createApplication(name: "Other", tier: "Unlimited", description: nil, principal: alice)
        _ = try await subscribers.subscribe(applicationID: app.id, apiID: apiID, tier: "Gold", principal: alice)
        _ = try await subscribers.generateKeys(applicationID: app.id, keyType: .production, principal: alice)
        return (apiID, app.id, other.id, alice)
    }

    @Test func theCallGoesToTheAPIWithTheApplicationsToken() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let (apiID, app, _, alice) = try await scene(fixture, client)
            let service = TryItService(services: fixture.services)
            let form = TryItService.Form(
                resource: "POST /order",
                path: "/order",
                query: "size=large&note=extra cheese",
                headers: "Content-Type: application/json\nX-Trace: 7",
                body: #"{"pizza": "Margherita"}"#,
                applicationID: app
            )
            let call = try await service.call(apiID: apiID, form: form, gatewayBaseURL: Self.gateway, principal: alice)
            #expect(call.method == "POST")
            #expect(call.url == "http://127.0.0.1:8280/pizzashack/1.0.0/order?size=large&note=extra%20cheese")
            #expect(call.headers.prefix(2).map(\.name) == ["Content-Type", "X-Trace"])
            let bearer = try #require(call.headers.last)
            #expect(bearer.name == "Authorization" && bearer.value.hasPrefix("Bearer "))
            #expect(call.body == Data(#"{"pizza": "Margherita"}"#.utf8))
            // The token is one of the application's: the key manager knows it.
            let token = String(bearer.value.dropFirst("Bearer ".count))
            #expect(try await fixture.keyManager.introspect(token: token, tokenTypeHint: nil).active)
        }
    }

    @Test func whatCannotBeSentIsRefusedFirst() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let (apiID, app, other, alice) = try await scene(fixture, client)
            let service = TryItService(services: fixture.services)
            func refusal(_ form: TryItService.Form) async -> String {
                do {
                    _ = try await service.call(apiID: apiID, form: form, gatewayBaseURL: Self.gateway, principal: alice)
                    return "sent"
                } catch let error as ManagementError {
                    return error.detail
                } catch {
                    return "\(error)"
                }
            }
            #expect(await refusal(.init(resource: "DELETE /menu", path: "/menu", applicationID: app)) == "Choose one of the API's resources")
            #expect(await refusal(.init(resource: "GET /menu", path: "/menu/../admin", applicationID: app)).contains("does not match"))
            #expect(await refusal(.init(resource: "GET /menu", path: "/menu", headers: "Authorization: Basic x", applicationID: app))
                .contains("set by the console"))
            #expect(await refusal(.init(resource: "GET /menu", path: "/menu", headers: "no colon", applicationID: app))
                .contains("Name: value"))
            #expect(await refusal(.init(resource: "GET /menu", path: "/menu", applicationID: other)) == "Choose an application subscribed to this API")
            #expect(await refusal(.init(resource: "GET /menu", path: "/menu", applicationID: app, keyType: .sandbox))
                == "The application has no sandbox keys yet: generate them on its page")
            let bob = try #require(try await SubscriberService(services: fixture.services).principal(username: "bob"))
            await #expect(throws: ManagementError.self) {
                _ = try await service.call(apiID: apiID, form: .init(resource: "GET /menu", path: "/menu", applicationID: app), gatewayBaseURL: Self.gateway, principal: bob)
            }
        }
    }

    @Test func pathsMatchTheirResourceWithParametersFilled() {
        #expect(TryItService.path("/order/42", matches: "/order/{id}"))
        #expect(!TryItService.path("/order/", matches: "/order/{id}"))
        #expect(!TryItService.path("/order/{id}", matches: "/order/{id}"))
        #expect(!TryItService.path("/order/42/x", matches: "/order/{id}"))
        #expect(TryItService.path("/files/a/b.txt", matches: "/files/*"))
        #expect(!TryItService.path("/files/../etc", matches: "/files/*"))
        #expect(!TryItService.path("/menu?x=1", matches: "/menu"))
        #expect(!TryItService.path("menu", matches: "/menu"))
    }
}
