import SluiceModel
import Testing

/// What the gateway's deny-policy check matches: contexts with or without their version, applications, users in any
/// case, single addresses and ranges of either family, inverted ones, and nothing of a disabled condition.
struct BlockingConditionSetTests {
    private func set(_ conditions: BlockingCondition...) -> BlockingConditionSet { BlockingConditionSet(conditions) }

    private func blocks(_ set: BlockingConditionSet, context: String = "/other", version: String = "1.0.0",
                        application: String? = nil, user: String? = nil, ip: String? = "198.51.100.7") -> Bool {
        // The gateway passes the application's owner and name as they are (the admin API reads `owner:name` so).
        let parts = application?.split(separator: ":", maxSplits: 1).map(String.init)
        return set.blocks(
            context: context,
            version: version,
            applicationOwner: parts?.first,
            applicationName: parts?.last,
            user: user,
            clientIP: ip
        )
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

    @Test func callsAreMatchedOnTheirPartsWithoutJoiningThem() {
        let conditions = set(
            BlockingCondition(id: "1", kind: .api, value: "/menu/v2/2.0"),
            BlockingCondition(id: "2", kind: .application, value: "carol:Shop:East"),
            BlockingCondition(id: "3", kind: .user, value: "ÉMILE")
        )
        // A context with a slash of its own, with and without the version.
        #expect(blocks(conditions, context: "/menu/v2", version: "2.0"))
        #expect(blocks(conditions, context: "/menu/v2/2.0/", version: "9"))
        #expect(!blocks(conditions, context: "/menu", version: "v2/2.0"))
        // The owner is what comes before the first colon, as the admin API reads it.
        #expect(conditions.blocks(
            context: "/x", version: nil, applicationOwner: "carol", applicationName: "Shop:East", user: nil, clientIP: nil
        ))
        #expect(!conditions.blocks(
            context: "/x", version: nil, applicationOwner: "carol:Shop", applicationName: "East", user: nil, clientIP: nil
        ))
        // User names in any case, beyond ASCII too.
        #expect(blocks(conditions, user: "émile"))
        #expect(blocks(conditions, user: "Émile"))
    }

    @Test func packedAddressesOrderAsTheirBytes() throws {
        let low = try #require(PackedIPAddress("10.0.0.255"))
        let high = try #require(PackedIPAddress("10.0.1.0"))
        #expect(low < high)
        #expect(PackedIPAddress("::ffff:10.0.0.255") == low)
        #expect(PackedIPAddress(bytes: [10, 0, 1, 0]) == high)
        let six = try #require(PackedIPAddress("2001:db8::1"))
        #expect(six.isIPv6 && !low.isIPv6)
        #expect(try #require(PackedIPAddress("2001:db8::ffff")) > six)
        #expect(PackedIPAddress(bytes: IPAddressBlock.parseAddress("2001:db8::1")!) == six)
        #expect(PackedIPAddress("10.0.0") == nil)
        #expect(PackedIPAddress(bytes: [1, 2, 3]) == nil)
    }
}
