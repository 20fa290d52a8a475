import Foundation
import SluiceKeyManager
import SluiceManagement
import Testing

@Suite(.timeLimit(.minutes(1))) struct ErrorAndDocumentTests {
    @Test func unknownResourcesAnswerWithTheJSONError() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let missing = try await client.get("\(Client.publisher)/nothing-here", as: "chris")
            #expect(missing.status == .notFound)
            #expect(try missing.object["code"] as? Int == 404)
            #expect(missing.errorDescription.contains("/nothing-here"))
            let wrongMethod = try await client.call(.patch, "\(Client.publisher)/apis", as: "chris")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(try wrongMethod.object["code"] as? Int == 405)
            #expect(wrongMethod.headers[.allow] == "GET, POST")
        }
    }

    @Test func malformedOrWrongCredentialsAnswer401() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { raw in
            for header in ["Basic !!!", "Basic " + Data("chris:wrong".utf8).base64EncodedString(), "Digest x=y", "Bearer"] {
                let response = try await raw.client.execute(
                    uri: "\(Client.publisher)/apis",
                    method: .get,
                    headers: [.authorization: header]
                )
                #expect(response.status == .unauthorized, "\(header)")
            }
            // A refresh token is not an access token.
            let application = try await fixture.keyManager.createApplication(name: "Tokens", owner: "chris")
            let keys = try await fixture.keyManager.generateKeys(applicationID: application.id, keyType: .production)
            let issued = try await fixture.keyManager.token(
                for: TokenRequest(
                    grant: .password(username: "chris", password: ManagementFixture.password("chris")),
                    scopes: ["apim:api_view"]
                ),
                credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
            )
            let refresh = try #require(issued.refreshToken)
            #expect(try await raw.call(.get, "\(Client.publisher)/apis", token: refresh).status == .unauthorized)
            #expect(try await raw.call(.get, "\(Client.publisher)/apis", token: issued.accessToken).status == .ok)
        }
    }

    @Test func providersMustBeUsers() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let ghost = Client.apiJSON(extra: ", \"provider\": \"ghost\"")
            let answer = try await client.post("\(Client.publisher)/apis", as: "admin", json: ghost)
            #expect(answer.status == .badRequest)
            #expect(answer.errorDescription.contains("ghost"))
        }
    }

    @Test func documentsAreEditedAndDeletedByDocumentManagers() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            let documents = "\(Client.publisher)/apis/\(apiID)/documents"
            let created = try await client.post(
                documents,
                as: "chris",
                json: #"{"name": "Guide", "type": "HOWTO", "sourceType": "INLINE", "inlineContent": "v1"}"#
            )
            let id = try #require(try created.object["documentId"] as? String)
            let link = #"{"name": "Guide", "type": "HOWTO", "sourceType": "URL", "sourceUrl": "https://docs.example.com/guide"}"#
            #expect(try await client.put("\(documents)/\(id)", as: "alice", json: link).status == .forbidden)
            let updated = try await client.put("\(documents)/\(id)", as: "pat", json: link)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try updated.object["inlineContent"] == nil)
            let content = try await client.get("\(Client.devportal)/apis/\(apiID)/documents/\(id)/content")
            #expect(content.status == .seeOther)
            #expect(content.headers[.location] == "https://docs.example.com/guide")
            // Documents belong to their API: another API's id does not reach them.
            let other = try await client.createAPI(Client.apiJSON(name: "Other", context: "/other"))
            #expect(try await client.get("\(Client.publisher)/apis/\(other)/documents/\(id)", as: "chris").status == .notFound)
            #expect(try await client.delete("\(Client.publisher)/apis/\(other)/documents/\(id)", as: "chris").status == .notFound)
            #expect(try await client.delete("\(documents)/\(id)", as: "alice").status == .forbidden)
            #expect(try await client.delete("\(documents)/\(id)", as: "chris").status == .ok)
            #expect(try await client.get(documents, as: "chris").list.isEmpty)
        }
    }
}
