import Foundation
import Logging
import NIOConcurrencyHelpers
import SluiceMediation
import SluiceSynapse
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import SluiceGateway

/// Folders and files that cannot be read are errors, never deletions (issue #12 item 2); symbolic links leading
/// outside the repository are refused (item 10).
@Suite struct DeploymentResilienceTests {
    /// A repository folder with one API file per name, and a file system whose failures the test switches on.
    private final class Fixture: Sendable {
        let root: String
        let synapse: String
        let failure = NIOLockedValueBox<(listing: Int32?, reading: Int32?)>((nil, nil))
        let deployer: GatewayDeployer

        init(apis: [String]) throws {
            root = NSTemporaryDirectory() + "sluice-resilience-\(UUID().uuidString)"
            synapse = root + "/deployment/server/synapse-configs/default"
            var fileSystem = ArtifactFileSystem.posix
            let failure = self.failure
            fileSystem.listDirectory = { directory in
                if let code = failure.withLockedValue({ $0.listing }) {
                    return .failure(FileBytes.Failure(code: code, message: "cannot open folder: \(String(cString: strerror(code)))"))
                }
                return ArtifactFileSystem.posix.listDirectory(directory)
            }
            fileSystem.readFile = { path, limit in
                if let code = failure.withLockedValue({ $0.reading }) {
                    return .failure(FileBytes.Failure(code: code, message: "cannot open file: \(String(cString: strerror(code)))"))
                }
                return ArtifactFileSystem.posix.readFile(path, limit)
            }
            deployer = GatewayDeployer(
                repository: ArtifactRepository(root: synapse, fileSystem: fileSystem),
                handlerRegistry: .standard,
                logger: Logger(label: "test")
            )
            for name in apis { try write(name) }
        }

        func write(_ name: String, context: String? = nil) throws {
            let xml = """
                <api xmlns="http://ws.apache.org/ns/synapse" name="\(name)" context="\(context ?? "/" + name)">
                  <resource methods="GET" url-mapping="/*"><inSequence><respond/></inSequence></resource>
                </api>
                """
            try xml.write(toFile: synapse + "/api/\(name).xml", atomically: true, encoding: .utf8)
        }

        var served: [String] { deployer.snapshots.current.apis.map(\.compiled.definition.name).sorted() }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test(arguments: [EMFILE, ENFILE, EACCES, ENOENT])
    func anUnreadableFolderKeepsEveryAPIServingAndIsRetried(code: Int32) throws {
        let fixture = try Fixture(apis: ["a", "b"])
        #expect(fixture.deployer.redeployChangedFiles())
        #expect(fixture.served == ["a", "b"])
        let generation = fixture.deployer.status.generation

        fixture.failure.withLockedValue { $0.listing = code }
        #expect(!fixture.deployer.redeployChangedFiles())
        #expect(fixture.served == ["a", "b"])
        #expect(fixture.deployer.needsRetry)
        let status = fixture.deployer.status
        #expect(status.generation == generation)
        #expect(status.unreadable[fixture.synapse + "/api"]?.hasPrefix("cannot open folder") == true)
        #expect(status.errorLines.contains { $0.hasPrefix(fixture.synapse + "/api: cannot open folder") })

        // It reads again: the real changes made meanwhile deploy, nothing else moved.
        try FileManager.default.removeItem(atPath: fixture.synapse + "/api/b.xml")
        fixture.failure.withLockedValue { $0.listing = nil }
        #expect(fixture.deployer.redeployChangedFiles())
        #expect(fixture.served == ["a"])
        #expect(!fixture.deployer.needsRetry)
        #expect(fixture.deployer.status.unreadable.isEmpty)
    }

    @Test func aRemovedFolderThatExistedIsAnErrorNotADeletion() throws {
        let fixture = try Fixture(apis: ["a"])
        fixture.deployer.redeployChangedFiles()
        try FileManager.default.moveItem(atPath: fixture.synapse + "/api", toPath: fixture.root + "/api-away")
        fixture.deployer.redeployChangedFiles()
        #expect(fixture.served == ["a"])
        #expect(fixture.deployer.status.unreadable[fixture.synapse + "/api"]?.contains("No such file") == true)
        try FileManager.default.moveItem(atPath: fixture.root + "/api-away", toPath: fixture.synapse + "/api")
        fixture.deployer.redeployChangedFiles()
        #expect(fixture.served == ["a"])
        #expect(fixture.deployer.status.unreadable.isEmpty)
    }

