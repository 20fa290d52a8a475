import Foundation
import SluiceKeyManager
import SluiceManagement
import SluiceModel
import SluiceStorage
import Testing

@Suite(.timeLimit(.minutes(1))) struct DevPortalTests {
    static let apis = "\(Client.devportal)/apis"
    static let applications = "\(Client.devportal)/applications"
    static let subscriptions = "\(Client.devportal)/subscriptions"

    @Test func selfSignupCreatesASubscriberWithADefaultApplication() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let body =
                #"{"username": "carol", "password": "carol-password-1", "email": "carol@example.com", "firstName": "Carol", "lastName": "Smith"}"#
            let answer = try await client.post("\(Client.devportal)/self-signup", json: body)
            #expect(answer.status == .created, "\(answer.text)")
            #expect(!answer.text.contains("carol-password-1"))
            let user = try #require(try await fixture.storage.user(named: "carol"))
            #expect(user.roles == [Role.subscriber.name])
            #expect(user.email == "carol@example.com")
            #expect(user.firstName == "Carol")
            #expect(user.lastName == "Smith")
            let shown = try await client.get("\(Client.admin)/users/carol", as: "admin").object
            #expect(shown["firstName"] as? String == "Carol")
            #expect(shown["lastName"] as? String == "Smith")
            #expect(shown["email"] as? String == "carol@example.com")
            let applications = try await client.get(Self.applications, as: "carol")
            #expect(try applications.list.map { $0["name"] as? String } == ["DefaultApplication"])

            #expect(try await client.post("\(Client.devportal)/self-signup", json: body).status == .conflict)
            let weak = body.replacingOccurrences(of: "carol-password-1", with: "short").replacingOccurrences(
                of: "carol",
                with: "dave"
            )
            #expect(try await client.post("\(Client.devportal)/self-signup", json: weak).status == .badRequest)
            let extra = body.replacingOccurrences(of: "\"lastName\"", with: "\"role\": \"admin\", \"lastName\"")
            let refused = try await client.post("\(Client.devportal)/self-signup", json: extra)
            #expect(refused.status == .badRequest)
            #expect(refused.errorDescription.contains("role"))
        }
    }

    @Test func restrictedAPIsAreShownToTheirVisibleRolesOnly() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let restricted = try await client.publishedAPI(
                Client.apiJSON(
                    name: "Internal", context: "/internal",
                    extra: #", "visibility": "RESTRICTED", "visibleRoles": ["Internal/publisher"]"#
                )
            )
            for (user, sees) in [("pat", true), ("chris", true), ("admin", true), ("alice", false), ("nobody", false)] {
                let listed = try await client.get(Self.apis, as: user)
                #expect(try listed.list.contains { $0["id"] as? String == restricted } == sees, "\(user)")
                let detail = try await client.get("\(Self.apis)/\(restricted)", as: user)
                #expect(detail.status == (sees ? .ok : .notFound), "\(user)")
            }
            #expect(try await client.get("\(Self.apis)/\(restricted)").status == .notFound)
            #expect(try await client.get(Self.apis).list.isEmpty)

            let unknownRole = try await client.post(
                "\(Client.publisher)/apis", as: "chris",
                json: Client.apiJSON(
                    name: "Odd", context: "/odd", extra: #", "visibility": "RESTRICTED", "visibleRoles": ["Nope"]"#))
            #expect(unknownRole.status == .badRequest)
            #expect(unknownRole.errorDescription.contains("'Nope' is not a role"))
            let publicWithRoles = try await client.post(
                "\(Client.publisher)/apis", as: "chris",
                json: Client.apiJSON(
                    name: "Odd", context: "/odd", extra: #", "visibleRoles": ["Internal/publisher"]"#))
            #expect(publicWithRoles.status == .badRequest)
        }
    }

    @Test func theStoreListsOnlyPublishedAndPrototypedAPIs() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let created = try await client.createAPI(Client.apiJSON(name: "Created", context: "/created"))
            let published = try await client.publishedAPI(
                Client.apiJSON(name: "Published", context: "/published", tags: ["food"])
            )
            let prototype = try await client.createAPI(
                Client.apiJSON(name: "Prototype", context: "/prototype", tags: ["food", "beta"])
            )
            #expect(try await client.lifecycle(prototype, "Deploy as a Prototype").status == .ok)
            let blocked = try await client.publishedAPI(Client.apiJSON(name: "Blocked", context: "/blocked"))
            #expect(try await client.lifecycle(blocked, "Block").status == .ok)
            let retired = try await client.publishedAPI(Client.apiJSON(name: "Retired", context: "/retired"))
            #expect(try await client.lifecycle(retired, "Deprecate").status == .ok)
            #expect(try await client.lifecycle(retired, "Retire").status == .ok)

            let listed = try await client.get(Self.apis)
            #expect(try Set(listed.list.compactMap { $0["name"] as? String }) == ["Published", "Prototype"])
            for hidden in [created, blocked, retired] {
                #expect(try await client.get("\(Self.apis)/\(hidden)").status == .notFound)
            }
            let detail = try await client.get("\(Self.apis)/\(published)")
            #expect(detail.status == .ok)
            let api = try detail.object
            #expect(api["context"] as? String == "/published/1.0.0")
            #expect(
                (api["tiers"] as? [[String: String]])
                    == [["tierName": "Gold", "tierPlan": "FREE"], ["tierName": "Unlimited", "tierPlan": "FREE"]]
            )
            #expect((api["businessInformation"] as? [String: Any])?["businessOwner"] as? String == "Jane")

            let tags = try await client.get("\(Client.devportal)/tags")
            let counts = Dictionary(
                uniqueKeysWithValues: try tags.list.map { ($0["value"] as! String, $0["count"] as! Int) }
            )
            #expect(counts["food"] == 2)
            #expect(counts["beta"] == 1)
            let search = try await client.get("\(Client.devportal)/search?query=tag:beta")
            #expect(try search.list.map { $0["name"] as? String } == ["Prototype"])
        }
    }

    @Test func privateAPIsNeedASignedInUser() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI(Client.apiJSON(extra: ", \"visibility\": \"PRIVATE\""))
            #expect(try await client.get(Self.apis).list.isEmpty)
            #expect(try await client.get("\(Self.apis)/\(id)").status == .notFound)
            #expect(try await client.get("\(Self.apis)/\(id)", as: "alice").status == .ok)
        }
    }

    @Test func ratingsCommentsAndDocuments() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            let rating = "\(Self.apis)/\(id)/user-rating"
            #expect(try await client.put(rating, as: "alice", json: #"{"rating": 5}"#).status == .ok)
            #expect(try await client.put(rating, as: "bob", json: #"{"rating": 2}"#).status == .ok)
            #expect(try await client.put(rating, as: "bob", json: #"{"rating": 6}"#).status == .badRequest)
            #expect(try await client.put(rating, as: "bob", json: #"{"rating": "five"}"#).status == .badRequest)
            #expect(try await client.put(rating, as: "chris", json: #"{"rating": 1}"#).status == .forbidden)
            let summary = try await client.get("\(Self.apis)/\(id)/ratings", as: "alice").object
            #expect(summary["avgRating"] as? String == "3.5")
            #expect(summary["userRating"] as? Int == 5)
            #expect(summary["count"] as? Int == 2)
            #expect(try await client.delete(rating, as: "bob").status == .ok)
            #expect(try await client.get("\(Self.apis)/\(id)/ratings").object["avgRating"] as? String == "5.0")

            let comment = try await client.post(
                "\(Self.apis)/\(id)/comments",
                as: "alice",
                json: #"{"content": "Tasty"}"#
            )
            #expect(comment.status == .created)
            let commentID = try #require(try comment.object["id"] as? String)
            #expect(
                try await client.get("\(Self.apis)/\(id)/comments").list.map { $0["createdBy"] as? String } == ["alice"]
            )
            #expect(try await client.delete("\(Self.apis)/\(id)/comments/\(commentID)", as: "bob").status == .forbidden)
            #expect(try await client.delete("\(Self.apis)/\(id)/comments/\(commentID)", as: "alice").status == .ok)

            let documents = "\(Client.publisher)/apis/\(id)/documents"
            let markdown = #"{"name": "Guide", "type": "HOWTO", "sourceType": "MARKDOWN", "inlineContent": "Use it"}"#
            let link =
                #"{"name": "Forum", "type": "SUPPORT_FORUM", "sourceType": "URL", "sourceUrl": "https://forum.example.com"}"#
            let hidden =
                #"{"name": "Notes", "type": "OTHER", "sourceType": "INLINE", "inlineContent": "x", "visibility": "PRIVATE"}"#
            #expect(try await client.post(documents, as: "alice", json: markdown).status == .forbidden)
            let guide = try await client.post(documents, as: "chris", json: markdown)
            #expect(guide.status == .created)
            #expect(try await client.post(documents, as: "chris", json: markdown).status == .conflict)
            #expect(try await client.post(documents, as: "pat", json: link).status == .created)
            #expect(try await client.post(documents, as: "chris", json: hidden).status == .created)
            let bad = #"{"name": "Bad", "type": "HOWTO", "sourceType": "URL", "sourceUrl": "ftp://x"}"#
            #expect(try await client.post(documents, as: "chris", json: bad).status == .badRequest)

            let detail = try await client.get("\(Self.apis)/\(id)").object
            #expect(
                (detail["documents"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Forum", "Guide"]
            )
            let guideID = try #require(try guide.object["documentId"] as? String)
            let content = try await client.get("\(Self.apis)/\(id)/documents/\(guideID)/content")
            #expect(content.text == "Use it")
            #expect(content.headers[.contentType]?.hasPrefix("text/markdown") == true)
        }
    }

    @Test func applicationsBelongToTheirOwners() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let created = try await client.post(
                Self.applications,
                as: "alice",
                json: #"{"name": "Shop", "throttlingPolicy": "Large"}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.object["applicationId"] as? String)
            #expect(try created.object["owner"] as? String == "alice")
            #expect(
                try await client.post(
                    Self.applications,
                    as: "alice",
                    json: #"{"name": "Shop", "throttlingPolicy": "Large"}"#
                ).status == .conflict
            )
            #expect(
                try await client.post(
                    Self.applications,
                    as: "alice",
                    json: #"{"name": "X", "throttlingPolicy": "Huge"}"#
                ).status == .badRequest
            )
            #expect(
                try await client.post(
                    Self.applications,
                    as: "chris",
                    json: #"{"name": "X", "throttlingPolicy": "Large"}"#
                ).status == .forbidden
            )

            // Bob neither sees nor changes Alice's application; the answer does not even confirm it exists.
            #expect(try await client.get("\(Self.applications)/\(id)", as: "bob").status == .notFound)
            #expect(
                try await client.put(
                    "\(Self.applications)/\(id)",
                    as: "bob",
                    json: #"{"name": "Mine", "throttlingPolicy": "Small"}"#
                ).status == .notFound
            )
            #expect(try await client.delete("\(Self.applications)/\(id)", as: "bob").status == .notFound)
            #expect(
                try await client.post(
                    "\(Self.applications)/\(id)/generate-keys",
                    as: "bob",
                    json: #"{"keyType": "PRODUCTION"}"#
                ).status == .notFound
            )
            #expect(try await client.get(Self.applications, as: "bob").list.isEmpty)
            #expect(try await client.get("\(Self.applications)/\(id)", as: "admin").status == .ok)

            let renamed = try await client.put(
                "\(Self.applications)/\(id)",
                as: "alice",
                json: #"{"name": "Store", "throttlingPolicy": "Small"}"#
            )
            #expect(renamed.status == .ok)
            #expect(try renamed.object["throttlingPolicy"] as? String == "Small")
            #expect(try await client.delete("\(Self.applications)/\(id)", as: "alice").status == .ok)
            #expect(try await fixture.keyManager.application(id: id) == nil)
        }
    }

    @Test func keysTokensAndSubscriptionsReachTheValidationIndex() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            let application = try await client.post(
                Self.applications,
                as: "alice",
                json: #"{"name": "Shop", "throttlingPolicy": "Unlimited"}"#
            )
            let appID = try #require(try application.object["applicationId"] as? String)

            // A token request that would be refused is refused before any key exists.
            for bad in [#"{"keyType": "PRODUCTION", "validityTime": 5}"#, #"{"keyType": "PRODUCTION", "scopes": ["a b"]}"#] {
                let refused = try await client.post("\(Self.applications)/\(appID)/generate-keys", as: "alice", json: bad)
                #expect(refused.status == .badRequest, "\(bad)")
            }
            #expect(try await fixture.keyManager.keys(applicationID: appID).isEmpty)

            let keys = try await client.post(
                "\(Self.applications)/\(appID)/generate-keys",
                as: "alice",
                json: #"{"keyType": "PRODUCTION", "grantTypesToBeSupported": ["client_credentials", "password"]}"#
            )
            #expect(keys.status == .ok, "\(keys.text)")
            let keyObject = try keys.object
            let consumerKey = try #require(keyObject["consumerKey"] as? String)
            let secret = try #require(keyObject["consumerSecret"] as? String)
            let token = try #require((keyObject["token"] as? [String: Any])?["accessToken"] as? String)
            #expect(
                try await client.post(
                    "\(Self.applications)/\(appID)/generate-keys",
                    as: "alice",
                    json: #"{"keyType": "PRODUCTION"}"#
                ).status == .conflict
            )
            #expect(
                try await client.post(
                    "\(Self.applications)/\(appID)/generate-keys",
                    as: "alice",
                    json: #"{"keyType": "STAGING"}"#
                ).status == .badRequest
            )

            func validate(_ token: String) -> KeyValidationResult {
                fixture.keyManager.validationService.validate(
                    KeyValidationRequest(
                        accessToken: token,
                        apiContext: "/pizzashack/1.0.0",
                        apiVersion: "1.0.0",
                        resource: "/menu",
                        httpMethod: "GET"
                    )
                )
            }
            #expect(!validate(token).authorized)

            let subscription = #"{"applicationId": "\#(appID)", "apiId": "\#(apiID)", "throttlingPolicy": "Gold"}"#
            #expect(try await client.post(Self.subscriptions, as: "bob", json: subscription).status == .notFound)
            let notOffered = subscription.replacingOccurrences(of: "Gold", with: "Silver")
            #expect(try await client.post(Self.subscriptions, as: "alice", json: notOffered).status == .badRequest)
            let subscribed = try await client.post(Self.subscriptions, as: "alice", json: subscription)
            #expect(subscribed.status == .created, "\(subscribed.text)")
            let subscriptionID = try #require(try subscribed.object["subscriptionId"] as? String)
            #expect(validate(token).authorized)
            #expect(try await client.post(Self.subscriptions, as: "alice", json: subscription).status == .conflict)
            #expect(try await client.get("\(Self.subscriptions)/\(subscriptionID)", as: "bob").status == .notFound)
            #expect(try await client.get("\(Self.subscriptions)?applicationId=\(appID)", as: "alice").list.count == 1)

            // The publisher blocks and unblocks it; the gateway's index follows at once.
            let block =
                "\(Client.publisher)/subscriptions/block-subscription?subscriptionId=\(subscriptionID)&blockState=BLOCKED"
            #expect(try await client.post(block, as: "alice").status == .forbidden)
            #expect(try await client.post(block, as: "pat").status == .ok)
            #expect(!validate(token).authorized)
            let unblock = "\(Client.publisher)/subscriptions/unblock-subscription?subscriptionId=\(subscriptionID)"
            #expect(try await client.post(unblock, as: "pat").status == .ok)
            #expect(validate(token).authorized)
            let listed = try await client.get("\(Client.publisher)/subscriptions?apiId=\(apiID)", as: "pat")
            #expect(try listed.list.map { $0["status"] as? String } == ["UNBLOCKED"])

            // A new token with the secret; a regenerated secret replaces it.
            let generate = "\(Self.applications)/\(appID)/keys/PRODUCTION/generate-token"
            let fresh = try await client.post(generate, as: "alice", json: #"{"consumerSecret": "\#(secret)"}"#)
            #expect(fresh.status == .ok, "\(fresh.text)")
            let freshToken = try #require(try fresh.object["accessToken"] as? String)
            #expect(validate(freshToken).authorized)
            let regenerated = try await client.post(
                "\(Self.applications)/\(appID)/keys/PRODUCTION/regenerate-secret",
                as: "alice"
            )
            #expect(try regenerated.object["consumerKey"] as? String == consumerKey)
            let newSecret = try #require(try regenerated.object["consumerSecret"] as? String)
            #expect(newSecret != secret)
            #expect(
                try await client.post(generate, as: "alice", json: #"{"consumerSecret": "\#(secret)"}"#).status
                    == .badRequest
            )
            #expect(
                try await client.post(generate, as: "alice", json: #"{"consumerSecret": "\#(newSecret)"}"#).status
                    == .ok
            )
            // The owner needs no secret (WSO2's Devportal: the session authorises it); another user gets nothing.
            let ownerToken = try await client.post(generate, as: "alice", json: "{}")
            #expect(ownerToken.status == .ok, "\(ownerToken.text)")
            #expect(validate(try #require(try ownerToken.object["accessToken"] as? String)).authorized)
            #expect(try await client.post(generate, as: "bob", json: "{}").status == .notFound)
            let listedKeys = try await client.get("\(Self.applications)/\(appID)/keys", as: "alice")
            #expect(try listedKeys.list.map { $0["consumerKey"] as? String } == [consumerKey])
            #expect(!listedKeys.text.contains(newSecret))

            // Unsubscribing takes effect at once too.
            #expect(try await client.delete("\(Self.subscriptions)/\(subscriptionID)", as: "bob").status == .notFound)
            #expect(try await client.delete("\(Self.subscriptions)/\(subscriptionID)", as: "alice").status == .ok)
            #expect(!validate(token).authorized)
        }
    }

    @Test func noSubscriptionsToDeprecatedOrPrototypedAPIs() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let deprecated = try await client.publishedAPI()
            #expect(try await client.lifecycle(deprecated, "Deprecate").status == .ok)
            let prototype = try await client.createAPI(Client.apiJSON(name: "Proto", context: "/proto"))
            #expect(try await client.lifecycle(prototype, "Deploy as a Prototype").status == .ok)
            let application = try await fixture.keyManager.createApplication(name: "Shop", owner: "alice")
            for apiID in [deprecated, prototype] {
                let body = #"{"applicationId": "\#(application.id)", "apiId": "\#(apiID)", "throttlingPolicy": "Gold"}"#
                let answer = try await client.post(Self.subscriptions, as: "alice", json: body)
                #expect(answer.status == .badRequest)
                #expect(answer.errorDescription.contains("takes no new subscriptions"))
            }
            #expect(try await fixture.keyManager.subscriptions(applicationID: application.id).isEmpty)
        }
    }

    @Test func sortingByRatingAndNewest() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let first = try await client.publishedAPI(Client.apiJSON(name: "First", context: "/first"))
            let second = try await client.publishedAPI(Client.apiJSON(name: "Second", context: "/second"))
            #expect(
                try await client.put("\(Self.apis)/\(second)/user-rating", as: "alice", json: #"{"rating": 4}"#).status
                    == .ok
            )
            #expect(
                try await client.put("\(Self.apis)/\(first)/user-rating", as: "alice", json: #"{"rating": 2}"#).status
                    == .ok
            )
            let rated = try await client.get("\(Self.apis)?sortBy=rating")
            #expect(try rated.list.map { $0["name"] as? String } == ["Second", "First"])
            let byName = try await client.get("\(Self.apis)")
            #expect(try byName.list.map { $0["name"] as? String } == ["First", "Second"])
            #expect(try await client.get("\(Self.apis)?sortBy=colour").status == .badRequest)
            #expect(try await client.get("\(Self.apis)?sortBy=usage").status == .ok)
        }
    }
}
