import Foundation
import SluiceArtifacts
import SluiceModel
import SluiceSynapse
import SluiceTesting
import Testing

/// Runs the built `sluice` binary (`sluice api emit`) as a user would.
@Suite(.timeLimit(.minutes(1)))
struct APIEmitCommandTests {
    static let packageRoot = Fixtures.sampleDefinitionURL.deletingLastPathComponent().deletingLastPathComponent().path
    static let binary = packageRoot + "/.build/debug/sluice"

    private func run(
        _ arguments: [String],
        input: String? = nil
    ) async throws -> (status: Int32, output: String, errors: String) {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.binary),
            "build the package first: \(Self.binary)"
        )
        let emit = try await ChildProcess.run(Self.binary, ["api", "emit"] + arguments, input: input)
        return (emit.status, emit.output, emit.error)
    }

    @Test func writesTheSampleArtifactsIntoAFolder() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }

        let result = try await run([Fixtures.sampleDefinitionURL.path, "--output", folder.path])

        #expect(result.status == 0, "\(result.errors)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["admin--PizzaShackAPI.xml", "admin--PizzaShackAPI_v1.0.0.xml"])
        let definition = try JSONDecoder().decode(
            APIDefinition.self,
            from: Data(contentsOf: Fixtures.sampleDefinitionURL)
        )
        let expected = try APITemplateBuilder().artifacts(for: definition)
        for artifact in expected {
            let parsed = try SynapseParser().parseFile(atPath: folder.appendingPathComponent(artifact.fileName).path)
            #expect(parsed.apis.map(\.withoutLocations) == [artifact.api])
        }
    }

    @Test func printsTheVersionedArtifactByDefault() async throws {
        let result = try await run([Fixtures.sampleDefinitionURL.path, "--status", "prototyped", "--no-global-cors"])

        #expect(result.status == 0, "\(result.errors)")
        let api = try #require(try SynapseParser().parse(xml: result.output, fileName: "stdout").apis.first)
        #expect(api.name == "admin--PizzaShackAPI")
        #expect(
            api.handlers.map(\.className) == [
                "org.wso2.carbon.apimgt.gateway.handlers.common.APIMgtLatencyStatsHandler"
            ]
        )
        #expect(result.errors.contains("default-version artifact admin--PizzaShackAPI.xml not written"))
    }

    @Test func readsStandardInputAndFillsInTheProvider() async throws {
        let json = #"""
            {"name":"Echo","context":"/echo","version":"v1",
             "endpointConfig":{"endpoint_type":"address","production_endpoints":{"url":"http://127.0.0.1:9000/echo"}}}
            """#
        let result = try await run(["-", "--provider", "alice"], input: json)

        #expect(result.status == 0, "\(result.errors)")
        let api = try #require(try SynapseParser().parse(xml: result.output, fileName: "stdout").apis.first)
        #expect(api.name == "alice--Echo")
        #expect(api.context == "/echo/v1")
        #expect(api.resources.count == 5)
    }

    @Test func reportsEveryProblemAndExitsWithFailure() async throws {
        let json = #"{"name":"Bad Name","context":"echo","version":"1","operations":[{"target":"/a","verb":"FETCH"}]}"#
        let result = try await run(["-"], input: json)

        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(
            result.errors.split(separator: "\n") == [
                "-: name: name 'Bad Name' must not contain spaces",
                "-: context: context 'echo' must start with '/'",
                "-: operations[0].verb: verb 'FETCH' is not one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
                "-: endpointConfig: an endpoint configuration is required to deploy the API",
            ]
        )
    }

    @Test func namesTheFieldThatCannotBeDecoded() async throws {
        let result = try await run(["-"], input: #"{"name":"A","context":"/a","version":"1","operations":[{"target":"/a"}]}"#)

        #expect(result.status == 1)
        #expect(result.errors == "-: operations[0].verb: verb is required\n")
    }

    @Test func aMissingFileIsAnError() async throws {
        let result = try await run(["/nonexistent/api.json"])

        #expect(result.status == 1)
        #expect(result.errors == "/nonexistent/api.json: cannot read the file\n")
    }
}
