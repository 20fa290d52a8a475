import Foundation
import HTTPTypes
import SluicePortal
import Testing

/// Escaping, CSRF, security headers and the sign-in page of the portal foundation.
@Suite struct PortalSecurityTests {
    static let hostile = #"<script>alert("x")</script> & 'quoted' "double""#

    @Test func templatesAllParse() throws {
        _ = try PortalRenderer(templates: PortalRoutes.templates)
    }

    @Test func hostileTextIsEscapedInEveryLayoutAndPageField() throws {
        let renderer = try PortalRenderer(templates: PortalRoutes.templates)
        let html = try #require(
            renderer.html(
                "shared/error",
                [
                    "heading": Self.hostile, "message": Self.hostile, "homeHref": Self.hostile,
                    "layout": [
                        "pageTitle": Self.hostile, "areaTitle": Self.hostile, "areaPath": Self.hostile,
                        "signedIn": true, "username": Self.hostile, "csrf": Self.hostile,
                        "signInHref": Self.hostile,
                        "navigation": [["label": Self.hostile, "href": Self.hostile, "current": true]],
                        "flash": ["message": Self.hostile, "isError": true],
                    ] as [String: Any],
                ] as [String: Any]
            )
        )
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains(#"("x")"#))
        #expect(!html.contains("'quoted'"))
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &quot;double&quot;"
        // page title, heading, message, home link, area title (3x), area path, user, csrf, sign-in link, nav, flash
        #expect(html.components(separatedBy: escaped).count - 1 >= 10)
    }

    @Test func hostileAPINamesAreEscapedOnTheStoreHome() async throws {
        let fixture = try await PortalFixture()
        try await fixture.addAPI(name: Self.hostile, provider: "chris<b>")
        try await fixture.test { browser, _ in
            let page = try await browser.get("/store")
            #expect(page.status == .ok)
            #expect(!page.html.contains("<script>alert"))
            #expect(!page.html.contains("chris<b>"))
            #expect(page.html.contains("&lt;script&gt;alert(&quot;x&quot;)"))
        }
    }

    @Test func pagesCarryTheSecurityHeaders() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            for path in ["/store", "/store/signin", "/store/no-such-page"] {
                let page = try await browser.get(path)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                let policy = try #require(page.headers[.contentSecurityPolicy])
                #expect(policy.contains("default-src 'self'"))
                #expect(policy.contains("script-src 'self'"))
                #expect(policy.contains("style-src 'self'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                #expect(page.headers[.cacheControl] == "no-store")
            }
            #expect(try await browser.get("/store/no-such-page").status == .notFound)
            let css = try await browser.get("/portal/assets/portal.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.html.contains("@media"))
            #expect(try await browser.get("/portal/assets/portal.js").headers[.contentType]?.hasPrefix("text/javascript") == true)
        }
    }

    @Test func rootRedirectsToTheStore() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let page = try await browser.get("/")
            #expect(page.status == .seeOther)
            #expect(page.location == "/store")
        }
    }

    @Test func failedSignInSaysOnlyInvalidAndNeverEchoesThePassword() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            for (user, password) in [("alice", "wrong-password-xyz"), ("nosuchuser", "secret-guess-123")] {
                let page = try await browser.signIn(user, password: password)
                #expect(page.status == .unauthorized)
                #expect(page.html.contains("Invalid username or password"))
                #expect(!page.html.contains(password))
                #expect(page.html.contains(#"value="\#(user)""#))
            }
            // The anonymous session is still anonymous.
            let id = try #require(browser.sessionID)
            #expect(portal.sessions.session(id: id)?.isSignedIn == false)
        }
    }

    @Test func formsWithoutTheRightTokenAreRefusedAndChangeNothing() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            // Sign-in itself needs the token of the browser's session.
            let form = try await browser.get("/store/signin")
            let credentials = [("username", "alice"), ("password", PortalFixture.password("alice"))]
            let missing = try await browser.post("/store/signin", credentials, csrf: nil)
            #expect(missing.status == .forbidden)
            #expect(try await browser.post("/store/signin", credentials, csrf: "forged").status == .forbidden)
            #expect(portal.sessions.session(id: browser.sessionID ?? "")?.isSignedIn == false)
            _ = form
            try await browser.signIn("alice")
            let id = try #require(browser.sessionID)
            let token = try #require(portal.sessions.session(id: id)?.csrfToken)

            // Sign-out: missing, wrong, cross-site; the session survives each.
            #expect(try await browser.post("/portal/signout", [], csrf: nil).status == .forbidden)
            #expect(try await browser.post("/portal/signout", [], csrf: String(token.reversed())).status == .forbidden)
            let crossSite = try await browser.post(
                "/portal/signout",
                [],
                csrf: token,
                headers: [.origin: "https://evil.example", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            )
            #expect(crossSite.status == .forbidden)
            #expect(crossSite.html.contains("Reload the page"))
            #expect(portal.sessions.session(id: id)?.username == "alice")

            // The right token works.
            let signedOut = try await browser.post("/portal/signout", [], csrf: token)
            #expect(signedOut.status == .seeOther)
            #expect(portal.sessions.session(id: id) == nil)
        }
    }

    @Test func oversizedFormsAreRefusedAndChangeNothing() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            try await browser.signIn("alice")
            let token = try browser.csrf(portal)
            let page = try await browser.post(
                "/store/applications",
                [("name", "Huge"), ("tier", "Unlimited"), ("description", String(repeating: "x", count: 600_000))],
                csrf: token
            )
            #expect(page.status == .contentTooLarge)
            #expect(try await fixture.keyManager.applications(owner: "alice").isEmpty)
        }
    }

    @Test func nextIsEscapedInTheSignInForm() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let page = try await browser.get("/store/signin?next=%2Fstore%2F%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            #expect(!page.html.contains("<script>alert(1)"))
            #expect(page.html.contains(#"value="/store/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#))
        }
    }

    @Test func sameSiteOriginIsAccepted() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            try await browser.signIn("alice")
            let id = try #require(browser.sessionID)
            let token = try #require(portal.sessions.session(id: id)?.csrfToken)
            let page = try await browser.post(
                "/portal/signout",
                [],
                csrf: token,
                headers: [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
            )
            #expect(page.status == .seeOther)
        }
    }
}
