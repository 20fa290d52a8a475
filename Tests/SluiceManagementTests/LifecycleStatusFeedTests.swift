import SluiceControlPlane
import Testing

/// Every stored lifecycle change reaches `APIManagerConfiguration.onLifecycleChange` (which `sluice server`
/// connects to the gateway's `APIStatusRegistry`).
@Suite(.timeLimit(.minutes(1))) struct LifecycleStatusFeedTests {
    @Test func blockAndRepublishAreReported() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.createAPI()
            #expect(try await client.lifecycle(id, "Publish").status == .ok)
            #expect(try await client.lifecycle(id, "Block").status == .ok)
            #expect(try await client.lifecycle(id, "Re-Publish").status == .ok)
            // A refused transition reports nothing.
            #expect(try await client.lifecycle(id, "Retire").status != .ok)
        }
        #expect(
            fixture.lifecycleChanges.all == [
                "/pizzashack 1.0.0 PUBLISHED", "/pizzashack 1.0.0 BLOCKED", "/pizzashack 1.0.0 PUBLISHED",
            ]
        )
    }
}
