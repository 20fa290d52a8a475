import Foundation
import Logging
import NIOConcurrencyHelpers
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `redeployChangedFilesAndWait(timeout:clock:)`: a caller arriving while another pass runs is resumed by that
/// pass's end (which scans again for the caller's file), and gives up after its timeout on the injected clock.
@Suite(.timeLimit(.minutes(1))) struct DeploymentWaitTests {
    /// A deployer whose folder listing blocks while `held`, so a pass can be caught running.
    private final class Fixture: Sendable {
        let root: String
        let synapse: String
        let deployer: GatewayDeployer
        /// Listing blocks while true.
        let held = NIOLockedValueBox(false)
        private let entered = AsyncStream<Void>.makeStream()

        init() throws {
            root = NSTemporaryDirectory() + "sluice-wait-\(UUID().uuidString)"
            synapse = root + "/deployment/server/synapse-configs/default"
            var fileSystem = ArtifactFileSystem.posix
            let (held, entered) = (held, entered.continuation)
            fileSystem.listDirectory = { directory in
                if held.withLockedValue({ $0 }) {
                    entered.yield()
                    // A pass on its own thread, held until the test lets it go: no timing involved.
                    while held.withLockedValue({ $0 }) { usleep(200) }
                }
                return ArtifactFileSystem.posix.listDirectory(directory)
            }
            deployer = GatewayDeployer(
                repository: ArtifactRepository(root: synapse, fileSystem: fileSystem),
                handlerRegistry: .standard,
                logger: Logger(label: "test")
            )
        }

        func write(_ name: String) throws {
            let xml = """
                <api xmlns="http://ws.apache.org/ns/synapse" name="\(name)" context="/\(name)">
                  <resource methods="GET" url-mapping="/*"><inSequence><respond/></inSequence></resource>
                </api>
                """
            try xml.write(toFile: synapse + "/api/\(name).xml", atomically: true, encoding: .utf8)
        }

        /// Starts a pass on a thread of its own and returns once it is held inside its scan.
        func holdAPass() async {
            held.withLockedValue { $0 = true }
            let deployer = self.deployer
            Thread { deployer.redeployChangedFiles() }.start()
            var iterator = entered.stream.makeAsyncIterator()
            _ = await iterator.next()
        }

        var served: [String] { deployer.snapshots.current.apis.map(\.compiled.definition.name).sorted() }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func withNoPassRunningTheCallDeploysAndReturnsAtOnce() async throws {
        let fixture = try Fixture()
        try fixture.write("a")
        let clock = ManualClock()
        #expect(await fixture.deployer.redeployChangedFilesAndWait(timeout: .seconds(10), clock: clock))
        #expect(fixture.served == ["a"])
        #expect(clock.sleeperCount == 0)
    }

    @Test func aCallerWaitsForTheRunningPassAndItsRescan() async throws {
        let fixture = try Fixture()
        try fixture.write("a")
        await fixture.holdAPass()
        try fixture.write("b")
        let clock = ManualClock()
        async let deployed = fixture.deployer.redeployChangedFilesAndWait(timeout: .seconds(10), clock: clock)
        await clock.waitForSleepers(1)
        #expect(fixture.served.isEmpty)
        fixture.held.withLockedValue { $0 = false }
        // The held pass ends after scanning again, and that end resumes the caller: the clock never moved.
        #expect(await deployed)
        #expect(fixture.served == ["a", "b"])
    }

    @Test func aCallerGivesUpAfterItsTimeoutAndThePassStillDeploys() async throws {
        let fixture = try Fixture()
        try fixture.write("a")
        await fixture.holdAPass()
        let clock = ManualClock()
        async let deployed = fixture.deployer.redeployChangedFilesAndWait(timeout: .seconds(10), clock: clock)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(9))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        #expect(await deployed == false)
        #expect(fixture.served.isEmpty)
        // Released, the pass finishes its work; the next call finds nothing running.
        fixture.held.withLockedValue { $0 = false }
        #expect(await fixture.deployer.redeployChangedFilesAndWait(timeout: .seconds(10), clock: clock))
        #expect(fixture.served == ["a"])
    }
}
