import Foundation
import HTTPTypes
import SluiceControlPlane
import SluiceManagement
import SluiceModel
import SluiceStorage
import Testing

/// Issue #12, item 1: `query=description:**************zzz` against many APIs cost ~40 s of CPU anonymously.
/// Search is now linear in the values searched, queries are bounded, and anonymous clients are rate-limited.
@Suite struct SearchCostTests {
    /// Stores `count` published APIs with long descriptions that almost match the attack pattern.
    static func storeAPIs(_ fixture: ManagementFixture, count: Int, descriptionLength: Int) async throws {
        let description = String(repeating: "z", count: descriptionLength / 2) + String(repeating: "a", count: descriptionLength / 2)
        for index in 0..<count {
            try await fixture.storage.createAPI(
                APIRecord(
                    id: "api-\(index)", provider: "chris", name: "Search\(index)", version: "1.0.0",
                    context: "/search\(index)", description: description, lifecycleState: .published,
                    createdAt: Date(), updatedAt: Date()
                ),
                actor: "chris"
            )
        }
    }

    static func total(_ answer: Answer) throws -> Int? {
        (try answer.object["pagination"] as? [String: Any])?["total"] as? Int
    }

    @Test func aWildcardQueryCostsWorkLinearInTheDescriptionsSearched() async throws {
        let fixture = try await ManagementFixture()
        let (count, length) = (200, 400)
        try await Self.storeAPIs(fixture, count: count, descriptionLength: length)
        try await fixture.test { client in
            let query = "description:" + String(repeating: "*", count: 14) + "zzz"
            let before = fixture.services.searchWork.comparisons
            let answer = try await client.get("\(Client.devportal)/apis?query=\(Client.encode(query))")
            #expect(answer.status == .ok)
            #expect(try Self.total(answer) == 0, "the descriptions end in 'a': none matches")
            // Backtracking costs a power of the length per star; a linear matcher at most about two comparisons
            // per byte of each description.
            let work = fixture.services.searchWork.comparisons - before
            #expect(work > 0)
            #expect(work <= 2 * count * (length + query.utf8.count), "\(work) comparisons")

            // The same budget holds for patterns that match, with stars between pieces.
            let matching = "description:*z*za*a"
            let start = fixture.services.searchWork.comparisons
            let found = try await client.get("\(Client.devportal)/apis?query=\(Client.encode(matching))")
            #expect(try Self.total(found) == count)
            #expect(fixture.services.searchWork.comparisons - start <= 2 * count * (length + matching.utf8.count))
        }
    }

    @Test func globsMatchAsBefore() throws {
        let cases: [(String, String, Bool)] = [
            ("piz*", "pizzashack", true), ("*shack", "pizzashack", true), ("p*z*k", "pizzashack", true),
            ("*", "", true), ("a*a", "a", false), ("a*a", "aa", true), ("*zzz", "zzazz", false),
            ("**", "x", true), ("pizzashack", "pizzashack", true), ("pizza", "pizzashack", false),
            ("*b*c*", "abcd", true), ("*c*b*", "abcd", false),
        ]
        for (pattern, value, expected) in cases {
            var steps = 0
            let matched = WildcardPattern(pattern, anchoring: .whole).matches(Array(value.utf8), steps: &steps)
            #expect(matched == expected, "\(pattern) ~ \(value)")
        }
        var steps = 0
        #expect(WildcardPattern("shack", anchoring: .anywhere).matches(Array("pizzashack".utf8), steps: &steps))
        #expect(!WildcardPattern("shock", anchoring: .anywhere).matches(Array("pizzashack".utf8), steps: &steps))
    }

    @Test func aQueryLongerThan400CharactersIsRefused() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let long = "name:" + String(repeating: "a", count: 400)
            let answer = try await client.get("\(Client.devportal)/apis?query=\(long)")
            #expect(answer.status == .badRequest)
            #expect(answer.errorDescription.contains("longer than 400 characters"))
            let publisher = try await client.get("\(Client.publisher)/apis?query=\(long)", as: "chris")
            #expect(publisher.status == .badRequest)
        }
    }

    @Test func anonymousClientsAreRateLimitedPerAddress() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.testGuarded(anonymousRateLimit: AnonymousRateLimit(burst: 3, perSecond: 0.5)) { client in
            let attacker = client("203.0.113.9")
            for _ in 0..<3 { #expect(try await attacker.get("\(Client.devportal)/apis").status == .ok) }
            let limited = try await attacker.get("\(Client.devportal)/apis")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "2")
            // Others, and the same address with credentials, are served.
            #expect(try await client("198.51.100.1").get("\(Client.devportal)/apis").status == .ok)
            #expect(try await attacker.get("\(Client.devportal)/apis", as: "alice").status == .ok)
            // The bucket refills.
            fixture.clock.advance(by: 2)
            #expect(try await attacker.get("\(Client.devportal)/apis").status == .ok)
            #expect(try await attacker.get("\(Client.devportal)/apis").status == .tooManyRequests)
        }
    }
}
