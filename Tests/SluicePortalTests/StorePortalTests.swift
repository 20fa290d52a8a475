import Foundation
import HTTPTypes
import SluiceModel
import SluicePortal
import SluiceStorage
import Testing

/// The Store's pages over the real management services: sign-up, browsing, an API's page, applications,
/// subscriptions, keys and tokens.
@Suite struct StorePortalTests {
    @Test func signUpCreatesASignedInSubscriberWithTheDefaultApplication() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            let form = try await browser.get("/store/signup")
            let fields = [
                ("firstName", "Dana"), ("lastName", "Dev"), ("email", "dana@example.com"), ("username", "dana"),
                ("password", "dana-secret-1"), ("confirmPassword", "dana-secret-1"),
            ]
            let done = try await browser.post("/store/signup", fields, csrf: form.csrf)
            #expect(done.status == .seeOther)
            #expect(done.location == "/store/applications")
            #expect(portal.sessions.session(id: try #require(browser.sessionID))?.username == "dana")
            let user = try #require(try await fixture.storage.user(named: "dana"))
            #expect(user.roles == [Role.subscriber.name])
            #expect(user.firstName == "Dana")
            let list = try await browser.get("/store/applications")
            #expect(list.html.contains("DefaultApplication"))
            #expect(list.html.contains("Welcome, Dana!"))
        }
    }

    @Test func signUpProblemsAreShownWithoutEchoingThePassword() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let form = try await browser.get("/store/signup")
            let cases: [([(String, String)], String)] = [
                ([("username", "alice"), ("password", "long-enough-1"), ("confirmPassword", "long-enough-1")], "is taken"),
                ([("username", "x"), ("password", "long-enough-1"), ("confirmPassword", "long-enough-1")], "Username must be"),
                ([("username", "newbie"), ("password", "short"), ("confirmPassword", "short")], "Password must be"),
                ([("username", "newbie"), ("password", "long-enough-1"), ("confirmPassword", "other-one-22")], "do not match"),
            ]
            for (fields, message) in cases {
                let page = try await browser.post(
                    "/store/signup",
                    fields + [("firstName", "<b>Eve</b>"), ("lastName", "L"), ("email", "eve@example.com")],
                    csrf: form.csrf
                )
                #expect(page.status == .badRequest)
                #expect(page.html.contains(message), "\(message)")
                #expect(!page.html.contains("long-enough-1"))
                #expect(page.html.contains("&lt;b&gt;Eve&lt;/b&gt;"))
            }
            #expect(try await fixture.storage.user(named: "newbie") == nil)
        }
    }

    @Test func browsingListsPublishedAndPrototypedAPIsAndSearches() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.publishAPI(name: "PizzaShack", tags: ["food", "pizza"])
            try await browser.publishAPI(name: "Weather", tags: ["weather"], actions: ["Deploy as a Prototype"])
            try await browser.publishAPI(name: "Legacy", tags: ["pizza"], actions: ["Publish", "Deprecate"])
            try await browser.publishAPI(name: "Draft", tags: ["pizza"], actions: [])
            let all = try await browser.get("/store/apis")
            #expect(all.html.contains("PizzaShack"))
            #expect(all.html.contains("Weather"))
            #expect(all.html.contains("Prototype"))
            #expect(!all.html.contains("Legacy"))
            #expect(!all.html.contains("Draft"))
            let byTag = try await browser.get("/store/apis?q=tag%3Apizza")
            #expect(byTag.html.contains("PizzaShack") && !byTag.html.contains(">Weather<"))
            let byName = try await browser.get("/store/apis?q=weath")
            #expect(byName.html.contains(">Weather<") && !byName.html.contains(">PizzaShack<"))
            let byProvider = try await browser.get("/store/apis?q=provider%3Anobody")
            #expect(!byProvider.html.contains(">PizzaShack<"))
            #expect(byProvider.html.contains("No API matches"))
            let bad = try await browser.get("/store/apis?q=colour%3Ared")
            #expect(bad.status == .ok)
            #expect(bad.html.contains("Unknown search attribute"))
            let home = try await browser.get("/store")
            #expect(home.html.contains("Tags"))
            #expect(home.html.contains("/store/apis?q=tag%3Apizza"))
            #expect(home.html.contains("Newest"))
        }
    }

    @Test func apiPageShowsResourcesDocumentsRatingAndComments() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            let id = try await browser.publishAPI(name: "PizzaShack", tags: ["pizza"])
            let guide = ##"{"name": "Guide", "type": "HOWTO", "sourceType": "MARKDOWN", "visibility": "API_LEVEL", "summary": "How", "inlineContent": "# Title\n<script>alert(1)</script>"}"##
            let spec = #"{"name": "Spec", "type": "PUBLIC_FORUM", "sourceType": "URL", "visibility": "API_LEVEL", "sourceUrl": "https://example.com/spec"}"#
            for document in [guide, spec] {
                let created = try await browser.rest(.post, "/api/am/publisher/v4/apis/\(id)/documents", as: "chris", json: document)
                #expect(created.status == .created, "\(created.body)")
            }
            // The REST API refuses such a link; a record from elsewhere (an import) must still never be clickable.
            try await fixture.storage.createDocument(
                APIDocumentRecord(
                    id: UUID().uuidString, apiID: id, name: "Bad link", type: "OTHER", sourceType: "URL",
                    sourceURL: "javascript:alert(1)", createdBy: "chris", createdAt: Date(), updatedAt: Date()
                )
            )
            let anonymous = try await browser.get("/store/apis/\(id)")
            #expect(anonymous.status == .ok)
            #expect(anonymous.html.contains("/menu"))
            #expect(anonymous.html.contains("Application User"))
            #expect(anonymous.html.contains("Plus"))
            #expect(anonymous.html.contains("Sign in to subscribe"))
            #expect(anonymous.html.contains(#"<a href="https://example.com/spec""#))
            #expect(!anonymous.html.contains(#"href="javascript:"#))
            #expect(!anonymous.html.contains("<script>alert"))
            #expect(anonymous.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(anonymous.html.contains("Bad link"))
            #expect(anonymous.html.contains("curl -i -H &quot;Authorization: Bearer &lt;access token&gt;&quot; &quot;http://127.0.0.1:8280/pizzashack/1.0.0/menu&quot;"))

            try await browser.signIn("alice")
            let token = try browser.csrf(portal)
            #expect(try await browser.post("/store/apis/\(id)/rating", [("rating", "4")], csrf: token).status == .seeOther)
            try await browser.signIn("bob")
            let bobToken = try browser.csrf(portal)
            _ = try await browser.post("/store/apis/\(id)/rating", [("rating", "5")], csrf: bobToken)
            let hostile = #"<img src=x onerror="alert(1)"> & more"#
            _ = try await browser.post("/store/apis/\(id)/comments", [("content", hostile)], csrf: bobToken)
            let rejected = try await browser.post("/store/apis/\(id)/rating", [("rating", "9")], csrf: bobToken)
            #expect(rejected.status == .seeOther)
            let page = try await browser.get("/store/apis/\(id)")
            #expect(page.html.contains("rating must be an integer from 1 to 5"))
            #expect(page.html.contains(#"data-testid="average-rating">4.5<"#))
            #expect(page.html.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; more"))
            #expect(!page.html.contains("<img src=x"))
            #expect(page.html.contains("You rated it 5 of 5."))
        }
    }

    @Test func applicationsSubscriptionsKeysAndTokens() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            let apiID = try await browser.publishAPI(name: "PizzaShack")
            let deprecated = try await browser.publishAPI(name: "Legacy", actions: ["Publish", "Deprecate"])
            try await browser.signIn("alice")
            let csrf = try browser.csrf(portal)
            let created = try await browser.post(
                "/store/applications",
                [("name", "Mobile"), ("tier", "Medium"), ("description", "The app")],
                csrf: csrf
            )
            #expect(created.status == .seeOther)
            let location = try #require(created.location)
            let appID = String(location.dropFirst("/store/applications/".count))
            #expect(try await fixture.keyManager.application(id: appID)?.throttlingTier == "Medium")
            let duplicate = try await browser.post("/store/applications", [("name", "Mobile"), ("tier", "Unlimited")], csrf: csrf)
            #expect(duplicate.location == "/store/applications")
            #expect(try await browser.get("/store/applications").html.contains("You already have an application named Mobile"))

            // Edit.
            _ = try await browser.post(
                "/store/applications/\(appID)",
                [("name", "Mobile App"), ("tier", "Large"), ("description", "")],
                csrf: csrf
            )
            #expect(try await fixture.keyManager.application(id: appID)?.name == "Mobile App")

            // Subscribe with an offered tier; an unoffered tier and a deprecated API are refused.
            let refused = try await browser.post(
                "/store/apis/\(apiID)/subscriptions",
                [("applicationId", appID), ("tier", "Bronze")],
                csrf: csrf
            )
            #expect(refused.location == "/store/apis/\(apiID)")
            let subscribed = try await browser.post(
                "/store/apis/\(apiID)/subscriptions",
                [("applicationId", appID), ("tier", "Gold")],
                csrf: csrf
            )
            #expect(subscribed.location == "/store/applications/\(appID)")
            _ = try await browser.post(
                "/store/apis/\(deprecated)/subscriptions",
                [("applicationId", appID), ("tier", "Gold")],
                csrf: csrf
            )
            let subscriptions = try await fixture.keyManager.subscriptions(applicationID: appID)
            #expect(subscriptions.map(\.tier) == ["Gold"])
            #expect(try await browser.get("/store/apis/\(deprecated)").html.contains("takes no new subscriptions"))

            // Keys: the secret shows once.
            let keysPage = try await browser.post("/store/applications/\(appID)/keys/production/generate", [], csrf: csrf)
            #expect(keysPage.status == .ok)
            let secret = try #require(Self.value(of: "consumer-secret-production", in: keysPage.html))
            #expect(secret.count >= 20)
            #expect(keysPage.headers[.cacheControl] == "no-store")
            let later = try await browser.get("/store/applications/\(appID)")
            #expect(!later.html.contains(secret))
            let consumerKey = try #require(Self.value(of: "consumer-key-production", in: keysPage.html))
            #expect(later.html.contains(consumerKey))

            // Sandbox keys with a callback URL for the authorization-code grant; a URL that is no web address is
            // refused with the reason.
            let badCallback = try await browser.post(
                "/store/applications/\(appID)/keys/sandbox/generate", [("callbackUrl", "javascript:alert(1)")], csrf: csrf
            )
            #expect(badCallback.status == .seeOther)
            #expect(try await browser.get("/store/applications/\(appID)").html.contains("The callback URL must be"))
            let withCallback = try await browser.post(
                "/store/applications/\(appID)/keys/sandbox/generate",
                [("callbackUrl", "https://app.example.com/callback")],
                csrf: csrf
            )
            #expect(Self.value(of: "callback-url-sandbox", in: withCallback.html) == "https://app.example.com/callback")
            let sandboxKeys = try await fixture.keyManager.keys(applicationID: appID).first { $0.keyType == .sandbox }
            #expect(sandboxKeys?.callbackURL == "https://app.example.com/callback")

            // A token with the secret, with a curl for the subscribed API through the gateway.
            let wrong = try await browser.post(
                "/store/applications/\(appID)/keys/production/token",
                [("consumerSecret", "not-the-secret")],
                csrf: csrf
            )
            #expect(wrong.status == .seeOther)
            let tokenPage = try await browser.post(
                "/store/applications/\(appID)/keys/production/token",
                [("consumerSecret", secret)],
                csrf: csrf
            )
            let accessToken = try #require(Self.value(of: "access-token", in: tokenPage.html))
            #expect(tokenPage.html.contains("curl -i -H &quot;Authorization: Bearer \(accessToken)&quot; &quot;http://127.0.0.1:8280/pizzashack/1.0.0/menu&quot;"))
            let introspection = try await fixture.keyManager.introspect(token: accessToken, tokenTypeHint: nil)
            #expect(introspection.active)
            #expect(!tokenPage.html.contains(secret))

            // Regenerating the secret shows a new one once; the old one stops working.
            let regenerated = try await browser.post(
                "/store/applications/\(appID)/keys/production/regenerate-secret",
                [],
                csrf: csrf
            )
            let newSecret = try #require(Self.value(of: "consumer-secret-production", in: regenerated.html))
            #expect(newSecret != secret)
            let old = try await browser.post(
                "/store/applications/\(appID)/keys/production/token",
                [("consumerSecret", secret)],
                csrf: csrf
            )
            #expect(old.status == .seeOther)

            // Usage page renders (no calls yet).
            let usage = try await browser.get("/store/applications/\(appID)/usage")
            #expect(usage.status == .ok)
            #expect(usage.html.contains(#"data-testid="usage-requests">0<"#))

            // Unsubscribe, then delete.
            let subscriptionID = try #require(subscriptions.first?.id)
            _ = try await browser.post("/store/applications/\(appID)/subscriptions/\(subscriptionID)/delete", [], csrf: csrf)
            #expect(try await fixture.keyManager.subscriptions(applicationID: appID).isEmpty)
            let deleted = try await browser.post("/store/applications/\(appID)/delete", [], csrf: csrf)
            #expect(deleted.location == "/store/applications")
            #expect(try await fixture.keyManager.application(id: appID) == nil)
        }
    }

    @Test func anotherUsersApplicationIsNotFoundAndUnchanged() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            let apiID = try await browser.publishAPI(name: "PizzaShack")
            let other = try await browser.publishAPI(name: "Weather")
            let alices = try await fixture.keyManager.createApplication(name: "AliceApp", owner: "alice")
            let subscription = try await fixture.keyManager.subscribe(applicationID: alices.id, apiID: apiID, tier: "Gold")
            try await browser.signIn("bob")
            let csrf = try browser.csrf(portal)
            let base = "/store/applications/\(alices.id)"
            #expect(try await browser.get(base).status == .notFound)
            #expect(try await browser.get(base + "/usage").status == .notFound)
            let attempts: [(String, [(String, String)])] = [
                (base, [("name", "Stolen"), ("tier", "Unlimited")]),
                (base + "/delete", []),
                (base + "/keys/production/generate", []),
                (base + "/keys/production/regenerate-secret", []),
                (base + "/keys/production/token", [("consumerSecret", "x")]),
                (base + "/subscriptions/\(subscription.id)/delete", []),
                ("/store/apis/\(other)/subscriptions", [("applicationId", alices.id), ("tier", "Gold")]),
            ]
            for (path, fields) in attempts {
                let page = try await browser.post(path, fields, csrf: csrf)
                #expect(page.status == .notFound, "\(path)")
                #expect(!page.html.contains("AliceApp"), "\(path)")
            }
            // Bob's own application id with Alice's subscription id is not found either.
            let bobApp = try await fixture.keyManager.createApplication(name: "BobApp", owner: "bob")
            let crossed = try await browser.post(
                "/store/applications/\(bobApp.id)/subscriptions/\(subscription.id)/delete",
                [],
                csrf: csrf
            )
            #expect(crossed.status == .notFound)

            let unchanged = try #require(try await fixture.keyManager.application(id: alices.id))
            #expect(unchanged.name == "AliceApp")
            #expect(try await fixture.keyManager.keys(applicationID: alices.id).isEmpty)
            #expect(try await fixture.keyManager.subscriptions(applicationID: alices.id).map(\.id) == [subscription.id])
            #expect(!(try await browser.get("/store/applications").html.contains("AliceApp")))
        }
    }

    @Test func hostileTextIsEscapedOnEveryStorePage() async throws {
        let fixture = try await PortalFixture()
        let hostile = #"<script>x()</script>"#
        let apiID = try await fixture.addAPI(
            name: "Safe",
            provider: "chris",
            tags: ["<b>tag</b>"],
            description: "Desc \(hostile) & 'q' \"dq\""
        )
        try await fixture.test { browser, portal in
            try await browser.signIn("alice")
            let csrf = try browser.csrf(portal)
            let created = try await browser.post(
                "/store/applications",
                [("name", "App \(hostile)"), ("tier", "Unlimited"), ("description", hostile)],
                csrf: csrf
            )
            let appPath = try #require(created.location)
            _ = try await browser.post("/store/apis/\(apiID)/comments", [("content", hostile)], csrf: csrf)
            for path in ["/store", "/store/apis", "/store/apis?q=\(Browser.encode(hostile))", "/store/apis/\(apiID)",
                         "/store/applications", appPath, appPath + "/usage"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.html.contains("<script>x()"), "\(path)")
                #expect(!page.html.contains("<b>tag</b>"), "\(path)")
            }
            #expect(try await browser.get(appPath).html.contains("App &lt;script&gt;x()&lt;/script&gt;"))
            #expect(try await browser.get("/store/apis/\(apiID)").html.contains("&#39;q&#39; &quot;dq&quot;"))
        }
    }

    @Test func signedOutVisitorsAreSentToSignInWithNext() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let page = try await browser.get("/store/applications")
            #expect(page.status == .seeOther)
            #expect(page.location == "/store/signin?next=%2Fstore%2Fapplications")
            let posted = try await browser.post("/store/applications", [("name", "X"), ("tier", "Unlimited")], csrf: nil)
            #expect(posted.status == .seeOther)
            #expect(posted.location == "/store/signin?next=%2Fstore")
        }
    }

    @Test func usersWithoutTheSubscriberRoleCannotUseApplications() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("chris")
            let page = try await browser.get("/store/applications")
            #expect(page.status == .forbidden)
            #expect(page.html.contains("cannot use the Store"))
        }
    }

    /// The text of the element with `data-testid="<id>"`.
    static func value(of testID: String, in html: String) -> String? {
        guard let start = html.range(of: #"data-testid="\#(testID)">"#) else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "<") else { return nil }
        return String(rest[..<end])
    }
}
