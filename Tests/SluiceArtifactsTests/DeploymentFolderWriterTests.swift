import Foundation
import SluiceArtifacts
import Testing

@Suite struct DeploymentFolderWriterTests {
    @Test func writesReplacesAndRemovesWithoutLeavingTemporaryFiles() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = DeploymentFolderWriter(apiFolder: folder.path)

        try writer.write("<api name=\"one\"/>", fileName: "a.xml")
        try writer.write("<api name=\"two\"/>", fileName: "a.xml")

        #expect(try contents(of: folder) == ["a.xml": "<api name=\"two\"/>"])
        #expect(try writer.remove(fileName: "a.xml"))
        #expect(try !writer.remove(fileName: "a.xml"))
        #expect(try contents(of: folder).isEmpty)
    }

    @Test func createsTheRepositoryFolders() throws {
        let root = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let writer = DeploymentFolderWriter(repository: root.path + "/repository/")

        try writer.write("<api/>", fileName: "b.xml")

        let apiFolder = root.appendingPathComponent("repository/deployment/server/synapse-configs/default/api")
        #expect(writer.apiFolder == apiFolder.path)
        #expect(try contents(of: apiFolder) == ["b.xml": "<api/>"])
    }

    @Test func writesLargeArtifactsCompletely() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let large = String(repeating: "<resource methods=\"GET\" url-mapping=\"/é\"/>\n", count: 50_000)

        try DeploymentFolderWriter(apiFolder: folder.path).write(large, fileName: "large.xml")

        #expect(try contents(of: folder)["large.xml"] == large)
    }

    @Test(arguments: ["a.txt", "../escape.xml", ".hidden.xml", "sub/a.xml", ""])
    func refusesNamesThatAreNotPlainXMLFiles(fileName: String) throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = DeploymentFolderWriter(apiFolder: folder.path)

        #expect(throws: DeploymentError.self) { try writer.write("<api/>", fileName: fileName) }
        #expect(throws: DeploymentError.self) { try writer.remove(fileName: fileName) }
        #expect(try contents(of: folder).isEmpty)
    }

    @Test func aFailedRenameLeavesNoTemporaryFileAndKeepsTheTarget() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A non-empty directory where the artifact should go: rename(2) cannot replace it.
        let blocker = folder.appendingPathComponent("c.xml/inner", isDirectory: true)
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)
        let writer = DeploymentFolderWriter(apiFolder: folder.path)

        let error = #expect(throws: DeploymentError.self) { try writer.write("<api/>", fileName: "c.xml") }

        #expect(error?.fileName == "c.xml")
        #expect(error?.reason.contains("cannot move the new file into place") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["c.xml"])
    }

    @Test func anUnusableFolderIsReported() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let writer = DeploymentFolderWriter(apiFolder: file.path + "/api")

        let error = #expect(throws: DeploymentError.self) { try writer.write("<api/>", fileName: "d.xml") }

        #expect(error?.description.hasPrefix("cannot deploy d.xml: cannot create folder") == true)
    }

    @Test func removesOnlyAbandonedTemporaryFiles() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = DeploymentFolderWriter(apiFolder: folder.path)
        try writer.write("<api/>", fileName: "live.xml")
        for name in [".old.xml.tmp-1", ".fresh.xml.tmp-2", ".notes"] {
            try Data("partial".utf8).write(to: folder.appendingPathComponent(name))
        }
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -600)],
            ofItemAtPath: folder.appendingPathComponent(".old.xml.tmp-1").path
        )

        #expect(writer.removeAbandonedTemporaryFiles(olderThan: 60) == [".old.xml.tmp-1"])
        #expect(Set(try contents(of: folder).keys) == ["live.xml", ".fresh.xml.tmp-2", ".notes"])
        #expect(writer.removeAbandonedTemporaryFiles(olderThan: 0) == [".fresh.xml.tmp-2"])
    }

    private func contents(of folder: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            result[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        return result
    }
}
