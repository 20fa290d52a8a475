import Foundation
import Testing

/// WSO2's `reset-throttle-policy` refusals through the management API: scopes, other users' applications, a body
/// without a user, and a node without a gateway (the fixture runs none), which has no counters to reset.
@Suite struct ApplicationThrottleResetTests {
    @Test func refusalsNameWhatIsWrong() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let app = try await client.post(
                "\(Client.devportal)/applications", as: "alice", json: #"{"name": "Quick", "throttlingPolicy": "Small"}"#
            )
            let id = try #require(try app.object["applicationId"] as? String)
            let reset = "\(Client.devportal)/applications/\(id)/reset-throttle-policy"
            #expect(try await client.post(reset, as: "nobody", json: #"{"userName": "alice"}"#).status == .forbidden)
            #expect(try await client.post(reset, as: "bob", json: #"{"userName": "alice"}"#).status == .notFound)
            #expect(try await client.post(reset, as: "alice", json: "{}").status == .badRequest)
            let here = try await client.post(reset, as: "alice", json: #"{"userName": "alice"}"#)
            #expect(here.status == .conflict)
            #expect(here.errorDescription.contains("runs no gateway"))
        }
    }
}
