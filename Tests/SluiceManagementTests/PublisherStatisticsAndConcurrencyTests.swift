import Foundation
import SluiceManagement
import SluiceModel
import SluiceStorage
import Testing

@Suite(.timeLimit(.minutes(1))) struct PublisherStatisticsAndConcurrencyTests {
    static func event(_ api: String, _ version: String, _ resource: String, status: Int, app: String?, at millis: Int64)
        -> UsageEvent
    {
        UsageEvent(
            requestTime: millis,
            apiName: api,
            apiContext: "/\(api.lowercased())/\(version)",
            apiVersion: version,
            resourceTemplate: resource,
            resourcePath: resource,
            method: "GET",
            applicationID: app,
            responseCode: status,
            responseTimeMillis: 10
        )
    }

    @Test func usageStatisticsAndMostUsed() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let pizza = try await client.publishedAPI(Client.apiJSON(name: "Pizza", context: "/pizza"))
            _ = try await client.publishedAPI(Client.apiJSON(name: "Salad", context: "/salad"))
            let base: Int64 = 1_700_000_000_000
            try await fixture.storage.recordUsage([
                Self.event("Pizza", "1.0.0", "/menu", status: 200, app: "a1", at: base),
                Self.event("Pizza", "1.0.0", "/menu", status: 200, app: "a1", at: base + 1),
                Self.event("Pizza", "1.0.0", "/order", status: 500, app: "a2", at: base + 2),
                Self.event("Salad", "1.0.0", "/menu", status: 200, app: "a1", at: base + 3),
                Self.event("Pizza", "2.0.0", "/menu", status: 200, app: "a1", at: base + 4),
            ])
            let answer = try await client.get("\(Client.publisher)/apis/\(pizza)/usage", as: "pat")
            #expect(answer.status == .ok, "\(answer.text)")
            let usage = try answer.object
            let total = try #require(usage["total"] as? [String: Any])
            #expect(total["requestCount"] as? Int == 3)
            #expect(total["errorCount"] as? Int == 1)
            let resources = try #require(usage["resources"] as? [[String: Any]])
            #expect(resources.compactMap { $0["requestCount"] as? Int }.sorted() == [1, 2])
            let applications = try #require(usage["applications"] as? [[String: Any]])
            #expect(Set(applications.compactMap { $0["key"] as? String }) == ["a1", "a2"])

            let windowed = try await client.get(
                "\(Client.publisher)/apis/\(pizza)/usage?from=2024-01-01T00:00:00Z&to=2030-01-01T00:00:00Z",
                as: "pat"
            )
            #expect(try windowed.object["total"] == nil)
            #expect(
                try await client.get("\(Client.publisher)/apis/\(pizza)/usage?from=yesterday", as: "pat").status
                    == .badRequest
            )
            #expect(try await client.get("\(Client.publisher)/apis/\(pizza)/usage", as: "alice").status == .forbidden)

            let mostUsed = try await client.get("\(Client.devportal)/apis?sortBy=usage")
            #expect(try mostUsed.list.map { $0["name"] as? String } == ["Pizza", "Salad"])
        }
    }

    /// The gateway records calls under the artifact name (`provider--Name`); the statistics and the store's
    /// "most used" order count them.
    @Test func usageRecordedUnderTheGatewayArtifactNameIsCounted() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let pizza = try await client.publishedAPI(Client.apiJSON(name: "Pizza", context: "/pizza"))
            _ = try await client.publishedAPI(Client.apiJSON(name: "Apple", context: "/apple"))
            let base: Int64 = 1_700_000_000_000
            try await fixture.storage.recordUsage([
                Self.event("chris--Pizza", "1.0.0", "/menu", status: 200, app: "a1", at: base),
                Self.event("chris--Pizza", "1.0.0", "/menu", status: 200, app: "a1", at: base + 1),
                Self.event("chris--Apple", "2.0.0", "/menu", status: 200, app: "a1", at: base + 2),
            ])
            let usage = try await client.get("\(Client.publisher)/apis/\(pizza)/usage", as: "pat").object
            let total = try #require(usage["total"] as? [String: Any])
            #expect(total["requestCount"] as? Int == 2)
            let mostUsed = try await client.get("\(Client.devportal)/apis?sortBy=usage")
            #expect(try mostUsed.list.map { $0["name"] as? String } == ["Pizza", "Apple"])
        }
    }

    /// Concurrent creations that clash on the context: the checks and the insert run as one step, so exactly
    /// one API gets the context.
    @Test func concurrentCreationsCannotShareAContext() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let body = Client.apiJSON(name: "Clash\(index)", context: "/clash", version: "\(index).0")
                        return try await client.post("\(Client.publisher)/apis", as: "chris", json: body).status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 400 }.count == 7)
            #expect(try await fixture.storage.apis().count == 1)
        }
    }

    /// Concurrent lifecycle changes of one API apply one after the other: the folder matches the final state.
    @Test func concurrentLifecycleChangesStayConsistent() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for action in ["Publish", "Deploy as a Prototype", "Publish", "Deploy as a Prototype"] {
                    group.addTask { try await client.lifecycle(id, action).status.code }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(results.contains(200))
            let state = try #require(try await fixture.storage.api(id: id)?.lifecycleState)
            let history = try await fixture.storage.lifecycleHistory(apiID: id)
            #expect(history.count == results.filter { $0 == 200 }.count + 1)
            for (previous, next) in zip(history, history.dropFirst()) {
                #expect(next.previousState == previous.newState)
            }
            #expect(history.last?.newState == state)
            let artifact = try fixture.artifact("chris--PizzaShack_v1.0.0.xml")
            #expect(artifact.contains("APIAuthenticationHandler") == (state == .published))
        }
    }
}
