import Foundation
import SluiceControlPlane
import SluiceKeyManager
import SluiceModel
import Synchronization
import Testing

/// WSO2's devportal `GET /applications/export` and `POST /applications/import` between two servers: the application
/// arrives with its subscriptions and (with keys) the same client credentials, which still work; the secret never
/// travels in clear; owners, conflicts, missing APIs and bad archives are handled as WSO2 does.
@Suite(.timeLimit(.minutes(1))) struct ApplicationImportExportTests {
    static let export = "\(Client.devportal)/applications/export"
    static let importURI = "\(Client.devportal)/applications/import"

    /// alice's PizzaApp, subscribed to a published PizzaShack with Gold, with production keys; returns the keys.
    private func sourceApplication(_ client: Client) async throws -> (consumerKey: String, consumerSecret: String) {
        let apiID = try await client.publishedAPI()
        let application = try await client.post(
            "\(Client.devportal)/applications",
            as: "alice",
            json: #"{"name": "PizzaApp", "throttlingPolicy": "Unlimited", "description": "Orders"}"#
        )
        #expect(application.status == .created, "\(application.text)")
        let applicationID = try #require(try application.object["applicationId"] as? String)
        let subscription = try await client.post(
            "\(Client.devportal)/subscriptions",
            as: "alice",
            json: #"{"applicationId": "\#(applicationID)", "apiId": "\#(apiID)", "throttlingPolicy": "Gold"}"#
        )
        #expect(subscription.status == .created, "\(subscription.text)")
        let keys = try await client.post(
            "\(Client.devportal)/applications/\(applicationID)/generate-keys",
            as: "alice",
            json: #"{"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials", "password"]}"#
        )
        #expect(keys.status == .ok, "\(keys.text)")
        return (
            try #require(try keys.object["consumerKey"] as? String),
            try #require(try keys.object["consumerSecret"] as? String)
        )
    }

    private func upload(_ client: Client, _ archive: Data, query: String = "", as user: String = "alice") async throws
        -> Answer
    {
        try await client.upload("\(Self.importURI)\(query)", as: user, parts: [("file", "app.zip", archive)])
    }

    @Test func anExportedApplicationArrivesWithItsSubscriptionsAndWorkingKeys() async throws {
        let source = try await ManagementFixture()
        let exported = Mutex<(archive: Data, key: String, secret: String)>((Data(), "", ""))
        try await source.test { client in
            let (key, secret) = try await sourceApplication(client)
            let answer = try await client.get("\(Self.export)?appName=PizzaApp&appOwner=alice&withKeys=true", as: "alice")
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.headers[.contentType] == "application/zip")
            #expect(answer.headers[.contentDisposition] == #"attachment; filename="alice_PizzaApp.zip""#)
            exported.withLock { $0 = (answer.data, key, secret) }
            // Another user's application is not found; the export scope is required.
            #expect(try await client.get("\(Self.export)?appName=PizzaApp&appOwner=alice", as: "bob").status == .notFound)
            #expect(try await client.get("\(Self.export)?appName=PizzaApp&appOwner=alice", as: "chris").status == .forbidden)
            #expect(try await client.get("\(Self.export)?appName=PizzaApp", as: "alice").status == .badRequest)
        }
        let (archive, key, secret) = exported.withLock { $0 }
        let files = try APIProjectArchive.files(inZip: archive)
        let yaml = try #require(files["alice-PizzaApp/application.yaml"].map { String(decoding: $0, as: UTF8.self) })
        #expect(yaml.contains("type: application"))
        #expect(yaml.contains(key))
        #expect(yaml.contains("consumerSecretHash"))
        #expect(!yaml.contains(secret))
        #expect(!yaml.contains(Data(secret.utf8).base64EncodedString()))
        #expect(yaml.contains("apiName: PizzaShack"))

        let target = try await ManagementFixture()
        try await target.test { client in
            _ = try await client.publishedAPI()
            let imported = try await upload(client, archive)
            #expect(imported.status == .ok, "\(imported.text)")
            #expect(try imported.object["name"] as? String == "PizzaApp")
            #expect(try imported.object["owner"] as? String == "alice")
            #expect(try imported.object["subscriptionCount"] as? Int == 1)
            let applicationID = try #require(try imported.object["applicationId"] as? String)
            let subscriptions = try await client.get("\(Client.devportal)/subscriptions?applicationId=\(applicationID)", as: "alice")
            #expect(try subscriptions.list.first?["throttlingPolicy"] as? String == "Gold")
            let keys = try await client.get("\(Client.devportal)/applications/\(applicationID)/keys/PRODUCTION", as: "alice")
            #expect(try keys.object["consumerKey"] as? String == key)
            #expect(try keys.object["supportedGrantTypes"] as? [String] == ["client_credentials", "password"])
        }
        // The client's credentials from the first server work on the second.
        let token = try await target.keyManager.token(
            for: TokenRequest(grant: .clientCredentials),
            credentials: ClientCredentials(consumerKey: key, consumerSecret: secret)
        )
        #expect(!token.accessToken.isEmpty)
        await #expect(throws: OAuth2Error.self) {
            try await target.keyManager.token(
                for: TokenRequest(grant: .clientCredentials),
                credentials: ClientCredentials(consumerKey: key, consumerSecret: secret + "x")
            )
        }

        try await target.test { client in
            // Again: 409 unless update; update keeps the application and its keys.
            let again = try await upload(client, archive)
            #expect(again.status == .conflict)
            #expect(again.errorDescription.contains("update=true"))
            #expect(try await upload(client, archive, query: "?update=true").status == .ok)
            // Someone else's name needs an administrator.
            #expect(try await upload(client, archive, query: "?appOwner=bob").status == .forbidden)
            // The admin imports for bob: the consumer key is alice's application's already.
            let taken = try await upload(client, archive, query: "?appOwner=bob", as: "admin")
            #expect(taken.status == .conflict, "\(taken.text)")
            #expect(taken.errorDescription.contains("in use"))
            // All or nothing: bob has no half-imported application.
            #expect(try await client.get("\(Client.devportal)/applications", as: "bob").list.isEmpty)
            let keyless = try await upload(client, archive, query: "?appOwner=bob&skipApplicationKeys=true", as: "admin")
            #expect(keyless.status == .ok, "\(keyless.text)")
            #expect(try keyless.object["owner"] as? String == "bob")
            #expect(try await upload(client, archive, query: "?appOwner=nobody-here", as: "admin").status == .notFound)
        }
    }

    @Test func missingAPIsAreSkippedWithMultiStatusAndWSO2SecretsAreHashed() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            _ = try await client.publishedAPI()
            // A WSO2-written archive: JSON, the secret base64-encoded, an API this server lacks, a tier PizzaShack
            // does not offer.
            let secret = "wso2-secret-0123456789"
            let json = """
                {"type": "application", "version": "v4.2.0", "data": {
                  "applicationInfo": {"name": "Migrated", "throttlingPolicy": "Unlimited", "owner": "carol",
                    "tokenType": "JWT", "groups": [], "attributes": {}, "subscriptionScopes": [],
                    "keys": [{"keyType": "SANDBOX", "consumerKey": "wso2-key-1",
                              "consumerSecret": "\(Data(secret.utf8).base64EncodedString())", "keyState": "APPROVED",
                              "keyManager": "Resident Key Manager", "supportedGrantTypes": ["client_credentials"],
                              "callbackUrl": "", "additionalProperties": {}}]},
                  "subscribedAPIs": [
                    {"apiId": {"providerName": "admin", "apiName": "Elsewhere", "version": "2.0"},
                     "subscriber": {"name": "carol"}, "throttlingPolicy": "Gold"},
                    {"apiId": {"providerName": "admin", "apiName": "PizzaShack", "version": "1.0.0"},
                     "subscriber": {"name": "carol"}, "throttlingPolicy": "Bronze"}]}}
                """
            let archive = try APIProjectArchive.zip(["application.json": Data(json.utf8)], rootFolder: "carol-Migrated")
            let partial = try await upload(client, archive)
            #expect(partial.status.code == 207, "\(partial.text)")
            #expect(try partial.list.compactMap { $0["name"] as? String } == ["Elsewhere", "PizzaShack"])
            let applications = try await client.get("\(Client.devportal)/applications", as: "alice")
            #expect(try applications.list.compactMap { $0["name"] as? String } == ["Migrated"])
            let applicationID = try #require(try applications.list.first?["applicationId"] as? String)

            // ignoreTier subscribes with a tier the API offers.
            let retried = try await upload(client, archive, query: "?update=true&ignoreTier=true")
            #expect(retried.status.code == 207)
            #expect(try retried.list.compactMap { $0["name"] as? String } == ["Elsewhere"])
            let subscriptions = try await client.get("\(Client.devportal)/subscriptions?applicationId=\(applicationID)", as: "alice")
            #expect(try subscriptions.list.first?["throttlingPolicy"] as? String == "Gold")

            // skipSubscriptions: nothing skipped, so 200.
            let other = json.replacingOccurrences(of: "\"Migrated\"", with: "\"Migrated2\"")
                .replacingOccurrences(of: "wso2-key-1", with: "wso2-key-2")
            let second = try await upload(
                client,
                try APIProjectArchive.zip(["application.json": Data(other.utf8)], rootFolder: "carol-Migrated2"),
                query: "?skipSubscriptions=true"
            )
            #expect(second.status == .ok, "\(second.text)")
            #expect(try second.object["subscriptionCount"] as? Int == 0)

            #expect(try await upload(client, Data("PK\u{3}\u{4}broken".utf8)).status == .badRequest)
            let empty = try await upload(client, try APIProjectArchive.zip(["x.txt": Data("x".utf8)], rootFolder: "x"))
            #expect(empty.status == .badRequest)
            #expect(empty.errorDescription.contains("no application.yaml"))
            #expect(try await upload(client, archive, query: "?update=maybe").status == .badRequest)
        }
        // The WSO2 secret was hashed on the way in: the client authenticates with it.
        let token = try await fixture.keyManager.token(
            for: TokenRequest(grant: .clientCredentials),
            credentials: ClientCredentials(consumerKey: "wso2-key-1", consumerSecret: "wso2-secret-0123456789")
        )
        #expect(!token.accessToken.isEmpty)
    }
}
