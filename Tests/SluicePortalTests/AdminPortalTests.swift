import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SluiceArtifacts
import SluiceControlPlane
import SluiceManagement
import SluiceModel
import SluicePortal
import SluiceStorage
import Synchronization
import Testing

/// The Admin pages: only administrators get in; users, roles and throttling policies change through the admin
/// REST API's logic, policy changes reach the gateway hook, and every form needs the CSRF token.
@Suite struct AdminPortalTests {
    /// The fixture's storage and users, with services whose policy hook records the changes.
    final class Harness: Sendable {
        /// The policy changes the services reported, in order.
        final class ChangeLog: Sendable {
            private let changes = Mutex<[ThrottlingPolicyChange]>([])

            func append(_ change: ThrottlingPolicyChange) { changes.withLock { $0.append(change) } }

            var all: [ThrottlingPolicyChange] { changes.withLock { $0 } }
        }

        let fixture: PortalFixture
        private let log = ChangeLog()

        init() async throws {
            fixture = try await PortalFixture()
        }

        var recorded: [ThrottlingPolicyChange] { log.all }

        func test(_ body: @escaping @Sendable (Browser) async throws -> Void) async throws {
            let log = log
            let services = APIManagerServices(
                keyManager: fixture.keyManager,
                storage: fixture.storage,
                lifecycleExecutor: fixture.services.lifecycleExecutor,
                configuration: APIManagerConfiguration(onThrottlingPolicyChange: { log.append($0) })
            )
            let router = Router()
            ManagementRoutes.addAPIManagerRoutes(to: router, services: services)
            PortalRoutes.add(to: router, services: services, configuration: fixture.configuration)
            try await Application(router: router).test(.router) { client in try await body(Browser(client: client)) }
        }
    }

