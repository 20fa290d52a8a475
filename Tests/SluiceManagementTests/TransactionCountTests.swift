import Foundation
import SluiceModel
import Testing

/// WSO2's admin `GET /transaction-count`: the calls the gateways counted in a range (from the usage rollups), in
/// epoch milliseconds or ISO 8601; administrators only; bad times refused.
@Suite(.timeLimit(.minutes(1))) struct TransactionCountTests {
    static let minute: Int64 = 1_699_999_980_000

    private static func call(at offset: Int64) -> UsageEvent {
        UsageEvent(
            requestTime: minute + offset, apiName: "admin--Pizza", apiContext: "/pizza/1.0.0", apiVersion: "1.0.0",
            resourceTemplate: "/menu", resourcePath: "/menu", method: "GET", applicationID: "a1", username: "bob",
            responseCode: 200, responseTimeMillis: 1
        )
    }

    @Test func callsInTheRangeAreCounted() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.storage.recordUsage([Self.call(at: 1_000), Self.call(at: 2_000), Self.call(at: 61_000)])
        try await fixture.test { client in
            let uri = "\(Client.admin)/transaction-count"
            let all = try await client.get("\(uri)?startTime=\(Self.minute)&endTime=\(Self.minute + 120_000)", as: "admin")
            #expect(all.status == .ok, "\(all.text)")
            #expect(try all.object["count"] as? Int == 3)
            let first = try await client.get("\(uri)?startTime=\(Self.minute)&endTime=\(Self.minute + 60_000)", as: "admin")
            #expect(try first.object["count"] as? Int == 2)
            // 1_699_999_980_000 is 2023-11-14T22:13:00Z.
            let iso = try await client.get("\(uri)?startTime=2023-11-14T22:14:00Z&endTime=2023-11-14T22:15:00Z", as: "admin")
            #expect(try iso.object["count"] as? Int == 1)
            #expect(try await client.get("\(uri)?startTime=yesterday&endTime=1", as: "admin").status == .badRequest)
            #expect(try await client.get("\(uri)?startTime=5&endTime=1", as: "admin").status == .badRequest)
            #expect(try await client.get("\(uri)?startTime=1", as: "admin").status == .badRequest)
            #expect(try await client.get("\(uri)?startTime=0&endTime=1", as: "alice").status == .forbidden)
        }
    }
}
