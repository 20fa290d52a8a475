import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// The rest of the repository contract, against each storage: case-insensitive names, ordering, feedback,
/// policies, usage statistics, and the errors for missing rows.
@Suite struct StorageContractMoreTests {
    @Test(arguments: StorageBackend.available)
    func userNamesAreCaseInsensitiveAndSortedSo(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            for role in Role.defaults { try await storage.saveRole(role) }
            for name in ["carol", "Bob", "alice"] {
                try await storage.createUser(
                    UserRecord(username: name, passwordHash: "h", roles: ["Internal/subscriber"], createdAt: StorageFixtures.now)
                )
            }
            #expect(try await storage.users().map(\.username) == ["alice", "Bob", "carol"])
            #expect(try await storage.userCount() == 3)
            try await storage.setPasswordHash("h2", forUser: "BOB")
            #expect(try await storage.user(named: "bob")?.passwordHash == "h2")
            try await storage.setRoles(["admin", "Internal/creator"], forUser: "Carol")
            #expect(try await storage.user(named: "carol")?.roles == ["Internal/creator", "admin"])
            await #expect(throws: StorageError.notFound("user dave")) {
                try await storage.setPasswordHash("x", forUser: "dave")
            }
            await #expect(throws: StorageError.notFound("role ghost")) {
                try await storage.setRoles(["ghost"], forUser: "alice")
            }
            // A failed role change leaves the roles as they were.
            #expect(try await storage.user(named: "alice")?.roles == ["Internal/subscriber"])
            try await storage.saveRole(Role(name: "admin", scopes: ["a", "b"]))
            #expect(try await storage.roles().first { $0.name == "admin" }?.scopes == ["a", "b"])
        }
    }

    @Test(arguments: StorageBackend.available)
    func applicationsAreFoundByOwnerWhateverTheCase(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createApplication(StorageFixtures.application("app-2", owner: "Alice"))
            try await storage.createApplication(StorageFixtures.application("app-1", owner: "bob"))
            var renamed = StorageFixtures.application("app-3", owner: "alice")
            renamed.name = "Another"
            try await storage.createApplication(renamed)
            #expect(try await storage.applications(owner: "ALICE").map(\.id) == ["app-3", "app-2"])
            #expect(try await storage.application(owner: "alice", name: "Shop app-2")?.id == "app-2")
            #expect(try await storage.applications(owner: nil).count == 3)
            await #expect(throws: StorageError.self) {
                try await storage.createApplication(StorageFixtures.application("app-2", owner: "ALICE"))
            }
            var updated = StorageFixtures.application("app-1", owner: "bob")
            updated.throttlingTier = "Gold"
            updated.status = "BLOCKED"
            try await storage.updateApplication(updated)
            let stored = try #require(try await storage.application(id: "app-1"))
            #expect(stored.throttlingTier == "Gold" && stored.status == "BLOCKED")
            await #expect(throws: StorageError.notFound("application ghost")) {
                try await storage.updateApplication(StorageFixtures.application("ghost"))
            }
            try await storage.saveConsumerKey(StorageFixtures.key("ck-1", app: "app-1"))
            try await storage.setSecretHash(Data([1, 2, 3]), forConsumerKey: "ck-1")
            #expect(try await storage.consumerKey("ck-1")?.secretHash == Data([1, 2, 3]))
            #expect(try await storage.allConsumerKeys().map(\.consumerKey) == ["ck-1"])
            await #expect(throws: StorageError.self) {
                try await storage.setSecretHash(Data(), forConsumerKey: "ghost")
            }
        }
    }

    @Test(arguments: StorageBackend.available)
    func ratingsAndCommentsFollowTheirAPI(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createAPI(Self.api("api-1"), actor: "admin")
            try await storage.setRating(apiID: "api-1", username: "alice", rating: 4, at: StorageFixtures.now)
            try await storage.setRating(apiID: "api-1", username: "ALICE", rating: 2, at: StorageFixtures.now)
            try await storage.setRating(apiID: "api-1", username: "bob", rating: 5, at: StorageFixtures.now)
            #expect(try await storage.rating(apiID: "api-1", username: "Alice") == 2)
            #expect(try await storage.ratingSummary(apiID: "api-1") == APIRatingSummary(apiID: "api-1", average: 3.5, count: 2))
            #expect(try await storage.ratingSummaries() == [APIRatingSummary(apiID: "api-1", average: 3.5, count: 2)])
            #expect(try await storage.ratingSummary(apiID: "none") == APIRatingSummary(apiID: "none", average: 0, count: 0))
            #expect(try await storage.deleteRating(apiID: "api-1", username: "bob"))
            #expect(try await storage.deleteRating(apiID: "api-1", username: "bob") == false)
            await #expect(throws: StorageError.self) {
                try await storage.setRating(apiID: "ghost", username: "bob", rating: 1, at: StorageFixtures.now)
            }

            let first = APICommentRecord(id: "c1", apiID: "api-1", username: "alice", content: "Nice", createdAt: StorageFixtures.now)
            let reply = APICommentRecord(
                id: "c2", apiID: "api-1", parentID: "c1", username: "bob", content: "Agreed",
                createdAt: StorageFixtures.now.addingTimeInterval(1)
            )
            try await storage.addComment(first)
            try await storage.addComment(reply)
            #expect(try await storage.comments(apiID: "api-1").map(\.id) == ["c1", "c2"])
            #expect(try await storage.comments(apiID: "api-1").last?.parentID == "c1")
            #expect(try await storage.deleteComment(apiID: "api-1", id: "c1"))
            #expect(try await storage.comments(apiID: "api-1").isEmpty)
            #expect(try await storage.deleteAPI(id: "api-1"))
            #expect(try await storage.deleteAPI(id: "api-1") == false)
        }
    }

    @Test(arguments: StorageBackend.available)
    func policiesKeepEveryField(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            let gold = ThrottleTier(
                name: "Gold", maxCount: 5000, unitTime: 60_000, burstLimit: 100, burstUnitTime: 1000,
                billingPlan: "COMMERCIAL", stopOnQuotaReach: false, description: "Gold tier",
                attributes: ["b": "2", "a": "1"]
            )
            try await storage.createPolicy(gold, level: .subscription)
            try await storage.createPolicy(ThrottleTier(name: "Bronze", maxCount: 10, unitTime: 1000), level: .subscription)
            #expect(try await storage.policies(level: .subscription) == [
                ThrottleTier(name: "Bronze", maxCount: 10, unitTime: 1000), gold,
            ])
            #expect(try await storage.policies(level: .application).isEmpty)
            await #expect(throws: StorageError.self) { try await storage.createPolicy(gold, level: .subscription) }
            var cheaper = gold
            cheaper.maxCount = nil
            try await storage.updatePolicy(cheaper, level: .subscription)
            #expect(try await storage.policies(level: .subscription).last?.maxCount == nil)
            await #expect(throws: StorageError.notFound("application policy Gold")) {
                try await storage.updatePolicy(gold, level: .application)
            }
            #expect(try await storage.deletePolicy(named: "Gold", level: .subscription))
            #expect(try await storage.deletePolicy(named: "Gold", level: .subscription) == false)
        }
    }

    @Test(arguments: StorageBackend.available)
    func usageStatisticsGroupAndFilter(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            let start: Int64 = 1_800_000_000_000
            var events: [UsageEvent] = []
            for index in 0..<20 {
                events.append(
                    UsageEvent(
                        requestTime: start + Int64(index) * 1000, apiName: index < 15 ? "Pizza" : "Books",
                        apiContext: "/pizza", apiVersion: index % 2 == 0 ? "1.0" : "2.0", resourceTemplate: "/menu",
                        resourcePath: "/menu", method: "GET", applicationID: index < 10 ? "app-1" : nil,
                        username: "alice", responseCode: index == 3 ? 500 : 200,
                        responseTimeMillis: Double(index + 1), throttledOutReason: index == 4 ? "SUBSCRIPTION_LIMIT" : nil
                    )
                )
            }
            // Two halves, as two flushes of the gateway: rollups of the same minute add up.
            try await storage.recordUsage(Array(events[..<8]))
            try await storage.recordUsage(Array(events[8...]))
            try await storage.insertUsageRollups([])
            // Statistics have minute resolution: a minute counts when its start is in the range.
            #expect(try await storage.usageEventCount(from: start, to: start + 60_000) == 20)
            #expect(try await storage.usageEventCount(from: start + 1, to: start + 60_000) == 0)
            let filter = UsageStatistics.Filter(from: start, to: start + 60_000)
            let byAPI = try await storage.usageStatistics(groupedBy: .api, filter: filter)
            #expect(byAPI.map(\.key) == ["Books", "Pizza"])
            let pizza = try #require(byAPI.last)
            #expect(pizza.requestCount == 15 && pizza.errorCount == 1 && pizza.throttledCount == 1)
            #expect(pizza.averageLatencyMillis == 8)
            #expect(pizza.p95LatencyMillis == 15)
            #expect(pizza.lastAccessMillis == start + 14_000)
            let byApplication = try await storage.usageStatistics(groupedBy: .application, filter: filter)
            #expect(byApplication.map(\.key) == ["", "app-1"])
            let version = try await storage.usageStatistics(
                groupedBy: .version, filter: UsageStatistics.Filter(from: start, to: start + 20_000, apiName: "Pizza", apiVersion: "2.0")
            )
            #expect(version.map(\.key) == ["Pizza:2.0"])
            #expect(version.first?.requestCount == 7)
            let resource = try await storage.usageStatistics(groupedBy: .resource, filter: filter)
            #expect(resource.map(\.key) == ["Books:1.0 GET /menu", "Books:2.0 GET /menu", "Pizza:1.0 GET /menu", "Pizza:2.0 GET /menu"])
            // Retention: rollups of minutes before the first cut, raw events before the second.
            let deleted = try await storage.deleteUsage(rollupsBefore: start + 60_000, eventsBefore: start + 10_000)
            #expect(deleted.events == 10 && deleted.rollups > 0)
            #expect(try await storage.usageEventCount(from: start, to: start + 60_000) == 0)
        }
    }

    @Test(arguments: StorageBackend.available)
    func documentsAreListedByNameAndUniquePerAPI(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            try await storage.createAPI(Self.api("api-1"), actor: "admin")
            for (id, name) in [("d1", "Zebra"), ("d2", "Apple")] {
                try await storage.createDocument(
                    APIDocumentRecord(
                        id: id, apiID: "api-1", name: name, type: "HOWTO", sourceType: "INLINE", content: "Text \(name)",
                        createdBy: "admin", createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
                    )
                )
            }
            #expect(try await storage.documents(apiID: "api-1").map(\.name) == ["Apple", "Zebra"])
            #expect(try await storage.document(apiID: "api-1", id: "d1")?.content == "Text Zebra")
            await #expect(throws: StorageError.self) {
                try await storage.createDocument(
                    APIDocumentRecord(
                        id: "d3", apiID: "api-1", name: "Apple", type: "HOWTO", sourceType: "INLINE", createdBy: "admin",
                        createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
                    )
                )
            }
            #expect(try await storage.deleteDocument(apiID: "api-1", id: "d1"))
            #expect(try await storage.deleteDocument(apiID: "other", id: "d2") == false)
            #expect(try await storage.document(apiID: "api-1", id: "d1") == nil)
        }
    }

    @Test(arguments: StorageBackend.available)
    func apisAreSortedAndTheirTagsDeduplicatedWhateverTheCase(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            var api = Self.api("api-1", name: "Zoo")
            api.tags = ["Food", "food", "pizza"]
            try await storage.createAPI(api, actor: "admin")
            try await storage.createAPI(Self.api("api-2", name: "Apple"), actor: "admin")
            #expect(try await storage.apis().map(\.name) == ["Apple", "Zoo"])
            #expect(try await storage.api(id: "api-1")?.tags.count == 2)
            api.description = "Animals"
            api.tags = ["zoo"]
            try await storage.updateAPI(api)
            let stored = try #require(try await storage.api(id: "api-1"))
            #expect(stored.description == "Animals" && stored.tags == ["zoo"])
            await #expect(throws: StorageError.notFound("API ghost")) {
                try await storage.updateAPI(Self.api("ghost"))
            }
            await #expect(throws: StorageError.self) {
                try await storage.recordLifecycleChange(
                    LifecycleHistoryEntry(
                        apiID: "ghost", previousState: nil, newState: .published, action: .publish, actor: "admin",
                        changedAt: StorageFixtures.now
                    )
                )
            }
        }
    }

    @Test(arguments: StorageBackend.available)
    func apisMatchingAFilterAreOnlyThoseOfItsStatesAndVisibilities(_ backend: StorageBackend) async throws {
        try await backend.withStorage { storage throws in
            let apis: [(String, APILifecycleState, String, [String])] = [
                ("Beta", .published, "PUBLIC", ["b", "A"]), ("Alpha", .published, "PRIVATE", []),
                ("Gamma", .created, "PUBLIC", ["g"]), ("Delta", .deprecated, "RESTRICTED", ["d"]),
            ]
            for (name, state, visibility, tags) in apis {
                let record = APIRecord(
                    id: name, provider: "admin", name: name, version: "1.0.0", context: "/" + name.lowercased(),
                    lifecycleState: state, visibility: visibility, tags: tags, createdAt: StorageFixtures.now,
                    updatedAt: StorageFixtures.now
                )
                try await storage.createAPI(record, actor: "admin")
                if state != .created {
                    try await storage.recordLifecycleChange(
                        LifecycleHistoryEntry(
                            apiID: name, previousState: .created, newState: state, action: nil, actor: "admin",
                            changedAt: StorageFixtures.now
                        )
                    )
                }
            }
            let everything = try await storage.apis()
            #expect(everything.map(\.name) == ["Alpha", "Beta", "Delta", "Gamma"])
            #expect(try await storage.apis(matching: APIFilter()) == everything)
            let listed = try await storage.apis(matching: APIFilter(states: [.published, .deprecated]))
            #expect(listed.map(\.name) == ["Alpha", "Beta", "Delta"])
            #expect(listed.first { $0.name == "Beta" }?.tags == ["A", "b"])
            let publicOnes = try await storage.apis(
                matching: APIFilter(states: [.published, .created], visibilities: ["PUBLIC"])
            )
            #expect(publicOnes.map(\.name) == ["Beta", "Gamma"])
            #expect(try await storage.apis(matching: APIFilter(states: [])).isEmpty)
            for filter in [APIFilter(states: [.deprecated]), APIFilter(visibilities: ["PRIVATE", "RESTRICTED"])] {
                #expect(try await storage.apis(matching: filter) == everything.filter(filter.matches))
            }
        }
    }

    static func api(_ id: String, name: String? = nil) -> APIRecord {
        APIRecord(
            id: id, provider: "admin", name: name ?? "API \(id)", version: "1.0.0", context: "/\(id)",
            createdAt: StorageFixtures.now, updatedAt: StorageFixtures.now
        )
    }
}
