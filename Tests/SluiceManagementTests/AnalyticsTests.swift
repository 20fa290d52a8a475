import Foundation
import SluiceManagement
import SluiceModel
import SluiceStorage
import Testing

/// The analytics REST resources over usage the gateway would have stored: figures per group with application
/// names, who sees what (creator, publisher, admin, an application's owner), CSV, and refused queries.
@Suite(.timeLimit(.minutes(1))) struct AnalyticsTests {
    static let base: Int64 = 1_700_000_000_000  // 2023-11-14T22:13:20Z
    static let range = "from=2023-11-14T22:00:00Z&to=2023-11-14T23:00:00Z&buckets=6"

    static func event(
        _ api: String, app: String?, user: String?, status: Int = 200, at offset: Int64, latency: Double = 10,
        fault: Int? = nil, throttled: Bool = false, tier: String? = "Gold", backend: String? = "http://menu.example"
    ) -> UsageEvent {
        UsageEvent(
            requestTime: base + offset, apiName: api, apiContext: "/ctx", apiVersion: "1.0.0",
            apiProvider: String(api.split(separator: "-").first ?? ""), resourceTemplate: "/menu",
            resourcePath: "/menu", method: "GET", applicationID: app, username: user, responseCode: status,
            responseTimeMillis: latency, backendTimeMillis: backend == nil ? nil : latency - 2,
            throttledOutReason: throttled ? "SUBSCRIPTION_LIMIT_EXCEEDED" : nil, errorCode: fault, tier: tier,
            backend: backend
        )
    }

    static func rows(_ report: [String: Any], _ section: String) -> [String: [String: Any]] {
        let rows = report[section] as? [[String: Any]] ?? []
        return Dictionary(rows.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func analyticsCountTheRecordedCallsForEachViewer() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let pizza = try await client.publishedAPI(Client.apiJSON(name: "Pizza", context: "/pizza"))
            let shop = try await fixture.keyManager.createApplication(name: "Shop", owner: "alice")
            let desk = try await fixture.keyManager.createApplication(name: "Desk", owner: "bob")
            var events: [UsageEvent] = (0..<5).map { Self.event("chris--Pizza", app: shop.id, user: "alice", at: Int64($0)) }
            events.append(Self.event("chris--Pizza", app: shop.id, user: "alice", status: 401, at: 10, fault: 900901, backend: nil))
            events.append(
                Self.event("chris--Pizza", app: desk.id, user: "bob", status: 429, at: 20, throttled: true, tier: "Bronze",
                           backend: nil))
            events.append(Self.event("chris--Pizza", app: desk.id, user: "bob", status: 503, at: 30, latency: 50))
            events += (0..<3).map { Self.event("dave--Other", app: desk.id, user: "bob", at: 40 + Int64($0)) }
            try await fixture.storage.recordUsage(events)

            // The creator sees the calls to the API they created, named.
            let mine = try await client.get("\(Client.publisher)/analytics?\(Self.range)", as: "chris")
            #expect(mine.status == .ok, "\(mine.text)")
            let report = try mine.object
            let total = try #require(report["total"] as? [String: Any])
            #expect(total["requestCount"] as? Int == 8 && total["errorCount"] as? Int == 3)
            #expect(total["throttledCount"] as? Int == 1 && total["p99LatencyMillis"] as? Double == 50)
            #expect((report["timeline"] as? [[String: Any]])?.compactMap { $0["requestCount"] as? Int } == [0, 8, 0, 0, 0, 0])
            #expect(Self.rows(report, "apis")["Pizza 1.0.0"]?["requestCount"] as? Int == 8)
            let applications = Self.rows(report, "applications")
            #expect(applications["Shop"]?["requestCount"] as? Int == 6 && applications["Desk"]?["requestCount"] as? Int == 2)
            #expect(Self.rows(report, "users")["alice"]?["errorCount"] as? Int == 1)
            let classes = Self.rows(report, "statusClasses")
            #expect(classes["2xx"]?["requestCount"] as? Int == 5 && classes["4xx"]?["requestCount"] as? Int == 2)
            #expect(classes["5xx"]?["requestCount"] as? Int == 1)
            #expect(Self.rows(report, "faultCodes").mapValues { $0["requestCount"] as? Int } == ["900901": 1])
            #expect(Self.rows(report, "tiers")["Bronze"]?["throttledCount"] as? Int == 1)
            let backend = try #require(Self.rows(report, "backends")["http://menu.example"])
            #expect(backend["requestCount"] as? Int == 6 && backend["backendP99LatencyMillis"] as? Double == 48)

            // Filters: one application; one API by id.
            let desks = try await client.get("\(Client.publisher)/analytics?\(Self.range)&applicationId=\(desk.id)", as: "chris")
            #expect((try desks.object["total"] as? [String: Any])?["requestCount"] as? Int == 2)
            let byAPI = try await client.get("\(Client.publisher)/analytics?\(Self.range)&apiId=\(pizza)", as: "pat")
            #expect((try byAPI.object["total"] as? [String: Any])?["requestCount"] as? Int == 8)
            // A publisher and the admin view see every API.
            for (path, user) in [("\(Client.publisher)/analytics", "pat"), ("\(Client.admin)/analytics", "admin")] {
                let all = try await client.get("\(path)?\(Self.range)", as: user)
                #expect((try all.object["total"] as? [String: Any])?["requestCount"] as? Int == 11, "\(user)")
                #expect(Self.rows(try all.object, "apis")["Other 1.0.0"]?["requestCount"] as? Int == 3)
            }
            // An application's owner sees its calls only; another subscriber does not find it.
            let own = try await client.get("\(Client.devportal)/applications/\(desk.id)/analytics?\(Self.range)", as: "bob")
            #expect((try own.object["total"] as? [String: Any])?["requestCount"] as? Int == 5, "\(own.text)")
            #expect(Self.rows(try own.object, "apis").keys.sorted() == ["Other 1.0.0", "Pizza 1.0.0"])
            #expect(
                try await client.get("\(Client.devportal)/applications/\(desk.id)/analytics", as: "alice").status
                    == .notFound
            )
        }
    }

    @Test func analyticsExportCSVAndRefuseBadQueries() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let shop = try await fixture.keyManager.createApplication(name: "=Shop, \"East\"", owner: "alice")
            try await fixture.storage.recordUsage(
                (0..<4).map { Self.event("chris--Pizza", app: shop.id, user: "alice", at: Int64($0)) }
            )
            let answer = try await client.get("\(Client.admin)/analytics?\(Self.range)&format=csv", as: "admin")
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = answer.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first?.hasPrefix("section,key,name,requests,errors,throttled,avg_ms,p95_ms,p99_ms") == true)
            #expect(lines.contains("total,,all calls,4,0,0,10.0,10.0,10.0,8.0,8.0,8.0"))
            #expect(lines.filter { $0.hasPrefix("timeline,") }.count == 6)
            // A name a spreadsheet would run as a formula is defused, and quoted for its comma and quotes.
            #expect(lines.contains("application,\(shop.id),\"'=Shop, \"\"East\"\"\",4,0,0,10.0,10.0,10.0,8.0,8.0,8.0"))

            #expect(try await client.get("\(Client.admin)/analytics", as: "pat").status == .forbidden)
            #expect(try await client.get("\(Client.publisher)/analytics", as: "alice").status == .forbidden)
            #expect(try await client.get("\(Client.publisher)/analytics?buckets=0", as: "pat").status == .badRequest)
            #expect(try await client.get("\(Client.publisher)/analytics?from=yesterday", as: "pat").status == .badRequest)
            let backwards = "from=2023-11-14T23:00:00Z&to=2023-11-14T22:00:00Z"
            #expect(try await client.get("\(Client.publisher)/analytics?\(backwards)", as: "pat").status == .badRequest)
            #expect(try await client.get("\(Client.publisher)/analytics?apiId=nope", as: "pat").status == .notFound)
        }
    }
}
