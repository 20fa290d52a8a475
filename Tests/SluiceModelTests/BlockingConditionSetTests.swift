import SluiceModel
import Testing

/// What the gateway's deny-policy check matches: contexts with or without their version, applications, users in any
/// case, single addresses and ranges of either family, inverted ones, and nothing of a disabled condition.
struct BlockingConditionSetTests {
    private func set(_ conditions: BlockingCondition...) -> BlockingConditionSet { BlockingConditionSet(conditions) }

    private func blocks(_ set: BlockingConditionSet, context: String = "/other", version: String = "1.0.0",
                        application: String? = nil, user: String? = nil, ip: String? = "198.51.100.7") -> Bool {
        set.blocks(context: context, version: version, application: application, user: user, clientIP: ip)
    }

    @Test func apisApplicationsAndUsersMatchByName() {
        let conditions = set(
            BlockingCondition(id: "1", kind: .api, value: "/pizza/1.0.0"),
            BlockingCondition(id: "2", kind: .api, value: "/drinks/"),
            BlockingCondition(id: "3", kind: .application, value: "alice:Shop"),
            BlockingCondition(id: "4", kind: .user, value: "Mallory"),
            BlockingCondition(id: "5", kind: .user, value: "eve", isEnabled: false)
        )
        #expect(!conditions.isEmpty)
        #expect(blocks(conditions, context: "/pizza"))
        #expect(!blocks(conditions, context: "/pizza", version: "2.0.0"))
        #expect(blocks(conditions, context: "/drinks", version: "9"))
        #expect(blocks(conditions, application: "alice:Shop"))
        #expect(!blocks(conditions, application: "bob:Shop"))
        #expect(blocks(conditions, user: "mallory"))
        #expect(!blocks(conditions, user: "eve"))
        #expect(!blocks(conditions))
    }

    @Test func addressesAndRangesOfBothFamiliesAndInvertedOnes() {
        let conditions = set(
            BlockingCondition(id: "1", kind: .ip, value: "203.0.113.9"),
            BlockingCondition(id: "2", kind: .ipRange, value: "10.0.0.0", endingIP: "10.0.255.255"),
            BlockingCondition(id: "3", kind: .ipRange, value: "2001:db8::", endingIP: "2001:db8::ffff")
        )
        #expect(blocks(conditions, ip: "203.0.113.9"))
        #expect(!blocks(conditions, ip: "203.0.113.10"))
        #expect(blocks(conditions, ip: "10.0.200.1"))
        #expect(!blocks(conditions, ip: "10.1.0.0"))
        #expect(blocks(conditions, ip: "2001:db8::1234"))
        #expect(!blocks(conditions, ip: "2001:db8::1:0"))
        #expect(blocks(conditions, ip: "::ffff:10.0.0.1"), "an IPv4-mapped address counts as IPv4")
        #expect(!blocks(conditions, ip: nil))
        #expect(!blocks(conditions, ip: "not an address"))
        // Inverted: everyone but the office's range.
        let office = set(BlockingCondition(id: "4", kind: .ipRange, value: "192.0.2.0", endingIP: "192.0.2.255", invert: true))
        #expect(!blocks(office, ip: "192.0.2.77"))
        #expect(blocks(office, ip: "198.51.100.7"))
        #expect(blocks(office, ip: "2001:db8::1"), "another family is outside the range")
    }

    @Test func disabledOrUnparsableConditionsLeaveTheSetEmpty() {
        #expect(BlockingConditionSet.empty.isEmpty)
        let conditions = set(
            BlockingCondition(id: "1", kind: .ip, value: "999.1.1.1"),
            BlockingCondition(id: "2", kind: .ipRange, value: "10.0.0.0", endingIP: "::1"),
            BlockingCondition(id: "3", kind: .api, value: "/x", isEnabled: false)
        )
        #expect(conditions.isEmpty)
        #expect(!blocks(conditions, context: "/x", ip: "10.0.0.1"))
    }
}
