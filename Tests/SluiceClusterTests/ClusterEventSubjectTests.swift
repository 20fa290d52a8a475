import Foundation
import SluiceModel
import SluiceStorage
import Testing

/// What a gateway reads out of a change announcement's subject: token hashes and policy names.
struct ClusterEventSubjectTests {
    @Test func tokenHashesRoundTripAndMalformedEntriesAreSkipped() {
        let hashes = [Data([0x00, 0xAB, 0xFF]), Data([0x12, 0x34])]
        let subject = ClusterEvent.subject(hashes: hashes)
        #expect(subject == "00abff,1234")
        #expect(ClusterEvent(version: 1, topic: .tokensDeactivated, subject: subject).hashes == hashes)
        let damaged = ClusterEvent(version: 2, topic: .tokensDeactivated, subject: "00abff,zz,123,,1234")
        #expect(damaged.hashes == hashes, "an odd length or a non-hex digit drops that entry only")
        #expect(ClusterEvent(version: 3, topic: .tokensDeactivated, subject: "").hashes.isEmpty)
    }

    @Test func policySubjectsKeepSlashesInTheNameAndRefuseUnknownLevels() {
        let subject = ClusterEvent.subject(level: .application, name: "10/min")
        #expect(subject == "application/10/min")
        let policy = ClusterEvent(version: 1, topic: .policy, subject: subject).policy
        #expect(policy?.level == .application)
        #expect(policy?.name == "10/min")
        #expect(ClusterEvent(version: 2, topic: .policy, subject: "galaxy/Gold").policy == nil)
        #expect(ClusterEvent(version: 3, topic: .policy, subject: "Gold").policy == nil)
    }

    @Test func topicsReadFromTheLogByTheirStoredNames() {
        #expect(ClusterEvent.Topic(rawValue: "token-family-revoked") == .tokenFamilyRevoked)
        #expect(ClusterEvent.Topic(rawValue: "consumer-key") == .consumerKey)
        #expect(ClusterEvent.Topic(rawValue: "a-topic-from-a-newer-node") == nil)
        #expect(Set(ClusterEvent.Topic.allCases.map(\.rawValue)).count == ClusterEvent.Topic.allCases.count)
    }
}
