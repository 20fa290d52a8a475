import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// Issue #12, item 9: passwords could be guessed 30 times a second over REST Basic auth and the password grant.
/// One throttle now covers every credential entry point, per (name, address) with doubling delays plus a budget
/// per address; the owner signing in from elsewhere is never locked out.
@Suite struct LoginThrottleTests {
    static func basic(_ user: String, _ password: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    @Test func restBasicAuthGuessesAreDelayedForTheGuesserOnly() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.testGuarded { client in
            let attacker = client("203.0.113.50")
            let uri = "\(Client.admin)/users"
            for attempt in 1...5 {
                let answer = try await attacker.send(.get, uri, headers: Self.basic("admin", "guess-\(attempt)"))
                #expect(answer.status == .unauthorized)
            }
            // The sixth attempt is refused before any password check, even with the right password.
            let refused = try await attacker.send(.get, uri, headers: Self.basic("admin", ManagementFixture.password("admin")))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "1")
            // The owner, from their own address, is not affected.
            #expect(try await client("198.51.100.2").get(uri, as: "admin").status == .ok)
            // The guesser waits twice as long after each further failure.
            fixture.clock.advance(by: 1)
            #expect(try await attacker.send(.get, uri, headers: Self.basic("admin", "guess-6")).status == .unauthorized)
            #expect(try await attacker.send(.get, uri, headers: Self.basic("admin", "guess-7")).headers[.retryAfter] == "2")
        }
    }

    @Test func sprayingNamesFromOneAddressRunsOutOfItsBudget() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.testGuarded { client in
            let sprayer = client("203.0.113.51")
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<31 {
                statuses.append(try await sprayer.send(.get, "\(Client.admin)/users", headers: Self.basic("user\(index)", "x")).status)
            }
            #expect(statuses.prefix(30).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            #expect(try await client("198.51.100.3").get("\(Client.admin)/users", as: "admin").status == .ok)
        }
    }

    @Test func thePasswordGrantAndClientAuthenticationShareTheThrottle() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.testGuarded { client in
            let attacker = client("203.0.113.52")
            let apiID = try await attacker.publishedAPI()
            let keys = try await ScopeAndRoleTests.subscribedKeys(attacker, owner: "alice", apiID: apiID)
            for attempt in 1...5 {
                let answer = try await ScopeAndRoleTests.token(
                    attacker, keys, "grant_type=password&username=bob&password=guess-\(attempt)"
                )
                #expect(answer.status == .badRequest)
            }
            let refused = try await ScopeAndRoleTests.token(
                attacker, keys, "grant_type=password&username=bob&password=\(ManagementFixture.password("bob"))"
            )
            #expect(refused.status == .tooManyRequests)
            #expect(try refused.object["error"] as? String == "temporarily_unavailable")
            #expect(refused.headers[.retryAfter] == "1")
            // The same user's REST Basic sign-in from that address waits too: one throttle.
            #expect(try await attacker.get("\(Client.devportal)/applications", as: "bob").status == .tooManyRequests)

            // Client secrets: the same rule, keyed by the consumer key.
            for _ in 1...5 {
                #expect(try await ScopeAndRoleTests.token(attacker, (keys.0, "wrong"), "grant_type=client_credentials").status == .unauthorized)
            }
            #expect(try await ScopeAndRoleTests.token(attacker, keys, "grant_type=client_credentials").status == .tooManyRequests)
            #expect(try await ScopeAndRoleTests.token(client("198.51.100.4"), keys, "grant_type=client_credentials").status == .ok)
        }
    }
}
