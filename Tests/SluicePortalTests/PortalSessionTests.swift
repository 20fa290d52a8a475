import Foundation
import HTTPTypes
import SluicePortal
import SluiceTesting
import Testing

/// Session cookies, expiry, fixation, `next` redirects and the sign-in gate.
@Suite struct PortalSessionTests {
    @Test func cookieAttributes() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let form = try await browser.get("/store/signin")
            let anonymous = try #require(form.setCookie)
            #expect(anonymous.contains("HttpOnly"))
            let page = try await browser.signIn("alice")
            let cookie = try #require(page.setCookie)
            let attributes = Set(cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(attributes.isSuperset(of: ["HttpOnly", "SameSite=Strict", "Path=/", "Secure"]))
            #expect(attributes.contains("Max-Age=28800"))
            let value = try #require(browser.sessionID)
            // 256 bits in base64url: 43 characters.
            #expect(value.count == 43)
            #expect(value.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
        let plain = try await PortalFixture(secureCookies: false)
        try await plain.test { browser, _ in
            let cookie = try #require(try await browser.signIn("alice").setCookie)
            #expect(!cookie.contains("Secure"))
            #expect(cookie.contains("HttpOnly"))
        }
    }

    @Test func signInStartsANewSessionAndRedirectsToNext() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            let form = try await browser.get("/store/signin")
            let before = try #require(browser.sessionID)
            let page = try await browser.post(
                "/store/signin",
                [("username", "alice"), ("password", PortalFixture.password("alice")), ("next", "/store/applications")],
                csrf: form.csrf
            )
            #expect(page.status == .seeOther)
            #expect(page.location == "/store/applications")
            let after = try #require(browser.sessionID)
            #expect(after != before)
            #expect(portal.sessions.session(id: before) == nil)
            #expect(portal.sessions.session(id: after)?.username == "alice")
            let home = try await browser.get("/store")
            #expect(home.html.contains("Signed in as alice."))
            #expect(home.html.contains(#"data-testid="current-user">alice<"#))
        }
    }

    @Test(arguments: [
        "//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "store", "",
        "/store/\u{0}x", "/store/a b",
    ])
    func nextOutsideTheSiteFallsBackToTheArea(next: String) async throws {
        #expect(Portal.safeNext(next, fallback: "/store") == "/store")
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            let page = try await browser.signIn("alice", next: next)
            #expect(page.location == "/store")
        }
    }

    @Test func nextWithinTheSiteIsKept() {
        #expect(Portal.safeNext("/store/apis/1?tab=docs", fallback: "/store") == "/store/apis/1?tab=docs")
        #expect(Portal.safeNext(nil, fallback: "/publisher") == "/publisher")
    }

    /// Issue #12, items 9 and 11: the sign-in form uses the one login throttle, keyed by user and address: the
    /// guesser waits, the owner signing in from elsewhere does not, and no one is locked out for long.
    @Test func repeatedFailuresSlowDownThatUserFromThatAddressOnly() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, portal in
            for _ in 0..<5 { #expect(try await browser.signIn("alice", password: "guess-guess-1").status == .unauthorized) }
            let paused = try await browser.signIn("alice")
            #expect(paused.status == .tooManyRequests)
            #expect(paused.headers[.retryAfter] == "1")
            #expect(paused.html.contains("Too many failed sign-ins"))
            #expect(portal.sessions.session(id: try #require(browser.sessionID))?.isSignedIn == false)
            // Other users from the same address are not affected, nor alice from her own machine.
            #expect(try await browser.signIn("bob").status == .seeOther)
            let owner = Browser(client: browser.client, address: "198.51.100.7")
            #expect(try await owner.signIn("alice").status == .seeOther)
            // Each further failure doubles the wait; the pause ends by itself.
            fixture.clock.advance(by: 1)
            #expect(try await browser.signIn("alice", password: "guess-guess-2").status == .unauthorized)
            #expect(try await browser.signIn("alice").headers[.retryAfter] == "2")
            fixture.clock.advance(by: 2)
            #expect(try await browser.signIn("alice").status == .seeOther)
        }
    }

    @Test func idleAndAbsoluteTimeouts() async throws {
        let clock = ManualWallClock()
        let store = PortalSessionStore(
            configuration: PortalConfiguration(idleTimeout: 60, absoluteTimeout: 300, now: { clock.now })
        )
        let session = store.create(username: "alice", roles: [])
        clock.advance(by: 59)
        #expect(store.session(id: session.id) != nil)
        clock.advance(by: 59)
        #expect(store.session(id: session.id) != nil, "each use extends the idle timeout")
        clock.advance(by: 61)
        #expect(store.session(id: session.id) == nil, "idle for more than a minute")

        let busy = store.create(username: "alice", roles: [])
        for _ in 0..<6 {
            clock.advance(by: 50)
            _ = store.session(id: busy.id)
        }
        #expect(store.session(id: busy.id) == nil, "past the absolute timeout however busy")
    }

    @Test func expiredSessionsSendTheBrowserToSignIn() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("alice")
            #expect(try await browser.get("/store").html.contains("current-user"))
            fixture.clock.advance(by: 31 * 60)
            let page = try await browser.get("/store")
            #expect(!page.html.contains("current-user"))
        }
    }

    @Test func sessionsPerUserAreCapped() {
        let store = PortalSessionStore(configuration: PortalConfiguration(maximumSessionsPerUser: 3))
        let sessions = (0..<5).map { _ in store.create(username: "alice", roles: []) }
        #expect(sessions.filter { store.session(id: $0.id) != nil }.map(\.id) == sessions.suffix(3).map(\.id))
        #expect(Set(sessions.map(\.id)).count == 5)
        #expect(Set(sessions.map(\.csrfToken)).count == 5)
    }

    @Test func totalSessionsAreCappedAnonymousFirst() {
        let store = PortalSessionStore(configuration: PortalConfiguration(maximumSessions: 3))
        let user = store.create(username: "alice", roles: [])
        for _ in 0..<10 { store.create() }
        #expect(store.count == 3)
        #expect(store.session(id: user.id) != nil)
    }

    @Test func flashShowsOnce() {
        let store = PortalSessionStore(configuration: PortalConfiguration())
        let session = store.create()
        store.setFlash(PortalSession.Flash("Saved."), id: session.id)
        #expect(store.takeFlash(id: session.id)?.message == "Saved.")
        #expect(store.takeFlash(id: session.id) == nil)
    }
}
