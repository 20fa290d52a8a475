import Foundation
import HTTPTypes
import SluiceArtifacts
import SluiceControlPlane
import SluiceKeyManager
import SluiceManagement
import SluiceModel
import SluicePortal
import SluiceStorage
import Testing

/// The Publisher portal through its forms: create and edit, lifecycle buttons per state and role, refused
/// transitions, documents, subscriptions, usage, escaping and CSRF.
@Suite struct PublisherPortalTests {
    /// A complete create form for `name`.
    static func apiFields(_ name: String = "Pizza", context: String = "/pizza") -> [(String, String)] {
        [
            ("name", name), ("context", context), ("version", "1.0.0"), ("description", "Pizzas & more"),
            ("tags", "food, pizza, food"), ("visibility", "PUBLIC"), ("endpointType", "http"),
            ("productionURL", "http://127.0.0.1:9000/pizza"), ("sandboxURL", ""),
            ("policies", "Gold"), ("policies", "Unlimited"), ("apiThrottlingPolicy", ""),
            ("op_verb", "GET"), ("op_target", "/menu"), ("op_auth", "Any"), ("op_tier", ""),
            ("op_verb", "POST"), ("op_target", "/order"), ("op_auth", "Application"), ("op_tier", "Plus"),
            ("op_verb", "GET"), ("op_target", ""), ("op_auth", "Any"), ("op_tier", ""),
            ("corsEnabled", "true"), ("corsOrigins", "https://shop.example"), ("corsHeaders", "authorization"),
            ("corsMethods", "GET"), ("corsMethods", "POST"),
        ]
    }

    /// Creates an API through the form as `browser`'s user and returns its id.
    static func createAPI(_ browser: Browser, _ fields: [(String, String)] = apiFields()) async throws -> String {
        let form = try await browser.get("/publisher/apis/new")
        #expect(form.status == .ok)
        let created = try await browser.post("/publisher/apis", fields, csrf: form.csrf)
        #expect(created.status == .seeOther)
        let location = try #require(created.location)
        #expect(location.hasPrefix("/publisher/apis/"))
        return String(location.dropFirst("/publisher/apis/".count))
    }

    @Test func aCreatorCreatesAndEditsAnAPIThroughTheForm() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("chris", area: "publisher")
            let id = try await Self.createAPI(browser)
            let record = try #require(try await fixture.storage.api(id: id))
            #expect(record.provider == "chris")
            #expect(record.lifecycleState == .created)
            #expect(record.tags == ["food", "pizza"])
            let service = PublisherAPIService(services: fixture.services, logger: .init(label: "test"))
            let definition = service.definition(of: record)
            #expect(definition.policies == ["Gold", "Unlimited"])
            #expect(definition.operations.map { "\($0.verb) \($0.target)" } == ["GET /menu", "POST /order"])
            #expect(definition.operations[1].authType == "Application")
            #expect(definition.operations[1].throttlingPolicy == "Plus")
            #expect(definition.endpointConfig?.productionEndpoints.first?.url == "http://127.0.0.1:9000/pizza")
            #expect(definition.corsConfiguration?.accessControlAllowOrigins == ["https://shop.example"])
            #expect(definition.corsConfiguration?.accessControlAllowMethods == ["GET", "POST"])

            let overview = try await browser.get("/publisher/apis/\(id)")
            #expect(overview.status == .ok)
            #expect(overview.html.contains("/order"))
            #expect(overview.html.contains("Pizzas &amp; more"))

