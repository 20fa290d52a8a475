import Foundation
import SluiceModel
import SluiceNode
import SluiceTesting
import Testing

/// An API product through a real gateway: resources of two APIs under the product's context, a subscription to the
/// product, a token that works there (and not on the APIs themselves), and the product's tier throttling it.
@Suite(.timeLimit(.minutes(2)))
struct APIProductLiveTests {
    typealias Live = RevisionDeploymentLiveTests

    @Test func aSubscribedTokenCallsBothAPIsThroughTheProductWithinItsTier() async throws {
        let pizza = try await TestHTTPBackend.start(name: "pizza")
        defer { pizza.shutdownInBackground() }
        let drinks = try await TestHTTPBackend.start(name: "drinks")
        defer { drinks.shutdownInBackground() }
        try await Live.withNode { gatewayPort, management in
            let publisher = management + "/api/am/publisher/v4"
            let policy = try await Live.send(
                .POST, management + "/api/am/admin/v4/throttling/policies/subscription",
                body: Data(
                    #"{"policyName": "TwoPerMinute", "defaultLimit": {"type": "REQUESTCOUNTLIMIT", "requestCount": {"timeUnit": "min", "unitTime": 1, "requestCount": 2}}}"#.utf8
                )
            )
            #expect(policy.status == 201, "\(String(decoding: policy.body, as: UTF8.self))")
            let pizzaID = try await Self.publishedAPI("LivePizza", "/live-pizza", "/menu", pizza.baseURL + "/pizza", publisher)
            let drinksID = try await Self.publishedAPI("LiveDrinks", "/live-drinks", "/drinks", drinks.baseURL + "/drinks", publisher)

            let product = try await Live.send(
                .POST, publisher + "/api-products",
                body: Data(
                    """
                    {"name": "LiveBundle", "context": "/live-bundle", "version": "1.0.0", "policies": ["TwoPerMinute"],
                     "apis": [{"apiId": "\(pizzaID)", "operations": [{"target": "/menu", "verb": "GET"}]},
                              {"apiId": "\(drinksID)", "operations": [{"target": "/drinks", "verb": "GET"}]}]}
                    """.utf8
                )
            )
            #expect(product.status == 201, "\(String(decoding: product.body, as: UTF8.self))")
            let productID = try #require(try Live.object(product.body)["id"] as? String)
            let published = try await Live.send(
                .POST, publisher + "/api-products/change-lifecycle?apiProductId=\(productID)&action=Publish"
            )
            #expect(published.status == 200, "\(String(decoding: published.body, as: UTF8.self))")

            let token = try await Self.subscribedToken(to: productID, tier: "TwoPerMinute", management)
            let bearer = ["Authorization": "Bearer \(token)"]
            let bundle = "http://127.0.0.1:\(gatewayPort)/live-bundle/1.0.0"
            #expect(try await Self.call(bundle + "/menu", headers: bearer) == 200)
            #expect(pizza.recordedRequests.last?.uri == "/pizza/menu")
            #expect(try await Self.call(bundle + "/drinks", headers: bearer) == 200)
            #expect(drinks.recordedRequests.last?.uri == "/drinks/drinks")
            // The subscription is to the product: the APIs themselves refuse the token.
            let direct = try await Self.call("http://127.0.0.1:\(gatewayPort)/live-pizza/1.0.0/menu", headers: bearer)
            #expect(direct == 403, "a token without a subscription to the API")
            // Two per minute: within a few calls one lands in a window that already counted two.
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await Self.call(bundle + "/menu", headers: bearer)) }
            #expect(statuses.contains(429), "\(statuses)")
        }
    }

    static func publishedAPI(_ name: String, _ context: String, _ target: String, _ endpoint: String, _ publisher: String)
        async throws -> String
    {
        let created = try await Live.send(
            .POST, publisher + "/apis",
            body: Data(
                """
                {"name": "\(name)", "context": "\(context)", "version": "1.0.0", "policies": ["Unlimited"],
                 "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "\(endpoint)"}},
                 "operations": [{"target": "\(target)", "verb": "GET", "authType": "Application & Application User"}]}
                """.utf8
            )
        )
        #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
        let id = try #require(try Live.object(created.body)["id"] as? String)
        #expect(try await Live.send(.POST, publisher + "/apis/change-lifecycle?apiId=\(id)&action=Publish").status == 200)
        return id
    }

    /// An application subscribed to `apiID` at `tier`, and a client-credentials token of its production keys.
    static func subscribedToken(to apiID: String, tier: String, _ management: String) async throws -> String {
        let devportal = management + "/api/am/devportal/v3"
        let app = try await Live.send(
            .POST, devportal + "/applications", body: Data(#"{"name": "LiveBuyer", "throttlingPolicy": "Unlimited"}"#.utf8)
        )
        let appID = try #require(try Live.object(app.body)["applicationId"] as? String)
        let subscription = try await Live.send(
            .POST, devportal + "/subscriptions",
            body: Data(#"{"applicationId": "\#(appID)", "apiId": "\#(apiID)", "throttlingPolicy": "\#(tier)"}"#.utf8)
        )
        #expect(subscription.status == 201, "\(String(decoding: subscription.body, as: UTF8.self))")
        let keys = try await Live.send(
            .POST, devportal + "/applications/\(appID)/generate-keys",
            body: Data(#"{"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"]}"#.utf8)
        )
        return try #require((try Live.object(keys.body)["token"] as? [String: Any])?["accessToken"] as? String)
    }

    static func call(_ url: String, headers: [String: String]) async throws -> Int {
        try await Live.send(.GET, url, authorized: false, headers: headers).status
    }
}
