import Foundation
import Logging
import SluiceStorage
import Testing

@testable import SluiceCluster

/// A gateway's deployment folder following the cluster's artifacts, in a scratch repository folder.
struct ArtifactReplicaTests {
    let log = InMemoryClusterLog()
    let repository = NSTemporaryDirectory() + "sluice-artifact-replica-" + UUID().uuidString
    var apiFolder: String { repository + "/deployment/server/synapse-configs/default/api" }

    func replica() throws -> ArtifactReplica {
        try FileManager.default.createDirectory(atPath: apiFolder, withIntermediateDirectories: true)
        return ArtifactReplica(
            storage: log, repository: repository,
            logger: Logger(label: "cluster-test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    func file(_ name: String) -> String? {
        try? String(contentsOfFile: apiFolder + "/" + name, encoding: .utf8)
    }

    func modified(_ name: String) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: apiFolder + "/" + name)[.modificationDate] as? Date
    }

    @Test func writesEachStoredArtifactAndRemembersTheVersion() async throws {
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let replica = try replica()
        try await log.storeArtifact(fileName: "admin--Orders_v1.0.0.xml", content: "<api name=\"Orders\"/>")
        let version = try await log.storeArtifact(fileName: "admin--Menu_v1.0.0.xml", content: "<api name=\"Menu\"/>")

        try await replica.reloadAll()
        #expect(file("admin--Orders_v1.0.0.xml") == "<api name=\"Orders\"/>")
        #expect(file("admin--Menu_v1.0.0.xml") == "<api name=\"Menu\"/>")
        #expect(replica.appliedVersion == version)
        let recorded = try String(contentsOfFile: repository + "/" + ArtifactReplica.versionFilePath, encoding: .utf8)
        #expect(recorded == "\(version)")
    }

    @Test func aRemovedArtifactLeavesTheFolderAndHandDroppedFilesStay() async throws {
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let replica = try replica()
        try "<api name=\"Local\"/>".write(toFile: apiFolder + "/local.xml", atomically: true, encoding: .utf8)
        try await log.storeArtifact(fileName: "admin--Orders_v1.0.0.xml", content: "<api/>")
        try await replica.reloadAll()
        let removal = try await log.storeArtifact(fileName: "admin--Orders_v1.0.0.xml", content: nil)

        try await replica.apply(ClusterEvent(version: removal, topic: .artifact, subject: "admin--Orders_v1.0.0.xml"))
        #expect(file("admin--Orders_v1.0.0.xml") == nil)
        #expect(file("local.xml") == "<api name=\"Local\"/>")
        #expect(replica.appliedVersion == removal)
    }

    @Test func aRestartedGatewayWritesOnlyWhatItMissed() async throws {
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let first = try replica()
        try await log.storeArtifact(fileName: "a.xml", content: "<api name=\"A\"/>")
        try await first.reloadAll()
        // Changed by hand on this gateway after it was written: a replica that rewrote everything would undo it.
        try "<api name=\"A-local\"/>".write(toFile: apiFolder + "/a.xml", atomically: true, encoding: .utf8)
        try await log.storeArtifact(fileName: "b.xml", content: "<api name=\"B\"/>")

        let restarted = try replica()
        try await restarted.reloadAll()
        #expect(file("a.xml") == "<api name=\"A-local\"/>")
        #expect(file("b.xml") == "<api name=\"B\"/>")
    }

    @Test func eventsOfOtherTopicsOrAlreadyAppliedVersionsReadNothing() async throws {
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let replica = try replica()
        let version = try await log.storeArtifact(fileName: "a.xml", content: "<api/>")
        try await replica.apply(ClusterEvent(version: version + 1, topic: .subscription, subject: "s-1"))
        #expect(file("a.xml") == nil, "not an artifact event")
        try await replica.apply(ClusterEvent(version: version, topic: .artifact, subject: "a.xml"))
        #expect(file("a.xml") == "<api/>")

        log.reachable = false
        try await replica.apply(ClusterEvent(version: version, topic: .artifact, subject: "a.xml"))
        #expect(replica.appliedVersion == version, "an old event is not read again")
    }

    @Test func anUnchangedArtifactIsNotRewritten() async throws {
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let replica = try replica()
        try "<api name=\"A\"/>".write(toFile: apiFolder + "/a.xml", atomically: true, encoding: .utf8)
        let before = try modified("a.xml")
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: apiFolder + "/a.xml"
        )
        try await log.storeArtifact(fileName: "a.xml", content: "<api name=\"A\"/>")
        try await replica.reloadAll()
        #expect(before != nil)
        #expect(try modified("a.xml") == Date(timeIntervalSince1970: 1_000_000), "no redeployment for nothing")
    }

    @Test func aDatabaseThatIsAwayFailsTheCatchUpSoTheFollowerRetries() async throws {
        defer { try? FileManager.default.removeItem(atPath: repository) }
        let replica = try replica()
        log.reachable = false
        await #expect(throws: InMemoryClusterLog.Unreachable.self) { try await replica.reloadAll() }
        #expect(replica.appliedVersion == 0)
    }
}
