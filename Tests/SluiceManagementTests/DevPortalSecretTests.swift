import Foundation
import SluiceKeyManager
import SluiceModel
import Testing

/// WSO2 4.x's further consumer secrets (`generate-secret`, `secrets`, `revoke-secret`): each shown once, listed
/// without its value, accepted by the token endpoint beside the key's own until it expires (the fixture's clock) or is
/// revoked (at once, also for a client the endpoint holds in memory).
@Suite(.timeLimit(.minutes(1))) struct DevPortalSecretTests {
    /// alice's application with production keys: its id, mapping id, consumer key and secret.
    private func keys(_ client: Client) async throws -> (id: String, mapping: String, key: String, secret: String) {
        let application = try await client.post(
            "\(Client.devportal)/applications",
            as: "alice",
            json: #"{"name": "SecretApp", "throttlingPolicy": "Unlimited"}"#
        )
        let id = try #require(try application.object["applicationId"] as? String)
        let keys = try await client.post(
            "\(Client.devportal)/applications/\(id)/generate-keys",
            as: "alice",
            json: #"{"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials"]}"#
        )
        return (
            id,
            try #require(try keys.object["keyMappingId"] as? String),
            try #require(try keys.object["consumerKey"] as? String),
            try #require(try keys.object["consumerSecret"] as? String)
        )
    }

    private func accepts(_ fixture: ManagementFixture, _ key: String, _ secret: String) async -> Bool {
        (try? await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials),
            credentials: ClientCredentials(consumerKey: key, consumerSecret: secret)
        )) != nil
    }

    @Test func aFurtherSecretWorksUntilItExpiresOrIsRevoked() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let (id, mapping, key, primary) = try await keys(client)
            let base = "\(Client.devportal)/applications/\(id)/oauth-keys/\(mapping)"
            // The endpoint holds the client in memory before the new secrets exist.
            #expect(await accepts(fixture, key, primary))

            let made = try await client.post(
                "\(base)/generate-secret",
                as: "alice",
                json: #"{"additionalProperties": {"description": "rotation", "expiresIn": 3600}}"#
            )
            #expect(made.status == .created, "\(made.text)")
            #expect(made.headers[.location] == "\(base)/secrets")
            let first = try #require(try made.object["secretValue"] as? String)
            let firstID = try #require(try made.object["secretId"] as? String)
            let properties = try #require(try made.object["additionalProperties"] as? [String: Any])
            #expect(properties["description"] as? String == "rotation")
            #expect(properties["expiresAt"] as? Int == 1_800_000_000 + 3_600)
            // A second later (the list is oldest first).
            fixture.clock.advance(by: 1)
            let lasting = try await client.post(
                "\(base)/generate-secret", as: "alice", json: #"{"additionalProperties": {"expiresIn": "86400"}}"#
            )
            let second = try #require(try lasting.object["secretValue"] as? String)
            let secondID = try #require(try lasting.object["secretId"] as? String)

            // All three work; a wrong one does not.
            #expect(await accepts(fixture, key, primary))
            #expect(await accepts(fixture, key, first))
            #expect(await accepts(fixture, key, second))
            #expect(await !accepts(fixture, key, first + "x"))

            // Listed without values, the keys' own first.
            let list = try await client.get("\(base)/secrets", as: "alice")
            #expect(list.status == .ok)
            #expect(try list.list.compactMap { $0["secretId"] as? String } == ["primary", firstID, secondID])
            #expect(try list.list.allSatisfy { $0["secretValue"] == nil })
            #expect(!list.text.contains(first) && !list.text.contains(second))

            // An hour later the first has expired.
            fixture.clock.advance(by: 3_600)
            #expect(await !accepts(fixture, key, first))
            #expect(await accepts(fixture, key, second))

            // Revoked: refused at once, though the endpoint held the client.
            let revoked = try await client.post("\(base)/revoke-secret", as: "alice", json: #"{"secretId": "\#(secondID)"}"#)
            #expect(revoked.status == .noContent)
            #expect(await !accepts(fixture, key, second))
            #expect(await accepts(fixture, key, primary))
            let again = try await client.post("\(base)/revoke-secret", as: "alice", json: #"{"secretId": "\#(secondID)"}"#)
            #expect(again.status == .notFound)
            let own = try await client.post("\(base)/revoke-secret", as: "alice", json: #"{"secretId": "primary"}"#)
            #expect(own.status == .badRequest)
            #expect(own.errorDescription.contains("regenerate-secret"))
        }
    }

    @Test func othersAndBadRequestsAreRefused() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let (id, mapping, _, _) = try await keys(client)
            let base = "\(Client.devportal)/applications/\(id)/oauth-keys/\(mapping)"
            let body = #"{"additionalProperties": {"description": "x"}}"#
            #expect(try await client.post("\(base)/generate-secret", as: "bob", json: body).status == .notFound)
            #expect(try await client.get("\(base)/secrets", as: "bob").status == .notFound)
            #expect(try await client.post("\(base)/generate-secret", as: "nobody", json: body).status == .forbidden)
            let unknownMapping = "\(Client.devportal)/applications/\(id)/oauth-keys/\(UUID().uuidString)/secrets"
            #expect(try await client.get(unknownMapping, as: "alice").status == .notFound)
            for expiry in ["0", "-5", "999999999999"] {
                let answer = try await client.post(
                    "\(base)/generate-secret",
                    as: "alice",
                    json: #"{"additionalProperties": {"expiresIn": \#(expiry)}}"#
                )
                #expect(answer.status == .badRequest, "\(expiry)")
            }
            let typo = try await client.post(
                "\(base)/generate-secret", as: "alice", json: #"{"additionalProperties": {"expiresin": 5}}"#
            )
            #expect(typo.status == .badRequest)
            #expect(typo.errorDescription.contains("expiresin"))
            for _ in 0..<KeyManager.maximumConsumerSecrets {
                #expect(try await client.post("\(base)/generate-secret", as: "alice", json: body).status == .created)
            }
            let full = try await client.post("\(base)/generate-secret", as: "alice", json: body)
            #expect(full.status == .conflict)
            #expect(full.errorDescription.contains("revoke one first"))
            // An administrator sees them too (object-level rule of the devportal).
            #expect(try await client.get("\(base)/secrets", as: "admin").list.count == 1 + KeyManager.maximumConsumerSecrets)
        }
    }
}
