import Foundation
import SluiceTesting
import Testing

/// `sluice validate` on artifacts naming documents by http(s) URL says what deployment says: it fetches them as
/// the deployer does (a failed fetch is the file's error, with the URL and the reason), and with `--offline` it
/// fetches nothing and reports each as a warning.
@Suite(.timeLimit(.minutes(1)))
struct ValidateNetworkSourcesTests {
    static func localEntry(_ source: String) -> String {
        #"<localEntry xmlns="http://ws.apache.org/ns/synapse" key="remote" src="\#(source)"/>"#
    }

    @Test func validateFetchesAsDeploymentDoesAndOfflineWarnsInstead() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let folder = NSTemporaryDirectory() + "sluice-cli-net-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let found = backend.baseURL + "/documents/json"
        let missing = backend.baseURL + "/status/404"
        try Self.localEntry(found).write(toFile: folder + "/found.xml", atomically: true, encoding: .utf8)
        try Self.localEntry(missing).write(toFile: folder + "/missing.xml", atomically: true, encoding: .utf8)

        let fetched = try await ValidateCommandTests.runValidate([folder + "/found.xml"])
        #expect(fetched.status == 0)
        #expect(fetched.output == "OK \(folder)/found.xml\n")
        #expect(backend.recordedRequests.contains { $0.method == "GET" && $0.uri == "/documents/json" })

        let failed = try await ValidateCommandTests.runValidate([folder + "/missing.xml"])
        #expect(failed.status == 1)
        #expect(
            failed.output
                == "\(folder)/missing.xml:1:1: cannot fetch local entry source '\(missing)': the server answered 404 Not Found\n"
        )

        backend.clearRecordedRequests()
        let offline = try await ValidateCommandTests.runValidate(["--offline", folder + "/found.xml", folder + "/missing.xml"])
        #expect(offline.status == 0)
        #expect(
            offline.output.contains(
                "\(folder)/missing.xml:1:1: warning: not fetched: local entry source '\(missing)' is fetched "
                    + "when a gateway deploys the file; checked without it"
            ),
            "\(offline.output)"
        )
        #expect(offline.output.contains("\(folder)/found.xml:1:1: warning: not fetched"), "\(offline.output)")
        #expect(backend.recordedRequests.isEmpty)
        #expect(try await ValidateCommandTests.runValidate(["--offline", "--strict", folder + "/found.xml"]).status == 1)
    }
}
