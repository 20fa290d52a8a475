import Foundation
import SluiceModel
import SluiceStorage
import Testing

@testable import SluiceKeyManager

@Suite struct KeyValidationIndexTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func token(_ byte: UInt8, family: String = "f") -> TokenRecord {
        TokenRecord(
            tokenHash: Data(repeating: byte, count: 32), kind: .access, familyID: family, consumerKey: "ck",
            username: "alice", scopes: ["default"], grantType: "password", issuedAt: now,
            expiresAt: now.addingTimeInterval(3600)
        )
    }

    static func subscription(revision: Int64, status: SubscriptionStatus) -> SubscriptionRecord {
        SubscriptionRecord(
            id: "s", applicationID: "app", apiContext: "/shop", apiVersion: "1", tier: "Gold", status: status,
            revision: revision, createdAt: now, updatedAt: now
        )
    }

    static func indexed() -> KeyValidationIndex {
        var index = KeyValidationIndex()
        index.upsert(ApplicationRecord(id: "app", name: "Shop", owner: "alice", throttlingTier: "Large", createdAt: now, updatedAt: now))
        index.upsert(
            ConsumerKeyRecord(
                consumerKey: "ck", secretHash: Data(), applicationID: "app", keyType: .production,
                grantTypes: ["password"], createdAt: now
            )
        )
        return index
    }

    func decide(_ index: KeyValidationIndex, _ byte: UInt8) -> KeyValidationResult {
        index.validate(
            tokenHash: Data(repeating: byte, count: 32),
            request: KeyValidationRequest(accessToken: "", apiContext: "/shop/1", apiVersion: "1", resource: "/", httpMethod: "GET"),
            now: Self.now,
            skew: 0
        )
    }

    @Test func aTokenInsertedAfterItsFamilyWasRevokedArrivesRevoked() {
        var index = Self.indexed()
        index.upsert(Self.subscription(revision: 1, status: .unblocked))
        index.revokeFamily("f")
        index.insert(Self.token(1))
        #expect(decide(index, 1).errorCode == .accessTokenInactive)
        index.insert(Self.token(2, family: "g"))
        #expect(decide(index, 2).authorized)
    }

    @Test func deactivatedTokensAreNotReactivatedByALateInsert() {
        var index = Self.indexed()
        index.upsert(Self.subscription(revision: 1, status: .unblocked))
        index.insert(Self.token(1))
        #expect(index.deactivate([Data(repeating: 1, count: 32)]).count == 1)
        index.insert(Self.token(1))
        #expect(decide(index, 1).errorCode == .accessTokenInactive)
    }

    @Test func olderSubscriptionRevisionsNeverOverwriteNewerOnes() {
        var index = Self.indexed()
        index.insert(Self.token(1))
        index.upsert(Self.subscription(revision: 3, status: .blocked))
        index.upsert(Self.subscription(revision: 2, status: .unblocked))
        #expect(decide(index, 1).errorCode == .subscriptionInactive)
        index.upsert(Self.subscription(revision: 4, status: .unblocked))
        #expect(decide(index, 1).authorized)
    }

    @Test func theRevocationLogIsBoundedAndReportsGaps() {
        var index = Self.indexed()
        let count = KeyValidationIndex.revocationLogLimit + 5
        for family in 0..<count {
            let byte = UInt8(truncatingIfNeeded: family)
            var record = Self.token(byte, family: "f\(family)")
            record.tokenHash = Data((0..<32).map { _ in byte }) + withUnsafeBytes(of: family) { Data($0) }
            index.insert(record)
            index.revokeFamily("f\(family)")
        }
        #expect(index.revocationGeneration == UInt64(count))
        #expect(!index.revocations(since: 0).complete)
        let recent = index.revocations(since: UInt64(count - 3))
        #expect(recent.complete)
        #expect(recent.hashes.count == 3)
    }
}
