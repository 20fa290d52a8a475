import Foundation
import HTTPTypes
import NIOCore
import Testing

/// The publisher's read-only lookups: an API's resource paths, a subscription's subscriber, a policy by name.
@Suite(.timeLimit(.minutes(1))) struct PublisherLookupTests {
    @Test func resourcePathsAreTheOperationsInOrder() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            let answer = try await client.get("\(Client.publisher)/apis/\(apiID)/resource-paths", as: "chris")
            #expect(answer.status == .ok, "\(answer.text)")
            let paths = try answer.list
            #expect(paths.map { $0["id"] as? Int } == Array(1...paths.count).map { $0 })
            #expect(paths.map { "\($0["httpVerb"] as? String ?? "") \($0["resourcePath"] as? String ?? "")" } == ["GET /menu", "POST /order"])
            let page = try await client.get("\(Client.publisher)/apis/\(apiID)/resource-paths?limit=1&offset=1", as: "chris").object
            #expect((page["list"] as? [[String: Any]])?.first?["resourcePath"] as? String == "/order")
            #expect((page["pagination"] as? [String: Any])?["total"] as? Int == 2)
            #expect(try await client.get("\(Client.publisher)/apis/nope/resource-paths", as: "chris").status == .notFound)
            #expect(try await client.get("\(Client.publisher)/apis/\(apiID)/resource-paths", as: "alice").status == .forbidden)
        }
    }

    @Test func subscriberInfoNamesTheApplicationsOwnerWithTheClaimsKnownHere() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            let signup = #"{"username": "carol", "password": "carol-password-1", "email": "carol@example.com", "firstName": "Carol", "lastName": "Smith"}"#
            let signedUp = try await client.post("\(Client.devportal)/self-signup", json: signup)
            #expect(signedUp.status == .created, "\(signedUp.text)")
            let carol = "Basic " + Data("carol:carol-password-1".utf8).base64EncodedString()
            let applications = try await client.send(.get, "\(Client.devportal)/applications", headers: [.authorization: carol])
            let appID = try #require(try applications.list.first?["applicationId"] as? String)
            let subscribe = #"{"applicationId": "\#(appID)", "apiId": "\#(apiID)", "throttlingPolicy": "Gold"}"#
            let subscribed = try await client.send(
                .post, "\(Client.devportal)/subscriptions",
                headers: [.authorization: carol, .contentType: "application/json"], body: ByteBuffer(string: subscribe)
            )
            #expect(subscribed.status == .created, "\(subscribed.text)")
            let subscriptionID = try #require(try subscribed.object["subscriptionId"] as? String)

            let info = try await client.get("\(Client.publisher)/subscriptions/\(subscriptionID)/subscriber-info", as: "pat")
            #expect(info.status == .ok, "\(info.text)")
            #expect(try info.object["name"] as? String == "carol")
            let claims = try #require(try info.object["claims"] as? [[String: String]])
            #expect(claims.map { $0["URI"] } == ["http://wso2.org/claims/emailaddress", "http://wso2.org/claims/givenname", "http://wso2.org/claims/lastname"])
            #expect(claims.map { $0["value"] } == ["carol@example.com", "Carol", "Smith"])
            #expect(!info.text.contains("pbkdf2"))
            #expect(try await client.get("\(Client.publisher)/subscriptions/nope/subscriber-info", as: "pat").status == .notFound)
            #expect(try await client.get("\(Client.publisher)/subscriptions/\(subscriptionID)/subscriber-info", as: "alice").status == .forbidden)
        }
    }

    @Test func aPolicyIsFoundByLevelAndName() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let gold = try await client.get("\(Client.publisher)/throttling-policies/subscription/Gold", as: "chris")
            #expect(gold.status == .ok, "\(gold.text)")
            #expect(try gold.object["name"] as? String == "Gold")
            #expect(try await client.get("\(Client.publisher)/throttling-policies/subscription/Nope", as: "chris").status == .notFound)
            #expect(try await client.get("\(Client.publisher)/throttling-policies/application/Gold", as: "chris").status == .badRequest)
        }
    }
}