            // Edit: a new description and a third resource; a changed name in the request is ignored.
            let edit = try await browser.get("/publisher/apis/\(id)/edit")
            #expect(edit.status == .ok)
            #expect(edit.html.contains(#"value="/menu""#))
            var fields = Self.apiFields().filter { $0.0 != "description" && $0.0 != "name" }
            fields += [
                ("name", "Renamed"), ("description", "Now with calzone"),
                ("op_verb", "DELETE"), ("op_target", "/order/{id}"), ("op_auth", "Application User"), ("op_tier", ""),
            ]
            let saved = try await browser.post("/publisher/apis/\(id)/edit", fields, csrf: edit.csrf)
            #expect(saved.status == .seeOther)
            let updated = try #require(try await fixture.storage.api(id: id))
            #expect(updated.name == "Pizza")
            #expect(updated.description == "Now with calzone")
            #expect(service.definition(of: updated).operations.count == 3)
        }
    }

    @Test func aRefusedFormComesBackWithTheReasonsAndStoresNothing() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("chris", area: "publisher")
            let form = try await browser.get("/publisher/apis/new")
            var fields = Self.apiFields().filter { $0.0 != "policies" && $0.0 != "context" }
            fields += [("policies", "Platinum"), ("context", "/pizza")]
            let refused = try await browser.post("/publisher/apis", fields, csrf: form.csrf)
            #expect(refused.status == .badRequest)
            #expect(refused.html.contains("The API was not saved"))
            #expect(refused.html.contains("Platinum"))
            // The user's values are still in the form.
            #expect(refused.html.contains(#"value="https://shop.example""#))
            #expect(try await fixture.storage.apis().isEmpty)
        }
    }

    @Test func lifecycleButtonsFollowTheStateAndTheRole() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("chris", area: "publisher")
            let id = try await Self.createAPI(browser)
            // A creator sees the state but no lifecycle buttons.
            let asCreator = try await browser.get("/publisher/apis/\(id)")
            #expect(asCreator.html.contains(#"data-testid="lifecycle-readonly""#))
            #expect(!asCreator.html.contains(#"name="action""#))

            browser.forget()
            try await browser.signIn("pat", area: "publisher")
            let created = try await browser.get("/publisher/apis/\(id)")
            #expect(Self.actions(created.html) == ["Publish", "Deploy as a Prototype"])

            let published = try await browser.post(
                "/publisher/apis/\(id)/lifecycle",
                [("action", "Publish")],
                csrf: created.csrf
            )
            #expect(published.status == .seeOther)
            #expect(try await fixture.storage.api(id: id)?.lifecycleState == .published)
            let page = try await browser.get("/publisher/apis/\(id)")
            #expect(page.html.contains("is now PUBLISHED"))
            #expect(
                Self.actions(page.html) == [
                    "Publish", "Demote to Prototyped", "Demote to Created", "Block", "Deprecate",
                ]
            )
        }
    }

    @Test func aCreatorCannotPublishAndAnIllegalTransitionIsRefused() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("chris", area: "publisher")
            let id = try await Self.createAPI(browser)
            let page = try await browser.get("/publisher/apis/\(id)")
            // Posted by hand: the page offered no button.
            let refused = try await browser.post(
                "/publisher/apis/\(id)/lifecycle",
                [("action", "Publish")],
                csrf: page.csrf
            )
            #expect(refused.status == .seeOther)
            #expect(try await browser.get("/publisher/apis/\(id)").html.contains("apim:api_publish"))
            #expect(try await fixture.storage.api(id: id)?.lifecycleState == .created)
            #expect(try Self.deployedFiles(fixture).isEmpty)

            browser.forget()
            try await browser.signIn("pat", area: "publisher")
            let asPublisher = try await browser.get("/publisher/apis/\(id)")
            _ = try await browser.post(
                "/publisher/apis/\(id)/lifecycle",
                [("action", "Retire")],
                csrf: asPublisher.csrf
            )
            #expect(try await fixture.storage.api(id: id)?.lifecycleState == .created)
            let after = try await browser.get("/publisher/apis/\(id)")
            #expect(after.html.contains("flash error"))
            #expect(after.html.contains("Retire"))
            _ = try await browser.post(
                "/publisher/apis/\(id)/lifecycle",
                [("action", "Explode")],
                csrf: asPublisher.csrf
            )
            #expect(try await browser.get("/publisher/apis/\(id)").html.contains("Unknown lifecycle action"))
            #expect(try await fixture.storage.api(id: id)?.lifecycleState == .created)
        }
    }

    @Test func everyPublisherFormNeedsTheSessionsCSRFToken() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("admin", area: "publisher")
            let id = try await Self.createAPI(browser)
            let before = try #require(try await fixture.storage.api(id: id))
            let posts: [(String, [(String, String)])] = [
                ("/publisher/apis", Self.apiFields("Other", context: "/other")),
                ("/publisher/apis/\(id)/edit", Self.apiFields()),
                ("/publisher/apis/\(id)/lifecycle", [("action", "Publish")]),
                ("/publisher/apis/\(id)/copy", [("newVersion", "2.0.0")]),
                ("/publisher/apis/\(id)/delete", []),
                ("/publisher/apis/\(id)/source", [("source", "<api/>")]),
                ("/publisher/apis/\(id)/source/revert", []),
                ("/publisher/apis/\(id)/documents", [("name", "Guide"), ("type", "HOWTO"), ("sourceType", "INLINE")]),
                ("/publisher/apis/\(id)/documents/x/delete", []),
                ("/publisher/apis/\(id)/subscriptions/x", [("status", "BLOCKED")]),
            ]
            for (uri, fields) in posts {
                for token in [nil, "forged-token"] as [String?] {
                    let page = try await browser.post(uri, fields, csrf: token)
                    #expect(page.status == .forbidden, "\(uri) with token \(token ?? "none")")
                }
            }
            #expect(try await fixture.storage.apis().count == 1)
            #expect(try await fixture.storage.api(id: id) == before)
            #expect(try await fixture.storage.documents(apiID: id).isEmpty)
        }
    }

    @Test func hostileNamesAndDescriptionsAreEscaped() async throws {
        let fixture = try await PortalFixture()
        let hostile = #"<script>alert("x")</script>"#
        let id = try await fixture.addAPI(name: hostile, state: .created, tags: [hostile], description: hostile)
        try await fixture.test { browser, _ in
            try await browser.signIn("pat", area: "publisher")
            for uri in [
                "/publisher", "/publisher/apis/\(id)", "/publisher/apis/\(id)/edit", "/publisher/apis/\(id)/source",
                "/publisher/apis/\(id)/documents", "/publisher/apis/\(id)/subscriptions", "/publisher/apis/\(id)/usage",
            ] {
                let page = try await browser.get(uri)
                #expect(page.status == .ok, "\(uri)")
                #expect(!page.html.contains("<script>alert"), "\(uri)")
                #expect(page.html.contains("&lt;script&gt;"), "\(uri)")
            }
            // A hostile document is escaped too.
            let documents = try await browser.get("/publisher/apis/\(id)/documents")
            _ = try await browser.post(
                "/publisher/apis/\(id)/documents",
                [("name", hostile), ("type", "HOWTO"), ("sourceType", "INLINE"), ("content", hostile)],
                csrf: documents.csrf
            )
            let after = try await browser.get("/publisher/apis/\(id)/documents")
            #expect(!after.html.contains("<script>alert"))
        }
    }

    @Test func documentsAreAddedListedAndDeleted() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("chris", area: "publisher")
            let id = try await Self.createAPI(browser)
            let page = try await browser.get("/publisher/apis/\(id)/documents")
            let inline = try await browser.post(
                "/publisher/apis/\(id)/documents",
                [("name", "Getting started"), ("type", "HOWTO"), ("sourceType", "MARKDOWN"), ("content", "# Hello")],
                csrf: page.csrf
            )
            #expect(inline.status == .seeOther)
            let url = try await browser.post(
                "/publisher/apis/\(id)/documents",
                [
                    ("name", "Forum"), ("type", "SUPPORT_FORUM"), ("sourceType", "URL"),
                    ("url", "https://forum.example/"),
                ],
                csrf: page.csrf
            )
            #expect(url.status == .seeOther)
            let badURL = try await browser.post(
                "/publisher/apis/\(id)/documents",
                [("name", "Bad"), ("type", "HOWTO"), ("sourceType", "URL"), ("url", "javascript:alert(1)")],
                csrf: page.csrf
            )
            #expect(badURL.status == .badRequest)
            #expect(badURL.html.contains("sourceUrl must be an http or https URL"))
            let documents = try await fixture.storage.documents(apiID: id)
            #expect(Set(documents.map(\.name)) == ["Getting started", "Forum"])
            let listed = try await browser.get("/publisher/apis/\(id)/documents")
            #expect(listed.html.contains("# Hello"))
            #expect(listed.html.contains("https://forum.example/"))
            let guide = try #require(documents.first { $0.name == "Getting started" })
            let deleted = try await browser.post(
                "/publisher/apis/\(id)/documents/\(guide.id)/delete",
                [],
                csrf: listed.csrf
            )
            #expect(deleted.status == .seeOther)
            #expect(try await fixture.storage.documents(apiID: id).map(\.name) == ["Forum"])
        }
    }

    @Test func aPublisherBlocksAndUnblocksSubscriptionsAndCopiesAVersion() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("chris", area: "publisher")
            let id = try await Self.createAPI(browser)
            let other = try await Self.createAPI(browser, Self.apiFields("Other", context: "/other"))
            #expect(try await browser.get("/publisher/apis/new").html.contains("Create an API"))
            browser.forget()
            try await browser.signIn("pat", area: "publisher")
            // A publisher creates no APIs.
            #expect(try await browser.get("/publisher/apis/new").status == .forbidden)
            let page = try await browser.get("/publisher/apis/\(id)")
            _ = try await browser.post("/publisher/apis/\(id)/lifecycle", [("action", "Publish")], csrf: page.csrf)
            let application = try await fixture.keyManager.createApplication(name: "Shop", owner: "alice")
            let subscription = try await fixture.keyManager.subscribe(
                applicationID: application.id,
                apiID: id,
                tier: "Gold"
            )
            let list = try await browser.get("/publisher/apis/\(id)/subscriptions")
            #expect(list.html.contains("Shop"))
            #expect(list.html.contains("alice"))
            let blocked = try await browser.post(
                "/publisher/apis/\(id)/subscriptions/\(subscription.id)",
                [("status", "BLOCKED")],
                csrf: list.csrf
            )
            #expect(blocked.status == .seeOther)
            #expect(try await fixture.storage.subscription(id: subscription.id)?.status == .blocked)
            _ = try await browser.post(
                "/publisher/apis/\(id)/subscriptions/\(subscription.id)",
                [("status", "UNBLOCKED")],
                csrf: list.csrf
            )
            #expect(try await fixture.storage.subscription(id: subscription.id)?.status == .unblocked)

            // A subscription of another API cannot be changed through this API's page.
            let forged = try await browser.post(
                "/publisher/apis/\(other)/subscriptions/\(subscription.id)",
                [("status", "BLOCKED")],
                csrf: list.csrf
            )
            #expect(forged.status == .notFound)
            #expect(try await fixture.storage.subscription(id: subscription.id)?.status == .unblocked)

            browser.forget()
            try await browser.signIn("chris", area: "publisher")
            let overview = try await browser.get("/publisher/apis/\(id)")
            let copied = try await browser.post(
                "/publisher/apis/\(id)/copy",
                [("newVersion", "2.0.0")],
                csrf: overview.csrf
            )
            #expect(copied.status == .seeOther)
            let versions = try await fixture.storage.apis().filter { $0.name == "Pizza" }.map(\.version).sorted()
            #expect(versions == ["1.0.0", "2.0.0"])
        }
    }

    @Test func usageChartsAreInlineSVGFromTheStatisticsQuery() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("chris", area: "publisher")
            let id = try await Self.createAPI(browser)
            let application = try await fixture.keyManager.createApplication(name: "<b>Shop</b>", owner: "alice")
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let events: [UsageEvent] = (0..<6).map { (index: Int) -> UsageEvent in
                let throttled = index == 0
                let time: Int64 = now - Int64(index) * 60_000
                return UsageEvent(
                    requestTime: time,
                    apiName: "Pizza",
                    apiContext: "/pizza/1.0.0",
                    apiVersion: "1.0.0",
                    resourceTemplate: "/menu",
                    resourcePath: "/menu",
                    method: "GET",
                    applicationID: application.id,
                    responseCode: throttled ? 429 : 200,
                    responseTimeMillis: Double(10 + index),
                    throttledOutReason: throttled ? "SUBSCRIPTION_LIMIT_EXCEEDED" : nil
                )
            }
            try await fixture.storage.recordUsage(events)
            let page = try await browser.get("/publisher/apis/\(id)/usage?range=1h")
            #expect(page.status == .ok)
            #expect(page.html.contains(#"data-testid="usage-requests">6<"#))
            #expect(page.html.components(separatedBy: "<svg ").count - 1 == 4)
            #expect(page.html.contains("Top applications"))
            #expect(page.html.contains("&lt;b&gt;Shop&lt;/b&gt;"))
            #expect(!page.html.contains("<b>Shop</b>"))
        }
    }

    // MARK: - Helpers

    /// The lifecycle actions offered on a page, in order.
    static func actions(_ html: String) -> [String] {
        let parts: [String] = html.components(separatedBy: #"name="action" value=""#)
        return parts.dropFirst().map { (part: String) -> String in String(part.prefix { $0 != "\"" }) }
    }

    static func deployedFiles(_ fixture: PortalFixture) throws -> [String] {
        let writer = try #require(fixture.services.lifecycleExecutor.deployer as? DeploymentFolderWriter)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: writer.apiFolder)) ?? []
        return files.filter { $0.hasSuffix(".xml") }.sorted()
    }
}
