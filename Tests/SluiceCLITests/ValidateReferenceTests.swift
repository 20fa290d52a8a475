import Foundation
import Testing

/// `sluice validate` compiles and resolves references as deployment does: a file in a repository's artifact
/// folder with that repository's other artifacts, a file outside one with `--repository`, else on its own; a
/// reference nothing defines is the deployer's warning (exit 0, or 1 with `--strict`).
@Suite(.timeLimit(.minutes(1)))
struct ValidateReferenceTests {
    static let fixtures = ValidateMatchesDeploymentTests.fixtures

    static let apiUsingAudit = """
        <api xmlns="http://ws.apache.org/ns/synapse" name="admin--Audited" context="/audited/1">
          <resource methods="GET" url-mapping="/*"><inSequence><sequence key="audit"/><respond/></inSequence></resource>
        </api>
        """

    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "sluice-validate-refs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aFileInARepositoryFolderResolvesAgainstItsSiblings() async throws {
        let api = Self.fixtures + "/good-shop/api/admin--Shop_v1.xml"
        let result = try await ValidateCommandTests.runValidate([api])
        #expect(result.status == 0)
        #expect(result.output == "OK \(api)\n")
    }

    @Test func anUnresolvedReferenceOfALooseFileIsAWarningAndStrictMakesItFail() async throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.apiUsingAudit.write(toFile: root + "/audited.xml", atomically: true, encoding: .utf8)

        let result = try await ValidateCommandTests.runValidate([root + "/audited.xml"])
        #expect(result.status == 0)
        #expect(result.output == "\(root)/audited.xml:2:3: warning: unknown sequence 'audit'\n")

        let strict = try await ValidateCommandTests.runValidate(["--strict", root + "/audited.xml"])
        #expect(strict.status == 1)
        #expect(strict.output == result.output)
    }

    @Test func repositoryOptionResolvesTheReferenceOrWarns() async throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.apiUsingAudit.write(toFile: root + "/audited.xml", atomically: true, encoding: .utf8)
        let repository = root + "/repository"
        let sequences = repository + "/deployment/server/synapse-configs/default/sequences"
        try FileManager.default.createDirectory(atPath: sequences, withIntermediateDirectories: true)

        let missing = try await ValidateCommandTests.runValidate(["--repository", repository, root + "/audited.xml"])
        #expect(missing.status == 0)
        #expect(missing.output == "\(root)/audited.xml:2:3: warning: unknown sequence 'audit'\n")

        try #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="audit"><log/></sequence>"#
            .write(toFile: sequences + "/audit.xml", atomically: true, encoding: .utf8)
        let found = try await ValidateCommandTests.runValidate(["--repository", repository, root + "/audited.xml"])
        #expect(found.status == 0)
        #expect(found.output == "OK \(root)/audited.xml\n")
    }

    @Test func compileErrorsOfALooseFileFailAsAtDeployment() async throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let api = """
            <api xmlns="http://ws.apache.org/ns/synapse" name="admin--Handled" context="/handled/1">
              <resource methods="GET" url-mapping="/*"><inSequence><respond/></inSequence></resource>
              <handlers><handler class="com.example.NotAHandler"/></handlers>
            </api>
            """
        try api.write(toFile: root + "/handled.xml", atomically: true, encoding: .utf8)

        let result = try await ValidateCommandTests.runValidate([root + "/handled.xml"])
        #expect(result.status == 1)
        #expect(result.output == "\(root)/handled.xml:3:13: unknown handler class 'com.example.NotAHandler': a Java class, which Sluice cannot load; register a Swift handler under this name (GatewayHandlerRegistry)\n")
    }

    @Test func theShippedRepositoryValidatesAsAWhole() async throws {
        let repository = ValidateCommandTests.packageRoot + "/repository"
        let result = try await ValidateCommandTests.runValidate([repository])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("OK \(repository)/conf/api-manager.xml"))
        #expect(lines.contains("OK \(repository)/deployment/server/synapse-configs/default/sequences/fault.xml"))
        #expect(lines.allSatisfy { $0.hasPrefix("OK ") })
    }
}