    @Test func aChangedFileThatCannotBeReadKeepsItsVersionAndIsReadLater() throws {
        let fixture = try Fixture(apis: ["a"])
        fixture.deployer.redeployChangedFiles()
        try fixture.write("a", context: "/renamed")
        fixture.failure.withLockedValue { $0.reading = EMFILE }
        fixture.deployer.redeployChangedFiles()
        #expect(fixture.deployer.snapshots.current.apis.map(\.compiled.definition.context) == ["/a"])
        #expect(fixture.deployer.needsRetry)
        // A new file that cannot be read is not deployed, and not reported as empty either.
        try fixture.write("b")
        fixture.deployer.redeployChangedFiles()
        #expect(fixture.served == ["a"])
        #expect(fixture.deployer.status.file(fixture.synapse + "/api/b.xml") == nil)

        fixture.failure.withLockedValue { $0.reading = nil }
        fixture.deployer.redeployChangedFiles()
        #expect(fixture.deployer.snapshots.current.apis.map(\.compiled.definition.context).sorted() == ["/b", "/renamed"])
        #expect(!fixture.deployer.needsRetry)
    }

    @Test func symbolicLinksMayPointInsideTheRepositoryButNotOutside() throws {
        let fixture = try Fixture(apis: [])
        let outside = NSTemporaryDirectory() + "sluice-outside-\(UUID().uuidString).xml"
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let xml = #"<api xmlns="http://ws.apache.org/ns/synapse" name="leak" context="/leak"><resource methods="GET" url-mapping="/*"><inSequence><respond/></inSequence></resource></api>"#
        try xml.write(toFile: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: fixture.synapse + "/api/leak.xml", withDestinationPath: outside)
        // Inside the repository: followed.
        let kept = fixture.root + "/kept"
        try FileManager.default.createDirectory(atPath: kept, withIntermediateDirectories: true)
        try xml.replacingOccurrences(of: "leak", with: "inside").write(toFile: kept + "/inside.xml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: fixture.synapse + "/api/inside.xml", withDestinationPath: "../../../../../kept/inside.xml")
        try FileManager.default.createSymbolicLink(atPath: fixture.synapse + "/api/dangling.xml", withDestinationPath: "/nonexistent/x.xml")

        fixture.deployer.redeployChangedFiles()
        #expect(fixture.served == ["inside"])
        let leak = fixture.deployer.status.file(fixture.synapse + "/api/leak.xml")
        #expect(leak?.state == .failed)
        #expect(leak?.diagnostics.first?.message.contains("outside the repository") == true)
        #expect(fixture.deployer.status.file(fixture.synapse + "/api/dangling.xml")?.state == .failed)
        // A regular file replaced by a link to outside is undeployed, not kept.
        try fixture.write("swapped")
        fixture.deployer.redeployChangedFiles()
        #expect(fixture.served == ["inside", "swapped"])
        try FileManager.default.removeItem(atPath: fixture.synapse + "/api/swapped.xml")
        try FileManager.default.createSymbolicLink(atPath: fixture.synapse + "/api/swapped.xml", withDestinationPath: outside)
        fixture.deployer.redeployChangedFiles()
        #expect(fixture.served == ["inside"])
    }

    @Test func aCallDuringADeploymentPassDoesNotWaitForIt() throws {
        let fixture = try Fixture(apis: ["a"])
        let entered = DispatchSemaphore(value: 0)
        let proceed = DispatchSemaphore(value: 0)
        let blocking = NIOLockedValueBox(true)
        var fileSystem = ArtifactFileSystem.posix
        fileSystem.listDirectory = { directory in
            if blocking.withLockedValue({ $0 }) {
                entered.signal()
                proceed.wait()
            }
            return ArtifactFileSystem.posix.listDirectory(directory)
        }
        let deployer = GatewayDeployer(
            repository: ArtifactRepository(root: fixture.synapse, fileSystem: fileSystem),
            handlerRegistry: .standard,
            logger: Logger(label: "test")
        )
        DispatchQueue.global().async { deployer.redeployChangedFiles() }
        entered.wait()
        // The pass is inside its scan: another call returns at once instead of blocking behind it.
        #expect(!deployer.redeployChangedFiles())
        blocking.withLockedValue { $0 = false }
        proceed.signal()
        // The pass rescans once more for the call it turned away, then settles.
        while deployer.snapshots.current.apis.isEmpty { Thread.sleep(forTimeInterval: 0.001) }
        #expect(deployer.snapshots.current.apis.map(\.compiled.definition.name) == ["a"])
    }
}