    @Test func onlyAdministratorsReachTheAdminPages() async throws {
        let harness = try await Harness()
        try await harness.test { browser in
            let anonymous = try await browser.get("/admin/users")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.location?.hasPrefix("/admin/signin?next=") == true)
            for user in ["pat", "chris", "alice"] {
                browser.forget()
                try await browser.signIn(user, area: "store")
                for uri in ["/admin", "/admin/users", "/admin/policies", "/admin/policies/subscription/new"] {
                    #expect(try await browser.get(uri).status == .forbidden, "\(user) \(uri)")
                }
                // Even with the session's own token, a non-administrator's form changes nothing.
                let token = try await browser.get("/store").csrf
                let post = try await browser.post(
                    "/admin/users",
                    [("username", "mallory"), ("password", "mallory-password"), ("roles", "admin")],
                    csrf: token
                )
                #expect(post.status == .forbidden)
            }
            #expect(try await harness.fixture.storage.user(named: "mallory") == nil)
        }
    }

    @Test func anAdministratorCreatesAUserAndChangesRoles() async throws {
        let harness = try await Harness()
        try await harness.test { browser in
            try await browser.signIn("admin", area: "admin")
            let page = try await browser.get("/admin/users")
            #expect(page.status == .ok)
            #expect(page.html.contains("chris"))
            let created = try await browser.post(
                "/admin/users",
                [
                    ("username", "dora"), ("email", "dora@example.com"), ("password", "dora-password-1"),
                    ("roles", Role.creator.name), ("roles", Role.subscriber.name),
                ],
                csrf: page.csrf
            )
            #expect(created.status == .seeOther)
            let dora = try #require(try await harness.fixture.storage.user(named: "dora"))
            #expect(Set(dora.roles) == [Role.creator.name, Role.subscriber.name])
            #expect(dora.passwordHash != "dora-password-1")

            let refused = try await browser.post(
                "/admin/users",
                [("username", "eddie"), ("password", "short-pw-secret-x"), ("roles", "Internal/nobody")],
                csrf: page.csrf
            )
            #expect(refused.status == .badRequest)
            #expect(refused.html.contains("Unknown role"))
            #expect(!refused.html.contains("short-pw-secret-x"))
            #expect(try await harness.fixture.storage.user(named: "eddie") == nil)

            let changed = try await browser.post(
                "/admin/users/dora/roles",
                [("roles", Role.publisher.name)],
                csrf: page.csrf
            )
            #expect(changed.status == .seeOther)
            #expect(try await harness.fixture.storage.user(named: "dora")?.roles == [Role.publisher.name])
            // An administrator cannot lock themselves out.
            _ = try await browser.post("/admin/users/admin/roles", [("roles", Role.publisher.name)], csrf: page.csrf)
            #expect(try await harness.fixture.storage.user(named: "admin")?.roles.contains(Role.admin.name) == true)
            #expect(try await browser.get("/admin/users").html.contains("cannot remove the admin role"))
        }
    }

    @Test func aRoleTakenAwayClosesThePublisherAtOnce() async throws {
        let harness = try await Harness()
        try await harness.test { browser in
            try await browser.signIn("pat", area: "publisher")
            #expect(try await browser.get("/publisher").status == .ok)
            try await harness.fixture.storage.setRoles([Role.subscriber.name], forUser: "pat")
            #expect(try await browser.get("/publisher").status == .forbidden)
        }
    }

    @Test func subscriptionTiersAreCreatedEditedAndDeletedAndReachTheGateways() async throws {
        let harness = try await Harness()
        try await harness.test { browser in
            try await browser.signIn("admin", area: "admin")
            let list = try await browser.get("/admin/policies?level=subscription")
            #expect(list.html.contains("Gold"))
            let form = try await browser.get("/admin/policies/subscription/new")
            #expect(form.status == .ok)
            let created = try await browser.post(
                "/admin/policies/subscription",
                [
                    ("name", "Platinum"), ("displayName", "Platinum plan"), ("description", "For partners"),
                    ("requestCount", "500"), ("unitTime", "1"), ("timeUnit", "min"), ("burstCount", "20"),
                    ("burstTimeUnit", "sec"), ("billingPlan", "COMMERCIAL"), ("stopOnQuotaReach", "true"),
                ],
                csrf: form.csrf
            )
            #expect(created.status == .seeOther)
            let stored = try #require(
                try await harness.fixture.storage.policies(level: .subscription).first { $0.name == "Platinum" }
            )
            #expect(stored.maxCount == 500)
            #expect(stored.unitTime == 60_000)
            #expect(stored.burstLimit == 20)
            #expect(stored.billingPlan == "COMMERCIAL")
            #expect(harness.recorded == [.upserted(stored, level: .subscription)])

            let invalid = try await browser.post(
                "/admin/policies/subscription",
                [("name", "Bad name!"), ("requestCount", "0"), ("unitTime", "1"), ("timeUnit", "min")],
                csrf: form.csrf
            )
            #expect(invalid.status == .badRequest)
            // The form's labels, not the REST API's field names.
            #expect(invalid.html.contains("Name must be"))
            #expect(!invalid.html.contains("policyName"))
            let badCount = try await browser.post(
                "/admin/policies/subscription",
                [("name", "Zero"), ("requestCount", "0"), ("unitTime", "1"), ("timeUnit", "min")],
                csrf: form.csrf
            )
            #expect(badCount.html.contains("Requests must be at least 1"), "\(badCount.html)")
            #expect(!badCount.html.contains("defaultLimit"))
            let duplicate = try await browser.post(
                "/admin/policies/subscription",
                [("name", "Platinum"), ("requestCount", "5"), ("unitTime", "1"), ("timeUnit", "min")],
                csrf: form.csrf
            )
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.html.contains("already exists"))

            let edit = try await browser.get("/admin/policies/subscription/Platinum/edit")
            #expect(edit.html.contains(#"value="500""#))
            let saved = try await browser.post(
                "/admin/policies/subscription/Platinum",
                [("requestCount", "900"), ("unitTime", "1"), ("timeUnit", "hour"), ("billingPlan", "FREE")],
                csrf: edit.csrf
            )
            #expect(saved.status == .seeOther)
            let updated = try #require(
                try await harness.fixture.storage.policies(level: .subscription).first { $0.name == "Platinum" }
            )
            #expect(updated.maxCount == 900)
            #expect(updated.unitTime == 3_600_000)

            let deleted = try await browser.post("/admin/policies/subscription/Platinum/delete", [], csrf: edit.csrf)
            #expect(deleted.status == .seeOther)
            #expect(try await harness.fixture.storage.policies(level: .subscription).isEmpty)
            #expect(harness.recorded.last == .removed(name: "Platinum", level: .subscription))

            // Application and advanced levels refuse subscription-only settings the same way as the REST API.
            let app = try await browser.post(
                "/admin/policies/application",
                [("name", "Huge"), ("requestCount", "100"), ("unitTime", "1"), ("timeUnit", "min")],
                csrf: edit.csrf
            )
            #expect(app.status == .seeOther)
            #expect(try await harness.fixture.storage.policies(level: .application).map(\.name) == ["Huge"])
            #expect(try await browser.get("/admin/policies/bogus/new").status == .notFound)
        }
    }

    /// Bandwidth policies are created and edited through the form with the admin REST API's checks; a bad amount
    /// or unit saves nothing.
    @Test func bandwidthPoliciesAreCreatedAndEditedThroughTheForm() async throws {
        let harness = try await Harness()
        try await harness.test { browser in
            try await browser.signIn("admin", area: "admin")
            let form = try await browser.get("/admin/policies/subscription/new")
            #expect(form.html.contains(#"name="limitType" value="bandwidth""#))
            let fields: [(String, String)] = [
                ("name", "Streaming"), ("limitType", "bandwidth"), ("dataAmount", "50"), ("dataUnit", "MB"),
                ("unitTime", "1"), ("timeUnit", "hour"), ("billingPlan", "FREE"), ("stopOnQuotaReach", "true"),
            ]
            // Without the CSRF token nothing is stored.
            #expect(try await browser.post("/admin/policies/subscription", fields, csrf: nil).status == .forbidden)
            #expect(try await harness.fixture.storage.policies(level: .subscription).isEmpty)

            let created = try await browser.post("/admin/policies/subscription", fields, csrf: form.csrf)
            #expect(created.status == .seeOther)
            let stored = try #require(
                try await harness.fixture.storage.policies(level: .subscription).first { $0.name == "Streaming" })
            #expect(stored.maxCount == nil)
            #expect(stored.unitTime == 3_600_000)
            #expect(AdminService.bandwidth(of: stored)?.dataAmount == 50)
            #expect(AdminService.bandwidth(of: stored)?.dataUnit == "MB")
            #expect(harness.recorded == [.upserted(stored, level: .subscription)])
            let list = try await browser.get("/admin/policies?level=subscription")
            #expect(list.html.contains("50 MB per 1 hour"))
            #expect(list.html.contains("/admin/policies/subscription/Streaming/edit"))

            // Refused like the REST API refuses them; nothing changes.
            let refusals: [([(String, String)], String)] = [
                ([("dataAmount", "0"), ("dataUnit", "MB")], "Data must be at least 1"),
                ([("dataAmount", "-5"), ("dataUnit", "KB")], "Data must be at least 1"),
                ([("dataAmount", "lots"), ("dataUnit", "MB")], "The data amount must be a whole number"),
                ([("dataAmount", "10"), ("dataUnit", "GB")], "The data unit must be KB or MB"),
            ]
            for (index, (limit, message)) in refusals.enumerated() {
                let name = "Bad\(index)"
                let refused = try await browser.post(
                    "/admin/policies/subscription",
                    [("name", name), ("limitType", "bandwidth"), ("unitTime", "1"), ("timeUnit", "min")] + limit,
                    csrf: form.csrf
                )
                #expect(refused.status == .badRequest, "\(limit)")
                #expect(refused.html.contains(message), "\(message)")
            }
            let unknownType = try await browser.post(
                "/admin/policies/subscription",
                [("name", "Odd"), ("limitType", "tokens"), ("requestCount", "5"), ("unitTime", "1"), ("timeUnit", "min")],
                csrf: form.csrf
            )
            #expect(unknownType.status == .badRequest)
            #expect(try await harness.fixture.storage.policies(level: .subscription).map(\.name) == ["Streaming"])

            // Edit: the form shows the bandwidth limit; a bad amount keeps the stored one; a good one replaces it.
            let edit = try await browser.get("/admin/policies/subscription/Streaming/edit")
            #expect(edit.status == .ok)
            #expect(edit.html.contains(#"value="bandwidth" checked"#))
            #expect(edit.html.contains(#"name="dataAmount" value="50""#))
            let badEdit = try await browser.post(
                "/admin/policies/subscription/Streaming",
                [("limitType", "bandwidth"), ("dataAmount", "0"), ("dataUnit", "KB"), ("unitTime", "1"), ("timeUnit", "min")],
                csrf: edit.csrf
            )
            #expect(badEdit.status == .badRequest)
            #expect(try await harness.fixture.storage.policies(level: .subscription).first == stored)
            let saved = try await browser.post(
                "/admin/policies/subscription/Streaming",
                [("limitType", "bandwidth"), ("dataAmount", "512"), ("dataUnit", "KB"), ("unitTime", "10"), ("timeUnit", "min")],
                csrf: edit.csrf
            )
            #expect(saved.status == .seeOther)
            let updated = try #require(try await harness.fixture.storage.policies(level: .subscription).first)
            #expect(AdminService.bandwidth(of: updated)?.dataAmount == 512)
            #expect(AdminService.bandwidth(of: updated)?.dataUnit == "KB")
            #expect(updated.unitTime == 600_000)

            // Back to a request count, and an application-level bandwidth policy.
            let counted = try await browser.post(
                "/admin/policies/subscription/Streaming",
                [("limitType", "requestCount"), ("requestCount", "100"), ("unitTime", "1"), ("timeUnit", "min")],
                csrf: edit.csrf
            )
            #expect(counted.status == .seeOther)
            let recounted = try #require(try await harness.fixture.storage.policies(level: .subscription).first)
            #expect(recounted.maxCount == 100)
            #expect(AdminService.bandwidth(of: recounted) == nil)
            let app = try await browser.post(
                "/admin/policies/application",
                [("name", "AppData"), ("limitType", "bandwidth"), ("dataAmount", "5"), ("dataUnit", "KB"),
                 ("unitTime", "1"), ("timeUnit", "sec")],
                csrf: edit.csrf
            )
            #expect(app.status == .seeOther)
            #expect(try await harness.fixture.storage.policies(level: .application).first.flatMap(AdminService.bandwidth)?.dataAmount == 5)
        }
    }

    @Test func everyAdminFormNeedsTheCSRFToken() async throws {
        let harness = try await Harness()
        try await harness.test { browser in
            try await browser.signIn("admin", area: "admin")
            let posts: [(String, [(String, String)])] = [
                ("/admin/users", [("username", "zed"), ("password", "zed-password-1"), ("roles", "admin")]),
                ("/admin/users/pat/roles", [("roles", "admin")]),
                (
                    "/admin/policies/subscription",
                    [("name", "X"), ("requestCount", "1"), ("unitTime", "1"), ("timeUnit", "min")]
                ),
                ("/admin/policies/subscription/Gold", [("requestCount", "1"), ("unitTime", "1"), ("timeUnit", "min")]),
                ("/admin/policies/subscription/Gold/delete", []),
            ]
            for (uri, fields) in posts {
                #expect(try await browser.post(uri, fields, csrf: nil).status == .forbidden, "\(uri)")
                #expect(try await browser.post(uri, fields, csrf: "forged").status == .forbidden, "\(uri)")
            }
            #expect(try await harness.fixture.storage.user(named: "zed") == nil)
            #expect(try await harness.fixture.storage.user(named: "pat")?.roles == [Role.publisher.name])
            #expect(try await harness.fixture.storage.policies(level: .subscription).isEmpty)
            #expect(harness.recorded.isEmpty)
        }
    }
}
