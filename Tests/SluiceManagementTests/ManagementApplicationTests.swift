import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SluiceManagement
import Testing

@Suite(.timeLimit(.minutes(1))) struct ManagementApplicationTests {
    /// The whole app: a subscriber signs up, creates keys in the devportal, gets a token with WSO2 scopes from
    /// `/oauth2/token`, and uses it on the devportal; the token's scopes stop it at the publisher.
    @Test func tokensFromOurOwnTokenEndpointOpenTheRESTAPIs() async throws {
        let fixture = try await ManagementFixture()
        let app = buildManagementApplication(
            keyManager: fixture.keyManager,
            apiManager: fixture.services,
            configuration: ManagementConfiguration(port: 0)
        )
        try await app.test(.router) { raw in
            let client = Client(client: raw)
            let signup =
                #"{"username": "carol", "password": "carol-password-1", "email": "c@example.com", "firstName": "C", "lastName": "S"}"#
            #expect(try await client.post("\(Client.devportal)/self-signup", json: signup).status == .created)
            let applications = try await client.get("\(Client.devportal)/applications", as: "carol")
            let appID = try #require(try applications.list.first?["applicationId"] as? String)
            let keys = try await client.post(
                "\(Client.devportal)/applications/\(appID)/generate-keys",
                as: "carol",
                json: #"{"keyType": "PRODUCTION"}"#
            ).object
            let key = try #require(keys["consumerKey"] as? String)
            let secret = try #require(keys["consumerSecret"] as? String)

            let form =
                "grant_type=password&username=carol&password=carol-password-1&scope=apim%3Asubscribe+apim%3Aapp_manage+apim%3Aapi_create"
            let response = try await raw.execute(
                uri: "/oauth2/token",
                method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded",
                    .authorization: "Basic " + Data("\(key):\(secret)".utf8).base64EncodedString(),
                ],
                body: ByteBuffer(string: form)
            )
            #expect(response.status == .ok)
            let token = try #require(
                (try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["access_token"]
                    as? String
            )
            let mine = try await client.call(.get, "\(Client.devportal)/applications", token: token)
            #expect(mine.status == .ok)
            #expect(try mine.list.count == 1)
            // apim:api_create was asked for but not granted: a subscriber's roles do not carry it.
            let create = try await client.call(.post, "\(Client.publisher)/apis", token: token, json: Client.apiJSON())
            #expect(create.status == .forbidden)
            #expect(try create.object["code"] as? Int == 403)
        }
    }
}
