import SluiceModel
import SluiceThrottling
import Testing

/// The registry the throttle handler reads per call: the flag follows whether any condition is enabled, and each
/// replacement is what the next call sees, while a set read before stays whole.
@Suite struct BlockingConditionRegistryTests {
    static func blocks(_ set: BlockingConditionSet, _ ip: String) -> Bool {
        set.blocks(context: "/x", version: "1", applicationOwner: nil, applicationName: nil, user: nil, clientIP: ip)
    }

    @Test func replacementsAreSeenWholeByTheNextRead() {
        let registry = BlockingConditionRegistry()
        #expect(!registry.isActive)
        #expect(registry.current.isEmpty)
        registry.replace(with: [BlockingCondition(id: "1", kind: .ip, value: "192.0.2.1")])
        #expect(registry.isActive)
        let before = registry.current
        #expect(Self.blocks(before, "192.0.2.1"))
        registry.replace(with: [BlockingCondition(id: "2", kind: .ip, value: "192.0.2.2")])
        #expect(Self.blocks(registry.current, "192.0.2.2") && !Self.blocks(registry.current, "192.0.2.1"))
        // The set read before the change is unchanged.
        #expect(Self.blocks(before, "192.0.2.1"))
        registry.replace(with: [BlockingCondition(id: "2", kind: .ip, value: "192.0.2.2", isEnabled: false)])
        #expect(!registry.isActive)
        #expect(registry.current.isEmpty)
    }
}
