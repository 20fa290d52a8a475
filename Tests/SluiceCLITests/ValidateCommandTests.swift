import Foundation
import SluiceTesting
import Testing

/// Runs the built `sluice` binary as a process, as a user would.
@Suite(.timeLimit(.minutes(1)))
struct ValidateCommandTests {
    static let packageRoot: String = {
        let file = #filePath
        return String(file[..<file.range(of: "/Tests/SluiceCLITests/")!.lowerBound])
    }()

    static let binary = packageRoot + "/.build/debug/sluice"

    static let goodAPI = """
        <api xmlns="http://ws.apache.org/ns/synapse" name="admin--Echo" context="/echo/1.0" version="1.0"
             version-type="url">
            <resource methods="GET" url-mapping="/*">
                <inSequence><send><endpoint><address uri="http://127.0.0.1:9000/echo"/></endpoint></send></inSequence>
            </resource>
        </api>
        """

    static let goodSequence = """
        <sequence xmlns="http://ws.apache.org/ns/synapse" name="audit"><log level="full"/></sequence>
        """

    static let badAPI = """
        <api xmlns="http://ws.apache.org/ns/synapse" context="/bad">
            <resource methods="GET" uri-template="/items/{id"/>
        </api>
        """

    private func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await Self.runValidate(arguments)
    }

    /// Runs `sluice validate` with `arguments`; its exit status and standard output.
    static func runValidate(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let binary = Self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the package first: \(binary)")
        let validate = try await ChildProcess.run(binary, ["validate"] + arguments)
        return (validate.status, validate.output)
    }

    private func makeFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "sluice-cli-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/nested", withIntermediateDirectories: true)
        return folder
    }

    @Test func goodFilesPrintOKAndExitZero() async throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.goodAPI.write(toFile: folder + "/api.xml", atomically: true, encoding: .utf8)
        try Self.goodSequence.write(toFile: folder + "/nested/audit.xml", atomically: true, encoding: .utf8)
        try "not xml".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)

        let result = try await run([folder])
        #expect(result.status == 0)
        #expect(result.output == "OK \(folder)/api.xml\nOK \(folder)/nested/audit.xml\n")
    }

    @Test func diagnosticsArePrintedWithFileLineAndColumnAndExitOne() async throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.badAPI.write(toFile: folder + "/bad.xml", atomically: true, encoding: .utf8)
        try Self.goodAPI.write(toFile: folder + "/good.xml", atomically: true, encoding: .utf8)

        let result = try await run([folder + "/good.xml", folder + "/bad.xml"])
        #expect(result.status == 1)
        #expect(
            result.output == """
                OK \(folder)/good.xml
                \(folder)/bad.xml:1:1: missing required attribute 'name' on <api>
                \(folder)/bad.xml:2:5: invalid uri-template '/items/{id' at offset 7: unclosed '{'

                """
        )
    }

    @Test func malformedXMLReportsTheParserPosition() async throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "<sequence xmlns=\"http://ws.apache.org/ns/synapse\" name=\"s\">\n  <log>\n</sequence>\n"
            .write(toFile: folder + "/broken.xml", atomically: true, encoding: .utf8)

        let result = try await run([folder + "/broken.xml"])
        #expect(result.status == 1)
        #expect(
            result.output == "\(folder)/broken.xml:3:12: Opening and ending tag mismatch: log line 2 and sequence\n"
        )
    }

    @Test func badHeaderMediatorsAreReportedWithTheirLines() async throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sequence = """
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="h">
              <header name="X-Trace" value="on"/>
              <header name="To" value="http://backend/orders"/>
              <header name="u:Trace" value="on"/>
            </sequence>
            """
        try sequence.write(toFile: folder + "/h.xml", atomically: true, encoding: .utf8)

        let result = try await run([folder + "/h.xml"])
        #expect(result.status == 1)
        #expect(
            result.output == """
                \(folder)/h.xml:2:3: invalid SOAP header 'X-Trace' on <header>: SOAP headers must be namespace \
                qualified (or one of To, From, Action, FaultTo, ReplyTo, RelatesTo, MessageID); use \
                scope="transport" for an HTTP header
                \(folder)/h.xml:4:3: invalid namespace prefix 'u' in name attribute 'u:Trace' of <header>

                """
        )
    }

    @Test func missingPathIsAnError() async throws {
        let result = try await run(["/nonexistent/sluice-artifacts"])
        #expect(result.status == 1)
        #expect(result.output == "/nonexistent/sluice-artifacts:1:1: no such file or directory\n")
    }

    @Test func shippedRepositoryFilesValidate() async throws {
        let root = Self.packageRoot + "/repository"
        let synapse = root + "/deployment/server/synapse-configs/default"
        let files = [
            root + "/conf/identity.xml", root + "/conf/tiers.xml", root + "/conf/app-tiers.xml",
            root + "/conf/res-tiers.xml", root + "/conf/api-manager.xml",
            synapse + "/api/admin--PizzaShackAPI_v1.0.0.xml",
            synapse + "/sequences/fault.xml", synapse + "/sequences/main.xml",
            synapse + "/sequences/_auth_failure_handler_.xml", synapse + "/sequences/_throttle_out_handler_.xml",
            synapse + "/sequences/_sandbox_key_error_.xml", synapse + "/sequences/_production_key_error_.xml",
        ]
        let result = try await run(files)
        #expect(result.status == 0)
        #expect(result.output == files.map { "OK \($0)\n" }.joined())
    }

    /// A relative `file:` source opens from the working directory, then from the product home: the folder holding
    /// the repository folder (WSO2's synapse.home), whatever the repository folder is called.
    @Test func relativeFileSourcesResolveFromTheProductHome() async throws {
        let home = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let synapse = home + "/gateway-repo/deployment/server/synapse-configs/default"
        try FileManager.default.createDirectory(atPath: synapse + "/local-entries", withIntermediateDirectories: true)
        let entry = synapse + "/local-entries/note.xml"
        try #"<localEntry xmlns="http://ws.apache.org/ns/synapse" key="note" src="file:samples/res/note.txt"/>"#
            .write(toFile: entry, atomically: true, encoding: .utf8)

        let missing = try await run([synapse])
        #expect(missing.status == 1)
        #expect(missing.output.contains("samples/res/note.txt (from the working directory), \(home)/samples/res/note.txt,"))

        try FileManager.default.createDirectory(atPath: home + "/samples/res", withIntermediateDirectories: true)
        try "hello".write(toFile: home + "/samples/res/note.txt", atomically: true, encoding: .utf8)
        let found = try await run([synapse])
        #expect(found.status == 0)
        #expect(found.output == "OK \(entry)\n")
    }

    @Test func anAPIShadowingAnotherIsRefusedNamingBothFiles() async throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.goodAPI.write(toFile: folder + "/a-echo.xml", atomically: true, encoding: .utf8)
        let shadow = Self.goodAPI.replacingOccurrences(of: "admin--Echo", with: "admin--Shadow")
        try shadow.write(toFile: folder + "/b-shadow.xml", atomically: true, encoding: .utf8)
        try Self.goodAPI.write(toFile: folder + "/nested/c-copy.xml", atomically: true, encoding: .utf8)

        let result = try await run([folder])
        #expect(result.status == 1)
        #expect(
            result.output == """
                OK \(folder)/a-echo.xml
                \(folder)/b-shadow.xml:1:1: the context /echo/1.0/1.0 of API 'admin--Shadow:v1.0' is already served by API 'admin--Echo:v1.0' from \(folder)/a-echo.xml; this API is not deployed
                \(folder)/nested/c-copy.xml:1:1: an API named 'admin--Echo:v1.0' is already deployed from \(folder)/a-echo.xml; this file is not deployed

                """
        )
    }
}
