import Logging
import SluiceStorage
import Synchronization
import Testing

@testable import SluiceCluster

/// The follower's sync by version, driven step by step (``ClusterFollower/catchUp()``) over an in-memory log: no
/// listener, no poll timer, no clock.
struct ClusterFollowerCatchUpTests {
    /// A copy of shared state that records what the follower asks of it and can fail on chosen versions.
    final class RecordingHandler: ClusterChangeHandler {
        struct Failure: Error {}
        private struct State {
            var reloads = 0
            var applied: [Int64] = []
            var failOnce: Set<Int64> = []
        }

        private let state = Mutex(State())

        var reloads: Int { state.withLock { $0.reloads } }
        var applied: [Int64] { state.withLock { $0.applied } }
        func fail(onceAt version: Int64) { state.withLock { _ = $0.failOnce.insert(version) } }

        func reloadAll() async throws {
            state.withLock { $0.reloads += 1 }
        }

        func apply(_ event: ClusterEvent) async throws {
            try state.withLock { state in
                if state.failOnce.remove(event.version) != nil { throw Failure() }
                state.applied.append(event.version)
            }
        }
    }

    let log = InMemoryClusterLog()
    let handler = RecordingHandler()

    func follower(batchSize: Int = 500, handlers: [any ClusterChangeHandler]? = nil) -> ClusterFollower {
        ClusterFollower(
            repository: log,
            handlers: handlers ?? [handler],
            configuration: .init(batchSize: batchSize),
            logger: Logger(label: "cluster-test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    @Test func theFirstCatchUpLoadsEverythingThenOnlyLaterChangesAreApplied() async {
        for index in 1...3 { log.record(.api, "api-\(index)") }
        let follower = follower()
        #expect(follower.appliedVersion == nil)
        await follower.catchUp()
        #expect(handler.reloads == 1)
        #expect(handler.applied.isEmpty)
        #expect(follower.appliedVersion == 3)

        log.record(.subscription, "s-1")
        log.record(.tokenFamilyRevoked, "family-1")
        await follower.catchUp()
        #expect(handler.applied == [4, 5])
        #expect(handler.reloads == 1)
        #expect(follower.appliedVersion == 5)

        await follower.catchUp()
        #expect(handler.applied == [4, 5], "nothing new: nothing applied twice")
    }

    @Test func changesAreReadInPagesOfTheBatchSizeAndAppliedInOrder() async {
        let follower = follower(batchSize: 2)
        await follower.catchUp()
        let readsBefore = log.eventReads
        for index in 1...5 { log.record(.application, "app-\(index)") }
        await follower.catchUp()
        #expect(handler.applied == [1, 2, 3, 4, 5])
        #expect(log.eventReads - readsBefore == 3, "pages of 2, 2 and 1")
    }

    @Test func everyHandlerSeesEachChangeInTheOrderTheyWereRegistered() async {
        let second = RecordingHandler()
        let follower = follower(handlers: [handler, second])
        await follower.catchUp()
        log.record(.policy, "subscription/Gold")
        log.record(.artifact, "admin--A_v1.xml")
        await follower.catchUp()
        #expect(handler.applied == [1, 2])
        #expect(second.applied == [1, 2])
        #expect(second.reloads == 1)
    }

    @Test func aLogPrunedPastTheNodesVersionReloadsEverything() async throws {
        let follower = follower()
        log.record(.api, "api-1")
        await follower.catchUp()
        #expect(follower.appliedVersion == 1)
        for index in 2...10 { log.record(.application, "app-\(index)") }
        try await log.pruneClusterEvents(olderThan: 0, keeping: 2)

        await follower.catchUp()
        #expect(handler.reloads == 2, "versions 2 to 8 are gone: only a full reload is correct")
        #expect(follower.appliedVersion == 10)
        #expect(handler.applied.allSatisfy { $0 > 8 })
    }

    @Test func aFailedChangeIsRetriedFromTheSameVersionAndNothingAfterItIsSkipped() async {
        let follower = follower()
        await follower.catchUp()
        for index in 1...4 { log.record(.subscription, "s-\(index)") }
        handler.fail(onceAt: 3)

        await follower.catchUp()
        #expect(handler.applied == [1, 2])
        #expect(follower.appliedVersion == 2)

        await follower.catchUp()
        #expect(handler.applied == [1, 2, 3, 4])
        #expect(follower.appliedVersion == 4)
    }

    @Test func anUnreachableDatabaseKeepsWhatWasAppliedAndTheNodeCatchesUpWhenItReturns() async {
        let follower = follower()
        log.record(.api, "api-1")
        await follower.catchUp()
        log.reachable = false
        log.record(.api, "api-2")
        log.record(.api, "api-3")

        await follower.catchUp()
        #expect(follower.appliedVersion == 1)
        #expect(handler.applied.isEmpty)

        log.reachable = true
        await follower.catchUp()
        #expect(handler.applied == [2, 3])
        #expect(handler.reloads == 1, "a gap in reachability is not a gap in the log")
    }

    @Test func aNodeThatNeverLoadedRetriesTheFullLoad() async {
        log.reachable = false
        let follower = follower()
        await follower.catchUp()
        #expect(follower.appliedVersion == nil)
        #expect(handler.reloads == 0)
        log.reachable = true
        log.record(.api, "api-1")
        await follower.catchUp()
        #expect(handler.reloads == 1)
        #expect(follower.appliedVersion == 1)
    }
}
